import type { RequestContext } from '../../../context.js';
import type { Port } from '../ports.js';
import { standardView } from './common.js';

/**
 * A port as a Zed DevStack (ML2/OVS) shows it: the core attributes and those of the
 * extensions it loads (security-group, port-security, allowed-address-pairs, extra_dhcp_opt,
 * binding). `binding:host_id`, `binding:profile`, `binding:vif_type` and `binding:vif_details`
 * are for admins only (Neutron's default policy drops them for others); `binding:vnic_type`
 * is for everyone.
 */
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
    'binding:vnic_type': p.binding_vnic_type,
    ...standardView(p),
  };
  if (ctx.isAdmin) {
    view['binding:host_id'] = p.binding_host_id;
    view['binding:profile'] = p.binding_profile;
    view['binding:vif_type'] = p.binding_vif_type;
    view['binding:vif_details'] = p.binding_vif_details;
  }
  return view;
}
