import type { RequestContext } from '../../../context.js';
import type { InterfaceInfo } from '../router-interfaces.js';
import type { Router } from '../routers.js';
import { standardView } from './common.js';

/** A router as Neutron shows it; `distributed` and `ha` only to admins (Neutron's policy). */
export function routerView(r: Router, ctx: RequestContext): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: r.id,
    name: r.name,
    admin_state_up: r.admin_state_up,
    status: r.status,
    external_gateway_info: r.external_gateway_info,
    routes: r.routes,
    availability_zone_hints: r.availability_zone_hints,
    availability_zones: ['nova'],
    flavor_id: null,
    ...standardView(r),
  };
  if (ctx.isAdmin) {
    view.distributed = r.distributed;
    view.ha = r.ha;
  }
  return view;
}

/** The body of add/remove_router_interface: the router's id with the port and its subnets. */
export function interfaceView(i: InterfaceInfo): Record<string, unknown> {
  return {
    id: i.id,
    network_id: i.network_id,
    port_id: i.port_id,
    subnet_id: i.subnet_id,
    subnet_ids: i.subnet_ids,
    project_id: i.project_id,
    tenant_id: i.project_id,
  };
}
