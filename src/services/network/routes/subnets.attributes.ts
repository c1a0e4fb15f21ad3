import type { AttributeMap } from './attributes.js';
import {
  boolFilter,
  intFilter,
  ipAddress,
  ipAddressOrNone,
  listOf,
  noneToEmptyList,
  string,
  stringOrNone,
  subnetCidr,
  textFilter,
  toBoolean,
  toInt,
  uuid,
  values,
  type Validator,
} from './validators.js';
import { pyStr } from '../../../http/pyrepr.js';
import { isJsonObject } from '../../../http/input.js';

const TEXT = { filter: textFilter, sort: true } as const;

/** validate_ip_pools: a list of {start, end}, each an address. */
const pools: Validator = (v) => {
  if (!Array.isArray(v)) return `Invalid data format for IP pool: '${pyStr(v)}'`;
  for (const p of v) {
    if (!isJsonObject(p) || Object.keys(p).some((k) => k !== 'start' && k !== 'end')) {
      return `Invalid data format for IP pool: '${pyStr(p)}'`;
    }
    if (!Object.hasOwn(p, 'start') || !Object.hasOwn(p, 'end')) {
      return `Invalid data format for IP pool: '${pyStr(p)}'`;
    }
    const bad = ipAddress(p.start) ?? ipAddress(p.end);
    if (bad) return bad;
  }
  return undefined;
};

/** validate_hostroutes: a list of {destination, nexthop}. */
const hostRoutes: Validator = (v) => {
  if (!Array.isArray(v)) return `Invalid data format for hostroute: '${pyStr(v)}'`;
  const seen = new Set<string>();
  for (const r of v) {
    if (!isJsonObject(r) || !Object.hasOwn(r, 'destination') || !Object.hasOwn(r, 'nexthop')) {
      return `Invalid data format for hostroute: '${pyStr(r)}'`;
    }
    const bad = subnetCidr(r.destination) ?? ipAddress(r.nexthop);
    if (bad) return bad;
    const key = `${String(r.destination as string)}|${String(r.nexthop as string)}`;
    if (seen.has(key)) return `Duplicate hostroute '${pyStr(r)}'`;
    seen.add(key);
  }
  return undefined;
};

/** validate_nameservers: addresses, no duplicates. */
const nameservers: Validator = (v) => {
  if (!Array.isArray(v)) return `Invalid data format for nameserver: '${pyStr(v)}'`;
  const seen = new Set<unknown>();
  for (const ns of v) {
    if (ipAddress(ns))
      return `'${pyStr(ns)}' is not a valid nameserver. '${pyStr(ns)}' is not a valid IP address`;
    if (seen.has(ns)) return `Duplicate nameserver '${pyStr(ns)}'`;
    seen.add(ns);
  }
  return undefined;
};

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
  cidr: { post: true, validate: subnetCidr, ...TEXT },
  gateway_ip: { post: true, put: true, validate: ipAddressOrNone, ...TEXT },
  allocation_pools: { post: true, put: true, convert: noneToEmptyList, validate: pools },
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
  ipv6_ra_mode: {
    post: true,
    validate: (v) => (v === null ? undefined : values(IPV6_MODES)(v)),
    ...TEXT,
  },
  ipv6_address_mode: {
    post: true,
    validate: (v) => (v === null ? undefined : values(IPV6_MODES)(v)),
    ...TEXT,
  },
  subnetpool_id: { post: true, validate: stringOrNone(36), ...TEXT },
  prefixlen: { post: true, convert: toInt },
  use_default_subnetpool: { post: true, convert: toBoolean },
  service_types: { post: true, put: true, convert: noneToEmptyList, validate: listOf(string(255)) },
  segment_id: {},
  project_id: { ...TEXT },
  tenant_id: { ...TEXT },
  revision_number: { filter: intFilter, sort: true },
  created_at: { sort: true },
  updated_at: { sort: true },
  tags: {},
};
