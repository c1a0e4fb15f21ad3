import type { FloatingIp } from '../floating-ips.js';
import { standardView } from './common.js';

/** A floating IP as Neutron shows it, with `port_details` (fip-port-details). */
export function floatingIpView(f: FloatingIp): Record<string, unknown> {
  return {
    id: f.id,
    floating_ip_address: f.floating_ip_address,
    floating_network_id: f.floating_network_id,
    router_id: f.router_id,
    port_id: f.port_id,
    fixed_ip_address: f.fixed_ip_address,
    status: f.status,
    port_details: f.port_details,
    ...standardView(f),
  };
}
