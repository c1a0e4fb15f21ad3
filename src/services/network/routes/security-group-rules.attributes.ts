import { pyStr } from '../../../http/pyrepr.js';
import { formatAddress, parseAddress } from '../ip.js';
import { NeutronFault } from '../errors.js';
import { PROTOCOL_NUMBERS, SUPPORTED_PROTOCOLS_TEXT } from '../security-group-protocols.js';
import type { AttributeMap } from './attributes.js';
import { intFilter, string, textFilter, values } from './validators.js';

const ETHERTYPES = ['IPv4', 'IPv6'];

function invalid(type: string, message: string): NeutronFault {
  return new NeutronFault(400, type, message);
}

/** convert_protocol: null, a name (any case) or an integer 0-255, kept as text. */
export function toProtocol(v: unknown): string | null {
  if (v === null) return null;
  const refuse = () =>
    invalid(
      'SecurityGroupRuleInvalidProtocol',
      `Security group rule protocol ${pyStr(v)} not supported. Only protocol values ${SUPPORTED_PROTOCOLS_TEXT} and integer representations [0 to 255] are supported.`,
    );
  const numeric =
    (typeof v === 'number' && Number.isInteger(v)) ||
    (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v));
  if (numeric) {
    const n = Number(v);
    if (n >= 0 && n <= 255) return typeof v === 'string' ? v : String(v);
    throw refuse();
  }
  if (typeof v === 'string' && PROTOCOL_NUMBERS.has(v.toLowerCase())) return v.toLowerCase();
  throw refuse();
}

/** convert_ethertype_to_case_insensitive. */
export function toEthertype(v: unknown): string {
  const found =
    typeof v === 'string' ? ETHERTYPES.find((e) => e.toLowerCase() === v.toLowerCase()) : undefined;
  if (found) return found;
  throw invalid(
    'SecurityGroupRuleInvalidEtherType',
    `Security group rule for ethertype '${pyStr(v)}' not supported. Allowed values are ['IPv4', 'IPv6'].`,
  );
}

/** convert_validate_port_value: what Python's int() makes of it, within 0-65535. */
export function toPort(v: unknown): number | null {
  if (v === null) return null;
  let n: number | null = null;
  if (typeof v === 'boolean') n = v ? 1 : 0;
  else if (typeof v === 'number' && Number.isFinite(v)) n = Math.trunc(v);
  else if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) n = Number(v);
  if (n !== null && n >= 0 && n <= 65535) return n;
  throw invalid('SecurityGroupInvalidPortValue', `Invalid value for port ${pyStr(v)}`);
}

/**
 * convert_ip_prefix_to_cidr: an address or CIDR as netaddr prints it, with the prefix length
 * always shown and host bits kept (`10.0.0.5` -> `10.0.0.5/32`); empty means none.
 */
export function toIpPrefix(v: unknown): string | null {
  if (v === null || v === '' || v === false || v === 0) return null;
  const text = typeof v === 'string' ? v : '';
  const slash = text.indexOf('/');
  const addr = parseAddress(slash < 0 ? text : text.slice(0, slash));
  const lenText = slash < 0 ? null : text.slice(slash + 1);
  const max = addr?.version === 6 ? 128 : 32;
  const len = lenText === null ? max : /^\d{1,3}$/.test(lenText) ? Number(lenText) : NaN;
  if (!addr || !(len <= max)) {
    throw invalid('InvalidCIDR', `Invalid CIDR ${pyStr(v)} given as IP prefix.`);
  }
  return `${formatAddress(addr)}/${len}`;
}

/** Ids that Neutron looks up without validating them: any scalar, as text; falsy is none. */
export function toOptionalId(v: unknown): unknown {
  if (v === null || v === '' || v === false || v === 0) return null;
  return typeof v === 'object' ? v : pyStr(v);
}

const idOrNone = (v: unknown) =>
  v === null || typeof v === 'string' ? undefined : `'${pyStr(v)}' is not a valid string`;

const filterBy = (convert: (v: unknown) => unknown) => ({
  filter: (text: string) => convert(text),
  sort: true,
});

/** Neutron's security group rule attributes (neutron/extensions/securitygroup.py, remote
 * address group and normalized CIDR extensions, standard attributes). Rules are never updated. */
export const SECURITY_GROUP_RULE_ATTRIBUTES: AttributeMap = {
  id: { filter: textFilter, sort: true },
  security_group_id: {
    post: true,
    required: true,
    validate: string(36),
    filter: textFilter,
    sort: true,
  },
  remote_group_id: {
    post: true,
    default: null,
    convert: toOptionalId,
    validate: idOrNone,
    filter: textFilter,
    sort: true,
  },
  direction: {
    post: true,
    required: true,
    validate: values(['ingress', 'egress']),
    filter: textFilter,
    sort: true,
  },
  protocol: { post: true, default: null, convert: toProtocol, ...filterBy(toProtocol) },
  port_range_min: { post: true, default: null, convert: toPort, ...filterBy(toPort) },
  port_range_max: { post: true, default: null, convert: toPort, ...filterBy(toPort) },
  ethertype: { post: true, default: 'IPv4', convert: toEthertype, ...filterBy(toEthertype) },
  remote_ip_prefix: { post: true, default: null, convert: toIpPrefix, ...filterBy(toIpPrefix) },
  remote_address_group_id: {
    post: true,
    default: null,
    convert: toOptionalId,
    validate: idOrNone,
    filter: textFilter,
    sort: true,
  },
  normalized_cidr: {},
  description: { post: true, default: '', validate: string(255), filter: textFilter, sort: true },
  project_id: { filter: textFilter, sort: true },
  tenant_id: { filter: textFilter, sort: true },
  revision_number: { filter: intFilter, sort: true },
  created_at: { sort: true },
  updated_at: { sort: true },
};
