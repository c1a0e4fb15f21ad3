import { isoSeconds } from '../../../util.js';
import type { SecurityGroupRuleRow } from '../../../store/network-schema.js';
import { formatCidr, parseCidr } from '../ip.js';

/** normalized_cidr: the network of the remote prefix (`10.0.0.5/24` -> `10.0.0.0/24`). */
function normalizedCidr(prefix: string | null): string | null {
  const cidr = prefix === null ? null : parseCidr(prefix);
  return cidr ? formatCidr(cidr) : null;
}

/** A security group rule as Neutron shows it: the standard attributes but no tags. */
export function securityGroupRuleView(r: SecurityGroupRuleRow): Record<string, unknown> {
  return {
    id: r.id,
    project_id: r.project_id,
    tenant_id: r.project_id,
    security_group_id: r.security_group_id,
    ethertype: r.ethertype,
    direction: r.direction,
    protocol: r.protocol,
    port_range_min: r.port_range_min,
    port_range_max: r.port_range_max,
    remote_ip_prefix: r.remote_ip_prefix,
    remote_address_group_id: r.remote_address_group_id,
    normalized_cidr: normalizedCidr(r.remote_ip_prefix),
    remote_group_id: r.remote_group_id,
    description: r.description,
    created_at: isoSeconds(r.created_at),
    updated_at: isoSeconds(r.updated_at),
    revision_number: r.revision_number,
  };
}
