import { isJsonObject } from '../../../http/input.js';
import { pyRepr, pyStr } from '../../../http/pyrepr.js';
import type { AttributeMap } from './attributes.js';
import {
  boolFilter,
  intFilter,
  ipAddress,
  noneToEmptyList,
  string,
  subnetCidr,
  textFilter,
  toBoolean,
  uuid,
  uuidOrNone,
  type Validator,
} from './validators.js';

const TEXT = { filter: textFilter, sort: true } as const;

/** validate_fixed_ips: a list of {subnet_id?, ip_address?}. */
export const fixedIpList: Validator = (v) => {
  if (!Array.isArray(v)) return `Invalid data format for fixed IP: '${pyStr(v)}'`;
  for (const ip of v) {
    if (!isJsonObject(ip) || Object.keys(ip).some((k) => k !== 'subnet_id' && k !== 'ip_address')) {
      return `Invalid data format for fixed IP: '${pyStr(ip)}'`;
    }
    if (Object.hasOwn(ip, 'ip_address')) {
      const bad = ipAddress(ip.ip_address);
      if (bad) return bad;
    }
    if (Object.hasOwn(ip, 'subnet_id')) {
      const bad = uuid(ip.subnet_id);
      if (bad) return bad;
    }
  }
  return undefined;
};

const GATEWAY_KEYS = ['network_id', 'enable_snat', 'external_fixed_ips'];

/** `{}` and null both mean "no gateway" (type:dict_or_nodata). */
function noGateway(v: unknown): unknown {
  return v === null || (isJsonObject(v) && Object.keys(v).length === 0) ? null : v;
}

/** type:dict_or_nodata with external_gateway_info's key specs (neutron_lib l3 definition). */
const gateway: Validator = (v) => {
  if (v === null) return undefined;
  if (!isJsonObject(v)) return `'${pyStr(v)}' is not a dictionary`;
  if (!Object.hasOwn(v, 'network_id')) {
    const provided = Object.keys(v).map((k) => pyRepr(k));
    return `Validation of dictionary's keys failed. Expected keys: {'network_id'} Provided keys: {${provided.join(', ')}}`;
  }
  const unexpected = Object.keys(v).filter((k) => !GATEWAY_KEYS.includes(k));
  if (unexpected.length > 0) return `Unexpected keys supplied: ${unexpected.map(pyStr).join(', ')}`;
  const bad = uuid(v.network_id);
  if (bad) return bad;
  if (Object.hasOwn(v, 'enable_snat')) {
    try {
      toBoolean(v.enable_snat);
    } catch {
      return `'${pyStr(v.enable_snat)}' is not a valid boolean value`;
    }
  }
  if (Object.hasOwn(v, 'external_fixed_ips') && v.external_fixed_ips !== null) {
    return fixedIpList(v.external_fixed_ips);
  }
  return undefined;
};

/** validate_hostroutes: a list of {destination, nexthop}, no duplicates. */
const routes: Validator = (v) => {
  if (!Array.isArray(v)) return `Invalid data format for hostroute: '${pyStr(v)}'`;
  const seen = new Set<string>();
  for (const r of v) {
    const keys = isJsonObject(r) ? Object.keys(r) : [];
    if (
      !isJsonObject(r) ||
      keys.length !== 2 ||
      !keys.includes('destination') ||
      !keys.includes('nexthop')
    ) {
      return `Invalid data format for hostroute: '${pyStr(r)}'`;
    }
    const bad = subnetCidr(r.destination) ?? ipAddress(r.nexthop);
    if (bad) return bad;
    const key = `${r.destination as string} ${r.nexthop as string}`;
    if (seen.has(key)) return `Duplicate hostroute '${pyStr(r)}'`;
    seen.add(key);
  }
  return undefined;
};

const azHints: Validator = (v) => {
  if (!Array.isArray(v)) return `'${pyStr(v)}' is not a list`;
  for (const h of v) {
    const bad = string(255)(h);
    if (bad) return bad;
  }
  return undefined;
};

function toBooleanIfNotNone(v: unknown): unknown {
  return v === null ? null : toBoolean(v);
}

/** Neutron's router attributes (router, ext-gw-mode, extraroute, dvr, l3-ha, l3-flavors, AZ). */
export const ROUTER_ATTRIBUTES: AttributeMap = {
  id: { ...TEXT },
  name: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  description: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  admin_state_up: {
    post: true,
    put: true,
    default: true,
    convert: toBoolean,
    filter: boolFilter,
    sort: true,
  },
  status: { sort: true },
  external_gateway_info: { post: true, put: true, convert: noGateway, validate: gateway },
  routes: { put: true, convert: noneToEmptyList, validate: routes },
  distributed: { post: true, put: true, convert: toBooleanIfNotNone },
  ha: { post: true, put: true, convert: toBooleanIfNotNone },
  availability_zone_hints: { post: true, convert: noneToEmptyList, validate: azHints },
  availability_zones: {},
  // Not a filter or sort key: there are no router flavors, so the value is always null.
  flavor_id: { post: true, validate: uuidOrNone },
  project_id: { ...TEXT },
  tenant_id: { ...TEXT },
  revision_number: { filter: intFilter, sort: true },
  created_at: { sort: true },
  updated_at: { sort: true },
  tags: {},
};
