import type { AttributeMap } from './attributes.js';
import {
  boolFilter,
  intFilter,
  listOf,
  noneToEmptyList,
  string,
  textFilter,
  toBoolean,
  toInt,
  uuid,
  values,
  type Validator,
} from './validators.js';
import { pyRepr, pyStr } from '../../../http/pyrepr.js';
import { isJsonObject } from '../../../http/input.js';
import { invalidInput } from '../errors.js';
import { formatAddress, formatCidr, isLoopback, parseAddress, parseCidr } from '../ip.js';

const TEXT = { filter: textFilter, sort: true } as const;
const DOTTED = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/;

/** validate_ip_address: an address; IPv4 with leading zeros gets netaddr's reading as a hint. */
export const ipAddress: Validator = (v) => {
  if (parseAddress(v)) return undefined;
  const m = typeof v === 'string' ? DOTTED.exec(v) : null;
  if (m && m.slice(1).every((o) => o.length <= 3 && Number(o) <= 255)) {
    return `'${v as string}' is not an accepted IP address, '${m.slice(1).map(Number).join('.')}' is recommended`;
  }
  return `'${pyStr(v)}' is not a valid IP address`;
};

const ipAddressOrNone: Validator = (v) => (v === null ? undefined : ipAddress(v));

/** convert_ip_to_canonical_format: IPv6 compressed, anything else as given. */
export function canonicalIp(v: unknown): unknown {
  const a = parseAddress(v);
  return a?.version === 6 ? formatAddress(a) : v;
}

/**
 * convert_cidr_to_canonical_format: an address with an optional prefix length (none: a single
 * host), IPv6 compressed; host bits are kept here and dropped by the create.
 */
export function canonicalCidr(v: unknown): string {
  const text = typeof v === 'string' ? v : '';
  const a = parseAddress(text);
  const c = a ? parseCidr(`${text}/${a.version === 4 ? 32 : 128}`) : parseCidr(text);
  if (!c) throw invalidInput(`${pyStr(v)} is not in a CIDR format`);
  const addr = parseAddress(text.split('/')[0])!;
  return `${formatAddress(addr)}/${c.prefixlen}`;
}

/** A list filter on cidr matches the CIDR a create stored (host bits dropped). */
function cidrFilter(text: string): string {
  const c = parseCidr(text);
  return c ? formatCidr(c) : text;
}

/** _verify_dict_keys with strict keys. */
function dictKeys(expected: string[], v: unknown): string | undefined {
  if (!isJsonObject(v)) {
    return `Invalid input. '${pyStr(v)}' must be a dictionary with keys: ${pyRepr(expected)}`;
  }
  const given = Object.keys(v);
  if (given.length !== expected.length || !expected.every((k) => Object.hasOwn(v, k))) {
    const set = (keys: string[]) =>
      `{${[...keys]
        .sort()
        .map((k) => pyRepr(k))
        .join(', ')}}`;
    return `Validation of dictionary's keys failed. Expected keys: ${set(expected)} Provided keys: ${set(given)}`;
  }
  return undefined;
}

/** validate_ip_pools: a list of {start, end}, each an address. */
const pools: Validator = (v) => {
  if (!Array.isArray(v)) return `Invalid data format for IP pool: '${pyStr(v)}'`;
  for (const p of v) {
    const bad = dictKeys(['start', 'end'], p);
    if (bad) return bad;
    const pool = p as Record<string, unknown>;
    const reason = ipAddress(pool.start) ?? ipAddress(pool.end);
    if (reason) return reason;
  }
  return undefined;
};

/** validate_route_cidr: a network CIDR that is not loopback. */
const routeCidr: Validator = (v) => {
  const text = typeof v === 'string' ? v : null;
  const a = text === null ? null : parseAddress(text);
  const c = a ? parseCidr(`${text!}/${a.version === 4 ? 32 : 128}`) : parseCidr(text);
  if (!c) return `'${pyStr(v)}' is not a valid CIDR`;
  if (!text!.includes('/') || c.hostBits) {
    return `'${text!}' is not a recognized CIDR, '${formatCidr(c)}' is recommended`;
  }
  if (isLoopback(c)) return `'${text!}' is not a routable CIDR`;
  return undefined;
};

/** validate_hostroutes: a list of unique {destination, nexthop}. */
const hostRoutes: Validator = (v) => {
  if (!Array.isArray(v)) return `Invalid data format for hostroute: '${pyStr(v)}'`;
  const seen = new Set<string>();
  for (const r of v) {
    const bad = dictKeys(['destination', 'nexthop'], r);
    if (bad) return bad;
    const route = r as Record<string, unknown>;
    const reason = routeCidr(route.destination) ?? ipAddress(route.nexthop);
    if (reason) return reason;
    const key = pyRepr([route.destination, route.nexthop]);
    if (seen.has(key)) return `Duplicate hostroute '${pyRepr(r)}'`;
    seen.add(key);
  }
  return undefined;
};

/** validate_nameservers: any iterable of unique addresses (a string is read letter by letter, as
 * Python iterates it). */
const nameservers: Validator = (v) => {
  const items =
    typeof v === 'string' ? [...v] : Array.isArray(v) ? v : isJsonObject(v) ? Object.keys(v) : null;
  if (!items) return `Invalid data format for nameserver: '${pyStr(v)}'`;
  const seen = new Set<unknown>();
  for (const ns of items) {
    const reason = ipAddress(ns);
    if (reason) return `'${pyStr(ns)}' is not a valid nameserver. ${reason}`;
    if (seen.has(ns)) return `Duplicate nameserver '${pyStr(ns)}'`;
    seen.add(ns);
  }
  return undefined;
};

const nonNegative: Validator = (v) =>
  typeof v === 'number' && v < 0 ? `'${v}' should be non-negative` : undefined;

const uuidOrNone: Validator = (v) =>
  v === null ||
  (typeof v === 'string' &&
    /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v))
    ? undefined
    : `'${pyStr(v)}' is not a valid UUID`;

const IPV6_MODES = ['dhcpv6-stateful', 'dhcpv6-stateless', 'slaac'];

/** Neutron's subnet attributes (neutron_lib/api/definitions/subnet.py and extensions). */
export const SUBNET_ATTRIBUTES: AttributeMap = {
  id: { ...TEXT },
  name: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  description: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  network_id: { post: true, required: true, validate: uuid, ...TEXT },
  ip_version: {
    post: true,
    required: true,
    convert: toInt,
    validate: values([4, 6]),
    filter: intFilter,
    sort: true,
  },
  cidr: { post: true, convert: canonicalCidr, filter: cidrFilter, sort: true },
  gateway_ip: {
    post: true,
    put: true,
    convert: canonicalIp,
    validate: ipAddressOrNone,
    filter: (t) => canonicalIp(t),
    sort: true,
  },
  allocation_pools: { post: true, put: true, validate: pools },
  dns_nameservers: { post: true, put: true, convert: noneToEmptyList, validate: nameservers },
  host_routes: { post: true, put: true, convert: noneToEmptyList, validate: hostRoutes },
  enable_dhcp: {
    post: true,
    put: true,
    default: true,
    convert: toBoolean,
    filter: boolFilter,
    sort: true,
  },
  ipv6_ra_mode: { post: true, validate: values(IPV6_MODES), ...TEXT },
  ipv6_address_mode: { post: true, validate: values(IPV6_MODES), ...TEXT },
  subnetpool_id: { post: true, validate: uuidOrNone, ...TEXT },
  prefixlen: { post: true, convert: toInt, validate: nonNegative },
  use_default_subnetpool: { post: true, default: false, convert: toBoolean },
  service_types: {
    post: true,
    put: true,
    adminOnly: true,
    convert: noneToEmptyList,
    validate: listOf(string(255)),
  },
  /** Not shown; filters on the network being shared. */
  shared: { filter: boolFilter },
  project_id: { ...TEXT },
  tenant_id: { ...TEXT },
  revision_number: { filter: intFilter, sort: true },
  created_at: { sort: true },
  updated_at: { sort: true },
  tags: {},
};
