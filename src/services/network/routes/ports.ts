import type { FastifyInstance } from 'fastify';
import type { Query } from '../../../http/query.js';
import type { PortInput } from '../ports.js';
import type { NetworkService } from '../service.js';
import { portView } from '../views/port.view.js';
import { selectFields } from '../views/common.js';
import { parseCreate, parseUpdate } from './attributes.js';
import { fieldsOf, ifMatchOf, listBody } from './common.js';
import { parseListQuery } from './list-query.js';
import { PORT_ATTRIBUTES } from './ports.attributes.js';

type Params = { id: string };

function portInput(f: Record<string, unknown>): PortInput {
  const { 'binding:host_id': host, 'binding:vnic_type': vnic, 'binding:profile': profile } = f;
  return {
    ...(f as PortInput),
    binding_host_id: host as string | undefined,
    binding_vnic_type: vnic as string | undefined,
    binding_profile: profile as Record<string, unknown> | undefined,
  };
}

/** /v2.0/ports */
export function portRoutes(
  app: FastifyInstance,
  network: NetworkService,
  baseUrl: () => string,
): void {
  app.post('/v2.0/ports', async (req, reply) => {
    const { fields, projectId } = parseCreate(req.ctx, 'port', PORT_ATTRIBUTES, req.body);
    const created = await network.ports.create(req.ctx, projectId, portInput(fields));
    return reply.code(201).send({ port: portView(created, req.ctx) });
  });

  app.get('/v2.0/ports', async (req) => {
    const q = parseListQuery(req.query as Query, PORT_ATTRIBUTES, ['fixed_ips']);
    const page = await network.ports.list(req.ctx, q);
    return listBody(req, baseUrl(), 'ports', q, page, (p) => portView(p, req.ctx));
  });

  app.get<{ Params: Params }>('/v2.0/ports/:id', async (req) => {
    const found = await network.ports.get(req.ctx, req.params.id);
    return { port: selectFields(portView(found, req.ctx), fieldsOf(req)) };
  });

  app.put<{ Params: Params }>('/v2.0/ports/:id', async (req) => {
    const fields = parseUpdate(req.ctx, 'port', PORT_ATTRIBUTES, req.body);
    const updated = await network.ports.update(
      req.ctx,
      req.params.id,
      portInput(fields),
      ifMatchOf(req),
    );
    return { port: portView(updated, req.ctx) };
  });

  app.delete<{ Params: Params }>('/v2.0/ports/:id', async (req, reply) => {
    await network.ports.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
