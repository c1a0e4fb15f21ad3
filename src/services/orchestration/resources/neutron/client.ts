import type { RequestContext } from '../../../../context.js';
import { parseCreate, parseUpdate, type AttributeMap } from '../../../network/routes/attributes.js';
import { FLOATINGIP_ATTRIBUTES } from '../../../network/routes/floatingips.attributes.js';
import { floatingIpInput } from '../../../network/routes/floatingips.js';
import { NETWORK_ATTRIBUTES } from '../../../network/routes/networks.attributes.js';
import { networkInput } from '../../../network/routes/networks.js';
import { PORT_ATTRIBUTES } from '../../../network/routes/ports.attributes.js';
import { portInput } from '../../../network/routes/ports.js';
import { ROUTER_ATTRIBUTES } from '../../../network/routes/routers.attributes.js';
import { interfaceOf, routerInput } from '../../../network/routes/routers.js';
import { SECURITY_GROUP_RULE_ATTRIBUTES } from '../../../network/routes/security-group-rules.attributes.js';
import { SECURITY_GROUP_ATTRIBUTES } from '../../../network/routes/security-groups.attributes.js';
import { groupInput } from '../../../network/routes/security-groups.js';
import { SUBNET_ATTRIBUTES } from '../../../network/routes/subnets.attributes.js';
import type { NetworkService } from '../../../network/service.js';
import type { RuleInput } from '../../../network/security-group-rules.js';
import type { SubnetInput } from '../../../network/subnets.js';
import { floatingIpView } from '../../../network/views/floatingip.view.js';
import { networkView } from '../../../network/views/network.view.js';
import { portView } from '../../../network/views/port.view.js';
import { routerView } from '../../../network/views/router.view.js';
import { securityGroupRuleView } from '../../../network/views/security-group-rule.view.js';
import { securityGroupView } from '../../../network/views/security-group.view.js';
import { subnetView } from '../../../network/views/subnet.view.js';
import type { ResourceContext } from '../types.js';

/**
 * The Neutron calls Heat's plugins make through neutronclient (create_network, show_port,
 * update_router, ...), made on the network service's domain methods with the stack owner's
 * context. Request bodies go through Neutron's own attribute maps first, so a body Heat builds
 * is converted, checked and refused exactly as the API would refuse it.
 */
type Rc = Pick<ResourceContext, 'ctx' | 'services'>;
type View = Record<string, unknown>;

interface Entity {
  map: AttributeMap;
  create(
    net: NetworkService,
    ctx: RequestContext,
    project: string,
    f: View,
  ): Promise<{ id: string }>;
  update(net: NetworkService, ctx: RequestContext, id: string, f: View): Promise<unknown>;
  show(net: NetworkService, ctx: RequestContext, id: string): Promise<View>;
  remove(net: NetworkService, ctx: RequestContext, id: string): Promise<void>;
}

const ENTITIES = {
  network: {
    map: NETWORK_ATTRIBUTES,
    create: (n, ctx, p, f) => n.networks.create(ctx, p, networkInput(f)),
    update: (n, ctx, id, f) => n.networks.update(ctx, id, networkInput(f)),
    show: async (n, ctx, id) => networkView(await n.networks.get(ctx, id), ctx),
    remove: (n, ctx, id) => n.networks.delete(ctx, id),
  },
  subnet: {
    map: SUBNET_ATTRIBUTES,
    create: (n, ctx, p, f) => n.subnets.create(ctx, p, f as SubnetInput),
    update: (n, ctx, id, f) => n.subnets.update(ctx, id, f as SubnetInput),
    show: async (n, ctx, id) => subnetView(await n.subnets.get(ctx, id)),
    remove: (n, ctx, id) => n.subnets.delete(ctx, id),
  },
  port: {
    map: PORT_ATTRIBUTES,
    create: (n, ctx, p, f) => n.ports.create(ctx, p, portInput(f)),
    update: (n, ctx, id, f) => n.ports.update(ctx, id, portInput(f)),
    show: async (n, ctx, id) => portView(await n.ports.get(ctx, id), ctx),
    remove: (n, ctx, id) => n.ports.delete(ctx, id),
  },
  router: {
    map: ROUTER_ATTRIBUTES,
    create: (n, ctx, p, f) => n.routers.create(ctx, p, routerInput(f)),
    update: (n, ctx, id, f) => n.routers.update(ctx, id, routerInput(f)),
    show: async (n, ctx, id) => routerView(await n.routers.get(ctx, id), ctx),
    remove: (n, ctx, id) => n.routers.delete(ctx, id),
  },
  security_group: {
    map: SECURITY_GROUP_ATTRIBUTES,
    create: (n, ctx, p, f) => n.securityGroups.create(ctx, p, groupInput(f)),
    update: (n, ctx, id, f) => n.securityGroups.update(ctx, id, groupInput(f)),
    show: async (n, ctx, id) => securityGroupView(await n.securityGroups.get(ctx, id)),
    remove: (n, ctx, id) => n.securityGroups.delete(ctx, id),
  },
  security_group_rule: {
    map: SECURITY_GROUP_RULE_ATTRIBUTES,
    // parseCreate has converted and checked every attribute and filled in the defaults.
    create: (n, ctx, p, f) => n.securityGroups.rules.create(ctx, p, f as unknown as RuleInput),
    update: () => Promise.resolve(),
    show: async (n, ctx, id) => securityGroupRuleView(await n.securityGroups.rules.get(ctx, id)),
    remove: (n, ctx, id) => n.securityGroups.rules.delete(ctx, id),
  },
  floatingip: {
    map: FLOATINGIP_ATTRIBUTES,
    create: (n, ctx, p, f) => n.floatingIps.create(ctx, p, floatingIpInput(f)),
    update: (n, ctx, id, f) => n.floatingIps.update(ctx, id, floatingIpInput(f)),
    show: async (n, ctx, id) => floatingIpView(await n.floatingIps.get(ctx, id)),
    remove: (n, ctx, id) => n.floatingIps.delete(ctx, id),
  },
} satisfies Record<string, Entity>;

export type NeutronResource = keyof typeof ENTITIES;

/** create_<resource>({<resource>: body}): the new object's id. */
export async function create(rc: Rc, resource: NeutronResource, body: View): Promise<string> {
  const e: Entity = ENTITIES[resource];
  const { fields, projectId } = parseCreate(rc.ctx, resource, e.map, { [resource]: body });
  return (await e.create(rc.services.network, rc.ctx, projectId, fields)).id;
}

/** update_<resource>(id, {<resource>: body}). */
export async function update(
  rc: Rc,
  resource: NeutronResource,
  id: string,
  body: View,
): Promise<void> {
  const e: Entity = ENTITIES[resource];
  const fields = parseUpdate(rc.ctx, resource, e.map, { [resource]: body });
  await e.update(rc.services.network, rc.ctx, id, fields);
}

/** show_<resource>(id)[<resource>]: the object as Neutron's API shows it. */
export function show(rc: Rc, resource: NeutronResource, id: string): Promise<View> {
  const e: Entity = ENTITIES[resource];
  return e.show(rc.services.network, rc.ctx, id);
}

/** delete_<resource>(id). */
export function remove(rc: Rc, resource: NeutronResource, id: string): Promise<void> {
  const e: Entity = ENTITIES[resource];
  return e.remove(rc.services.network, rc.ctx, id);
}

/** add_interface_router / remove_interface_router with {subnet_id} or {port_id}. */
export async function routerInterface(
  rc: Rc,
  change: 'add' | 'remove',
  routerId: string,
  body: View,
): Promise<void> {
  const request = interfaceOf(body, change === 'remove');
  const routers = rc.services.network.routers;
  if (change === 'add') await routers.addInterface(rc.ctx, routerId, request);
  else await routers.removeInterface(rc.ctx, routerId, request);
}
