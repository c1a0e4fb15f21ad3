import type { FastifyInstance } from 'fastify';
import { isJsonObject } from '../../../http/input.js';
import { pyStr } from '../../../http/pyrepr.js';
import type { Query } from '../../../http/query.js';
import type { RequestContext } from '../../../context.js';
import { badRequest, NeutronFault } from '../errors.js';
import { formatAddress, formatCidr, parseAddress, parseCidr } from '../ip.js';
import type { FixedIpRequest } from '../ports.js';
import type { Route } from '../router-checks.js';
import type { GatewayInput } from '../router-gateway.js';
import type { InterfaceRequest } from '../router-interfaces.js';
import type { RouterInput } from '../routers.js';
import type { NetworkService } from '../service.js';
import { badResourceRequest } from '../service-ports.js';
import { interfaceView, routerView } from '../views/router.view.js';
import { selectFields } from '../views/common.js';
import { parseCreate, parseUpdate } from './attributes.js';
import { fieldsOf, ifMatchOf, listBody } from './common.js';
import { parseListQuery } from './list-query.js';
import { ROUTER_ATTRIBUTES } from './routers.attributes.js';
import { toBoolean, uuid } from './validators.js';

type Params = { id: string };

/** Routes as Neutron stores them: netaddr's canonical texts. */
function routesOf(v: unknown): Route[] {
  return (v as Route[]).map((r) => ({
    destination: formatCidr(parseCidr(r.destination)!),
    nexthop: formatAddress(parseAddress(r.nexthop)!),
  }));
}

function gatewayOf(v: unknown): GatewayInput | null {
  if (v === null) return null;
  const g = v as Record<string, unknown>;
  return {
    network_id: g.network_id as string,
    enable_snat: Object.hasOwn(g, 'enable_snat') ? toBoolean(g.enable_snat) : undefined,
    external_fixed_ips: (g.external_fixed_ips ?? undefined) as FixedIpRequest[] | undefined,
  };
}

/** Wire attribute names -> the domain's input. */
export function routerInput(f: Record<string, unknown>): RouterInput {
  const pick = <T>(k: string): T | undefined => (Object.hasOwn(f, k) ? (f[k] as T) : undefined);
  const flavor = pick<string | null>('flavor_id');
  if (flavor) {
    throw new NeutronFault(404, 'FlavorNotFound', `Flavor ${flavor} could not be found.`);
  }
  return {
    name: pick('name'),
    description: pick('description'),
    admin_state_up: pick('admin_state_up'),
    external_gateway_info: Object.hasOwn(f, 'external_gateway_info')
      ? gatewayOf(f.external_gateway_info)
      : undefined,
    routes: Object.hasOwn(f, 'routes') ? routesOf(f.routes) : undefined,
    distributed: pick<boolean | null>('distributed') ?? undefined,
    ha: pick<boolean | null>('ha') ?? undefined,
    availability_zone_hints: pick('availability_zone_hints'),
  };
}

/** The body of add/remove_router_interface (_validate_interface_info). */
export function interfaceOf(body: unknown, removal: boolean): InterfaceRequest {
  const b = isJsonObject(body) ? body : {};
  const hasPort = Object.hasOwn(b, 'port_id');
  const hasSubnet = Object.hasOwn(b, 'subnet_id');
  if (!hasPort && !hasSubnet) {
    throw badResourceRequest('router', 'Either subnet_id or port_id must be specified');
  }
  for (const key of ['port_id', 'subnet_id']) {
    const bad = Object.hasOwn(b, key) ? uuid(b[key]) : undefined;
    if (bad) throw badResourceRequest('router', bad);
  }
  if (!removal && hasPort && hasSubnet) {
    throw badResourceRequest('router', 'Cannot specify both subnet-id and port-id');
  }
  return {
    port_id: hasPort ? (b.port_id as string) : undefined,
    subnet_id: hasSubnet ? (b.subnet_id as string) : undefined,
  };
}

/** The body of add/remove_extraroutes: {"router": {"routes": [...]}} and nothing else. */
function extraRoutesOf(ctx: RequestContext, body: unknown): Route[] {
  const fields = parseUpdate(ctx, 'router', ROUTER_ATTRIBUTES, body);
  if (!Object.hasOwn(fields, 'routes')) {
    throw badRequest("Unable to find 'routes' in request body");
  }
  const other = Object.keys(fields).filter((k) => k !== 'routes');
  if (other.length > 0) {
    throw badRequest(`Unrecognized attribute(s) '${other.map((k) => pyStr(k)).join(', ')}'`);
  }
  return routesOf(fields.routes);
}

/** /v2.0/routers and its member actions. */
export function routerRoutes(
  app: FastifyInstance,
  network: NetworkService,
  baseUrl: () => string,
): void {
  app.post('/v2.0/routers', async (req, reply) => {
    const { fields, projectId } = parseCreate(req.ctx, 'router', ROUTER_ATTRIBUTES, req.body);
    const created = await network.routers.create(req.ctx, projectId, routerInput(fields));
    return reply.code(201).send({ router: routerView(created, req.ctx) });
  });

  app.get('/v2.0/routers', async (req) => {
    const q = parseListQuery(req.query as Query, ROUTER_ATTRIBUTES);
    const page = await network.routers.list(req.ctx, q);
    return listBody(req, baseUrl(), 'routers', q, page, (r) => routerView(r, req.ctx));
  });

  app.get<{ Params: Params }>('/v2.0/routers/:id', async (req) => {
    const found = await network.routers.get(req.ctx, req.params.id);
    return { router: selectFields(routerView(found, req.ctx), fieldsOf(req)) };
  });

  app.put<{ Params: Params }>('/v2.0/routers/:id', async (req) => {
    const fields = parseUpdate(req.ctx, 'router', ROUTER_ATTRIBUTES, req.body);
    const input = routerInput(fields);
    const updated = await network.routers.update(req.ctx, req.params.id, input, ifMatchOf(req));
    return { router: routerView(updated, req.ctx) };
  });

  app.delete<{ Params: Params }>('/v2.0/routers/:id', async (req, reply) => {
    await network.routers.delete(req.ctx, req.params.id, ifMatchOf(req));
    return reply.code(204).send();
  });

  app.put<{ Params: Params }>('/v2.0/routers/:id/add_router_interface', async (req) => {
    const request = interfaceOf(req.body, false);
    return interfaceView(await network.routers.addInterface(req.ctx, req.params.id, request));
  });

  app.put<{ Params: Params }>('/v2.0/routers/:id/remove_router_interface', async (req) => {
    const request = interfaceOf(req.body, true);
    return interfaceView(await network.routers.removeInterface(req.ctx, req.params.id, request));
  });

  for (const change of ['add', 'remove'] as const) {
    app.put<{ Params: Params }>(`/v2.0/routers/:id/${change}_extraroutes`, async (req) => {
      const routes = extraRoutesOf(req.ctx, req.body);
      const updated = await network.routers.changeRoutes(req.ctx, req.params.id, change, routes);
      return { router: routerView(updated, req.ctx) };
    });
  }
}
