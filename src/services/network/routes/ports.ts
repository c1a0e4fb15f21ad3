import type { FastifyInstance } from 'fastify';
import type { RequestContext } from '../../../context.js';
import { isJsonObject } from '../../../http/input.js';
import type { Query } from '../../../http/query.js';
import { badRequest } from '../errors.js';
import type { FixedIpRequest, PortInput } from '../ports.js';
import type { NetworkService } from '../service.js';
import { portView } from '../views/port.view.js';
import { selectFields } from '../views/common.js';
import { parseCreate, parseUpdate } from './attributes.js';
import { fieldsOf, ifMatchOf, listBody } from './common.js';
import { parseListQuery } from './list-query.js';
import { PORT_ATTRIBUTES, PORT_OWN_FILTERS } from './ports.attributes.js';

type Params = { id: string };

/** The subnet and address of each fixed IP; other keys are ignored, as Neutron ignores them. */
function fixedIpsOf(list: unknown): FixedIpRequest[] {
  return (list as Record<string, unknown>[]).map((f) => ({
    ...(Object.hasOwn(f, 'subnet_id') ? { subnet_id: f.subnet_id as string } : {}),
    ...(Object.hasOwn(f, 'ip_address') ? { ip_address: f.ip_address as string } : {}),
  }));
}

/** Wire attribute names -> the domain's input; an attribute not given stays undefined. */
export function portInput(f: Record<string, unknown>): PortInput {
  const pick = <T>(k: string): T | undefined => (Object.hasOwn(f, k) ? (f[k] as T) : undefined);
  const fixed = pick<unknown[]>('fixed_ips');
  const pairs = pick<Record<string, unknown>[]>('allowed_address_pairs');
  const opts = pick<Record<string, unknown>[] | null>('extra_dhcp_opts');
  return {
    network_id: pick('network_id'),
    name: pick('name'),
    description: pick('description'),
    admin_state_up: pick('admin_state_up'),
    mac_address: pick('mac_address'),
    fixed_ips: fixed === undefined ? undefined : fixedIpsOf(fixed),
    device_id: pick('device_id'),
    device_owner: pick('device_owner'),
    security_groups: pick('security_groups'),
    port_security_enabled: pick('port_security_enabled'),
    binding_host_id: pick('binding:host_id'),
    binding_vnic_type: pick('binding:vnic_type'),
    binding_profile: pick('binding:profile'),
    allowed_address_pairs: pairs?.map((p) => ({
      ip_address: p.ip_address as string,
      ...(Object.hasOwn(p, 'mac_address') ? { mac_address: p.mac_address as string } : {}),
    })),
    extra_dhcp_opts:
      opts === undefined
        ? undefined
        : (opts ?? []).map((o) => ({
            opt_name: o.opt_name,
            opt_value: o.opt_value,
            ip_version: o.ip_version === undefined ? 4 : Number(o.ip_version),
          })),
    tags: pick('tags'),
  };
}

/**
 * A POST body: one port, or a bulk `{"ports": [...]}` whose items are ports or `{"port": ...}`
 * (neutron/api/v2/base.py prepare_request_body).
 */
function parsePosts(
  ctx: RequestContext,
  body: unknown,
): { projectId: string; input: PortInput }[] | null {
  const one = (item: unknown) => {
    const { fields, projectId } = parseCreate(ctx, 'port', PORT_ATTRIBUTES, item);
    return { projectId, input: portInput(fields) };
  };
  if (!isJsonObject(body) || !Object.hasOwn(body, 'ports')) return null;
  const items = body.ports;
  if (!Array.isArray(items)) throw badRequest('Body contains invalid data');
  if (items.length === 0) throw badRequest('Resources required');
  return items.map((item) =>
    one(isJsonObject(item) && Object.hasOwn(item, 'port') ? item : { port: item }),
  );
}

/** /v2.0/ports */
export function portRoutes(
  app: FastifyInstance,
  network: NetworkService,
  baseUrl: () => string,
): void {
  app.post('/v2.0/ports', async (req, reply) => {
    const bulk = parsePosts(req.ctx, req.body);
    if (bulk) {
      const made = await network.ports.createMany(req.ctx, bulk);
      return reply.code(201).send({ ports: made.map((p) => portView(p, req.ctx)) });
    }
    const { fields, projectId } = parseCreate(req.ctx, 'port', PORT_ATTRIBUTES, req.body);
    const created = await network.ports.create(req.ctx, projectId, portInput(fields));
    return reply.code(201).send({ port: portView(created, req.ctx) });
  });

  app.get('/v2.0/ports', async (req) => {
    const q = parseListQuery(req.query as Query, PORT_ATTRIBUTES, PORT_OWN_FILTERS);
    const page = await network.ports.list(req.ctx, q);
    return listBody(req, baseUrl(), 'ports', q, page, (p) => portView(p, req.ctx));
  });

  app.get<{ Params: Params }>('/v2.0/ports/:id', async (req) => {
    const found = await network.ports.get(req.ctx, req.params.id);
    return { port: selectFields(portView(found, req.ctx), fieldsOf(req)) };
  });

  app.put<{ Params: Params }>('/v2.0/ports/:id', async (req) => {
    const fields = parseUpdate(req.ctx, 'port', PORT_ATTRIBUTES, req.body);
    const input = portInput(fields);
    const updated = await network.ports.update(req.ctx, req.params.id, input, ifMatchOf(req));
    return { port: portView(updated, req.ctx) };
  });

  app.delete<{ Params: Params }>('/v2.0/ports/:id', async (req, reply) => {
    await network.ports.delete(req.ctx, req.params.id, ifMatchOf(req));
    return reply.code(204).send();
  });
}
