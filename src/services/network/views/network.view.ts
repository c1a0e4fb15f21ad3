import type { RequestContext } from '../../../context.js';
import type { Network } from '../networks.js';
import { standardView } from './common.js';

/** A network as Neutron shows it; the provider attributes only to admins (Neutron's policy). */
export function networkView(n: Network, ctx: RequestContext): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: n.id,
    name: n.name,
    admin_state_up: n.admin_state_up,
    status: n.status,
    subnets: n.subnets,
    shared: n.shared,
    availability_zone_hints: n.availability_zone_hints,
    availability_zones: ['nova'],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    'router:external': n.external,
    mtu: n.mtu,
    port_security_enabled: n.port_security_enabled,
    dns_domain: n.dns_domain,
    l2_adjacency: true,
    ...standardView(n),
  };
  // `is_default` belongs to external networks (auto-allocated-topology); others do not show it.
  if (n.external) view.is_default = n.is_default;
  if (ctx.isAdmin) {
    view['provider:network_type'] = n.network_type;
    view['provider:physical_network'] = n.physical_network;
    view['provider:segmentation_id'] = n.segmentation_id;
  }
  return view;
}
