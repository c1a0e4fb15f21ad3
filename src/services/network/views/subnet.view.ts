import type { Subnet } from '../subnets.js';
import { standardView } from './common.js';

/** A subnet as Neutron shows it (no segment_id: this deployment has no segments plugin). */
export function subnetView(s: Subnet): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    network_id: s.network_id,
    ip_version: s.ip_version,
    cidr: s.cidr,
    gateway_ip: s.gateway_ip,
    allocation_pools: s.allocation_pools,
    dns_nameservers: s.dns_nameservers,
    host_routes: s.host_routes,
    enable_dhcp: s.enable_dhcp,
    ipv6_ra_mode: s.ipv6_ra_mode,
    ipv6_address_mode: s.ipv6_address_mode,
    subnetpool_id: s.subnetpool_id,
    service_types: s.service_types,
    ...standardView(s),
  };
}
