import type { SubnetPool } from '../subnetpools.js';
import { standardView } from './common.js';

/** A subnet pool as Neutron shows it; prefix lengths are numbers. */
export function subnetPoolView(p: SubnetPool): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    ip_version: p.ip_version,
    prefixes: p.prefixes,
    default_prefixlen: p.default_prefixlen,
    min_prefixlen: p.min_prefixlen,
    max_prefixlen: p.max_prefixlen,
    default_quota: p.default_quota,
    shared: p.shared,
    is_default: p.is_default,
    address_scope_id: p.address_scope_id,
    ...standardView(p),
  };
}
