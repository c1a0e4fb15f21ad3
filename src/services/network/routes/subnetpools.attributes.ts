import { pyStr } from '../../../http/pyrepr.js';
import { formatAddress, parseAddress, parseCidr } from '../ip.js';
import type { AttributeMap } from './attributes.js';
import {
  boolFilter,
  intFilter,
  string,
  textFilter,
  toBoolean,
  toInt,
  type Validator,
} from './validators.js';

const TEXT = { filter: textFilter, sort: true } as const;
const INT = { filter: intFilter, sort: true } as const;

/** validate_not_empty_string. */
const notEmpty: Validator = (v) => {
  const bad = string(255)(v);
  if (bad) return bad;
  return (v as string).trim() === ''
    ? `'${v as string}' Blank strings are not permitted`
    : undefined;
};

/** validate_non_negative, after convert_to_int. */
const nonNegative: Validator = (v) =>
  typeof v === 'number' && v < 0 ? `'${v}' should be non-negative` : undefined;

/** validate_subnet: a CIDR (host bits are accepted and dropped later); a bare address gets
 * its single-host CIDR as the hint. */
const subnetText: Validator = (v) => {
  const a = parseAddress(v);
  if (a) {
    const hint = `${formatAddress(a)}/${a.version === 4 ? 32 : 128}`;
    return `'${v as string}' isn't a recognized IP subnet cidr, '${hint}' is recommended`;
  }
  return parseCidr(v) ? undefined : `'${pyStr(v)}' is not a valid IP subnet`;
};

/** validate_subnet_list: a list of unique subnet CIDRs (host bits allowed, as validate_subnet
 * allows them on input). */
const subnetList: Validator = (v) => {
  if (!Array.isArray(v)) return `'${pyStr(v)}' is not a list`;
  const seen = new Set<unknown>();
  const dups: unknown[] = [];
  for (const item of v) {
    if (seen.has(item) && !dups.includes(item)) dups.push(item);
    seen.add(item);
  }
  if (dups.length > 0) {
    return `Duplicate items in the list: '${dups.map((d) => pyStr(d)).join(', ')}'`;
  }
  for (const item of v) {
    const reason = subnetText(item);
    if (reason) return reason;
  }
  return undefined;
};

/** Neutron's subnetpool attributes (neutron_lib/api/definitions/subnetpool.py, address_scope). */
export const SUBNETPOOL_ATTRIBUTES: AttributeMap = {
  id: { ...TEXT },
  name: { post: true, put: true, required: true, validate: notEmpty, ...TEXT },
  description: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  prefixes: { post: true, put: true, required: true, validate: subnetList },
  default_quota: { post: true, put: true, convert: toInt, validate: nonNegative, ...INT },
  ip_version: { ...INT },
  default_prefixlen: { post: true, put: true, convert: toInt, validate: nonNegative, ...INT },
  min_prefixlen: { post: true, put: true, convert: toInt, validate: nonNegative, ...INT },
  max_prefixlen: { post: true, put: true, convert: toInt, validate: nonNegative, ...INT },
  is_default: {
    post: true,
    put: true,
    default: false,
    adminOnly: true,
    convert: toBoolean,
    filter: boolFilter,
    sort: true,
  },
  shared: {
    post: true,
    default: false,
    adminOnly: true,
    convert: toBoolean,
    filter: boolFilter,
    sort: true,
  },
  address_scope_id: { ...TEXT },
  project_id: { ...TEXT },
  tenant_id: { ...TEXT },
  revision_number: { ...INT },
  created_at: { sort: true },
  updated_at: { sort: true },
  tags: {},
};
