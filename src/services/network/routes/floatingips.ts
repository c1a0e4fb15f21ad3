import type { FastifyInstance } from 'fastify';
import type { Query } from '../../../http/query.js';
import type { FloatingIpInput } from '../floating-ips.js';
import type { NetworkService } from '../service.js';
import { floatingIpView } from '../views/floatingip.view.js';
import { selectFields } from '../views/common.js';
import { parseCreate, parseUpdate } from './attributes.js';
import { fieldsOf, ifMatchOf, listBody } from './common.js';
import { FLOATINGIP_ATTRIBUTES } from './floatingips.attributes.js';
import { parseListQuery } from './list-query.js';

type Params = { id: string };

/** Wire attributes -> the domain's input; a null address or subnet is the same as none. */
export function floatingIpInput(f: Record<string, unknown>): FloatingIpInput {
  const pick = <T>(k: string): T | undefined => (Object.hasOwn(f, k) ? (f[k] as T) : undefined);
  return {
    floating_network_id: pick('floating_network_id'),
    floating_ip_address: pick<string | null>('floating_ip_address') ?? undefined,
    subnet_id: pick<string | null>('subnet_id') ?? undefined,
    port_id: pick('port_id'),
    fixed_ip_address: pick('fixed_ip_address'),
    description: pick('description'),
  };
}

/** /v2.0/floatingips */
export function floatingIpRoutes(
  app: FastifyInstance,
  network: NetworkService,
  baseUrl: () => string,
): void {
  app.post('/v2.0/floatingips', async (req, reply) => {
    const { fields, projectId } = parseCreate(
      req.ctx,
      'floatingip',
      FLOATINGIP_ATTRIBUTES,
      req.body,
    );
    const created = await network.floatingIps.create(req.ctx, projectId, floatingIpInput(fields));
    return reply.code(201).send({ floatingip: floatingIpView(created) });
  });

  app.get('/v2.0/floatingips', async (req) => {
    const q = parseListQuery(req.query as Query, FLOATINGIP_ATTRIBUTES);
    const page = await network.floatingIps.list(req.ctx, q);
    return listBody(req, baseUrl(), 'floatingips', q, page, floatingIpView);
  });

  app.get<{ Params: Params }>('/v2.0/floatingips/:id', async (req) => {
    const found = await network.floatingIps.get(req.ctx, req.params.id);
    return { floatingip: selectFields(floatingIpView(found), fieldsOf(req)) };
  });

  app.put<{ Params: Params }>('/v2.0/floatingips/:id', async (req) => {
    const fields = parseUpdate(req.ctx, 'floatingip', FLOATINGIP_ATTRIBUTES, req.body);
    const updated = await network.floatingIps.update(
      req.ctx,
      req.params.id,
      floatingIpInput(fields),
      ifMatchOf(req),
    );
    return { floatingip: floatingIpView(updated) };
  });

  app.delete<{ Params: Params }>('/v2.0/floatingips/:id', async (req, reply) => {
    await network.floatingIps.delete(req.ctx, req.params.id, ifMatchOf(req));
    return reply.code(204).send();
  });
}
