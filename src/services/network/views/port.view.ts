import type { RequestContext } from '../../../context.js';
import type { Port } from '../ports.js';
import { standardView } from './common.js';

/** A port as Neutron shows it; `binding:*` only to admins (Neutron's default policy). */
export function portView(p: Port, ctx: RequestContext): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: p.id,
    name: p.name,
    network_id: p.network_id,
    mac_address: p.mac_address,
    admin_state_up: p.admin_state_up,
    status: p.status,
    device_id: p.device_id,
    device_owner: p.device_owner,
    fixed_ips: p.fixed_ips,
    security_groups: p.security_groups,
    port_security_enabled: p.port_security_enabled,
    allowed_address_pairs: p.allowed_address_pairs,
    extra_dhcp_opts: p.extra_dhcp_opts,
    dns_name: p.dns_name,
    dns_assignment: p.fixed_ips.map((ip) => ({
      ip_address: ip.ip_address,
      hostname: `host-${ip.ip_address.replace(/[.:]/g, '-')}`,
      fqdn: `host-${ip.ip_address.replace(/[.:]/g, '-')}.openstacklocal.`,
    })),
    ip_allocation: 'immediate',
    propagate_uplink_status: false,
    ...standardView(p),
  };
  if (ctx.isAdmin) {
    view['binding:host_id'] = p.binding_host_id;
    view['binding:vnic_type'] = p.binding_vnic_type;
    view['binding:profile'] = p.binding_profile;
    view['binding:vif_type'] = p.binding_vif_type;
    view['binding:vif_details'] = p.binding_vif_details;
  } else {
    view['binding:vnic_type'] = p.binding_vnic_type;
  }
  return view;
}
