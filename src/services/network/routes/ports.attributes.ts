import { isJsonObject } from '../../../http/input.js';
import { pyStr } from '../../../http/pyrepr.js';
import { badRequest, invalidInput, NeutronFault } from '../errors.js';
import { parseAddress, parseCidr } from '../ip.js';
import type { AttributeMap } from './attributes.js';
import {
  boolFilter,
  intFilter,
  ipAddress,
  listOf,
  noneToEmptyList,
  string,
  textFilter,
  toBoolean,
  uuid,
  uuidList,
  type Validator,
} from './validators.js';

const TEXT = { filter: textFilter, sort: true } as const;

/** netaddr.valid_mac's forms: six groups split by `:` or `-`, three by `.`, or twelve digits. */
function macDigits(v: string): string | null {
  let groups: string[] | null = null;
  if (/^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}$/.test(v)) groups = v.split(/[:-]/);
  else if (/^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4}){2}$/.test(v)) groups = v.split('.');
  else if (/^[0-9a-fA-F]{12}$/.test(v)) groups = [v];
  if (!groups) return null;
  const width = 12 / groups.length;
  return groups
    .map((g) => g.padStart(width, '0'))
    .join('')
    .toLowerCase();
}

/** convert_to_sanitized_mac_address: `aa:bb:cc:dd:ee:ff`, or the input when it is no MAC. */
export function sanitizeMac(v: unknown): unknown {
  const digits = typeof v === 'string' ? macDigits(v) : null;
  return digits === null ? v : digits.match(/../g)!.join(':');
}

/** validate_mac_address: a MAC, and neither all zeros nor broadcast. */
export const macAddress: Validator = (v) => {
  const digits = typeof v === 'string' ? macDigits(v) : null;
  const ok = digits !== null && digits !== '000000000000' && digits !== 'ffffffffffff';
  return ok ? undefined : `'${pyStr(v)}' is not a valid MAC address`;
};

const MAX_FIXED_IPS = 1000;

/** validate_fixed_ips: a list of dicts; addresses valid and not repeated, subnets UUIDs. */
const fixedIps: Validator = (v) => {
  if (!Array.isArray(v)) return `Invalid data format for fixed IP: '${pyStr(v)}'`;
  // Neutron sets no bound; this one keeps a hostile list from holding the database for minutes.
  if (v.length > MAX_FIXED_IPS) throw invalidInput('Exceeded maximum amount of fixed ips per port');
  const seen = new Set<string>();
  for (const ip of v) {
    if (!isJsonObject(ip)) return `Invalid data format for fixed IP: '${pyStr(ip)}'`;
    if (Object.hasOwn(ip, 'ip_address')) {
      const a = ip.ip_address;
      const dup = typeof a === 'string' && seen.has(a);
      const bad = dup ? `Duplicate IP address '${pyStr(a)}'` : ipAddress(a);
      if (bad) return bad;
      seen.add(a as string);
    }
    if (Object.hasOwn(ip, 'subnet_id')) {
      const bad = uuid(ip.subnet_id);
      if (bad) return bad;
    }
  }
  return undefined;
};

/**
 * validate_allowed_address_pairs: at most 10 pairs, each a dict with an address or CIDR and
 * maybe a MAC, none repeated. Most refusals are exceptions of their own, not a reason.
 */
const addressPairs: Validator = (v) => {
  if (!Array.isArray(v)) throw badRequest('Allowed address pairs must be a list.');
  if (v.length > 10) {
    throw new NeutronFault(
      400,
      'AllowedAddressPairExhausted',
      'The number of allowed address pair exceeds the maximum 10.',
    );
  }
  const seen = new Set<string>();
  for (const p of v) {
    if (!isJsonObject(p)) return `'${pyStr(p)}' is not a dictionary`;
    if (Object.hasOwn(p, 'mac_address')) {
      const bad = macAddress(p.mac_address);
      if (bad) throw badRequest(bad);
    }
    if (!Object.hasOwn(p, 'ip_address')) {
      throw new NeutronFault(
        400,
        'AllowedAddressPairsMissingIP',
        'AllowedAddressPair must contain ip_address',
      );
    }
    const mac = Object.hasOwn(p, 'mac_address') ? p.mac_address : null;
    const key = JSON.stringify([mac, p.ip_address]);
    if (seen.has(key)) {
      throw new NeutronFault(
        400,
        'DuplicateAddressPairInRequest',
        `Request contains duplicate address pair: mac_address ${pyStr(mac)} ip_address ${pyStr(p.ip_address)}.`,
      );
    }
    seen.add(key);
    const extra = Object.keys(p).filter((k) => k !== 'mac_address' && k !== 'ip_address');
    if (extra.length > 0) {
      throw badRequest(`Unrecognized attribute(s) '${extra.map((k) => pyStr(k)).join(', ')}'`);
    }
    const ip = p.ip_address;
    const ok = typeof ip === 'string' && (ip.includes('/') ? parseCidr(ip) : parseAddress(ip));
    if (!ok) {
      throw badRequest(
        typeof ip === 'string' && ip.includes('/')
          ? `'${ip}' is not a valid IP subnet`
          : `'${pyStr(ip)}' is not a valid IP address`,
      );
    }
  }
  return undefined;
};

/** extra_dhcp_opts: null or a list of {opt_name, opt_value, ip_version?}. */
const dhcpOpts: Validator = (v) => {
  if (v === null) return undefined;
  if (!Array.isArray(v)) return `'${pyStr(v)}' is not a list`;
  for (const o of v) {
    if (!isJsonObject(o)) return `'${pyStr(o)}' is not a dictionary`;
    const extra = Object.keys(o).filter(
      (k) => !['opt_name', 'opt_value', 'ip_version'].includes(k),
    );
    if (extra.length > 0)
      return `Unexpected keys supplied: ${extra.map((k) => pyStr(k)).join(', ')}`;
    const bad =
      string(64)(o.opt_name) ??
      (o.opt_value === null ? undefined : string(255)(o.opt_value)) ??
      (o.ip_version === undefined || [4, 6, '4', '6'].includes(o.ip_version as never)
        ? undefined
        : `${pyStr(o.ip_version)} is not in [4, 6]`);
    if (bad) return bad;
    if (o.opt_name === '') return `'' Blank strings are not permitted`;
  }
  return undefined;
};

const VNIC_TYPES = [
  'normal',
  'direct',
  'macvtap',
  'baremetal',
  'direct-physical',
  'virtio-forwarder',
  'smart-nic',
  'vdpa',
  'accelerator-direct',
  'accelerator-direct-physical',
  'remote-managed',
];

const vnicType: Validator = (v) =>
  typeof v === 'string' && VNIC_TYPES.includes(v)
    ? undefined
    : `${pyStr(v)} is not in ${pyStr(VNIC_TYPES)}`;

const dictOrNone: Validator = (v) =>
  v === null || isJsonObject(v) ? undefined : `'${pyStr(v)}' is not a dictionary`;

/** validate_list_of_unique_strings, for tags given on create. */
const uniqueStrings: Validator = (v) => {
  const bad = listOf(string(255))(v);
  if (bad) return bad;
  const seen = new Set<string>();
  for (const t of v as string[]) {
    if (seen.has(t)) return `Duplicate items in the list: '${pyStr(t)}'`;
    seen.add(t);
  }
  return undefined;
};

/** Neutron's port attributes (port, binding, port-security, allowed-address-pairs, ...). */
export const PORT_ATTRIBUTES: AttributeMap = {
  id: { ...TEXT },
  name: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  description: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  network_id: { post: true, required: true, validate: uuid, ...TEXT },
  admin_state_up: {
    post: true,
    put: true,
    default: true,
    convert: toBoolean,
    filter: boolFilter,
    sort: true,
  },
  mac_address: {
    post: true,
    put: true,
    convert: sanitizeMac,
    validate: macAddress,
    filter: (t) => sanitizeMac(t),
    sort: true,
  },
  fixed_ips: { post: true, put: true, validate: fixedIps },
  device_id: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  device_owner: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  status: { ...TEXT },
  security_groups: { post: true, put: true, convert: noneToEmptyList, validate: uuidList },
  port_security_enabled: { post: true, put: true, convert: toBoolean, filter: boolFilter },
  allowed_address_pairs: {
    post: true,
    put: true,
    convert: noneToEmptyList,
    validate: addressPairs,
  },
  extra_dhcp_opts: { post: true, put: true, validate: dhcpOpts },
  'binding:host_id': { post: true, put: true, validate: string(255), filter: textFilter },
  'binding:vnic_type': { post: true, put: true, default: 'normal', validate: vnicType },
  'binding:profile': { post: true, put: true, validate: dictOrNone },
  'binding:vif_type': {},
  'binding:vif_details': {},
  project_id: { ...TEXT },
  tenant_id: { ...TEXT },
  revision_number: { filter: intFilter, sort: true },
  created_at: { sort: true },
  updated_at: { sort: true },
  tags: { post: true, validate: uniqueStrings },
};

/** Filters ports read themselves rather than as a column (see port-list.ts). */
export const PORT_OWN_FILTERS = ['fixed_ips', 'security_groups'] as const;
