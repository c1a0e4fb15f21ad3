import type { FastifyInstance } from 'fastify';
import type { Query } from '../../../http/query.js';
import type { NetworkService } from '../service.js';
import type { SubnetInput } from '../subnets.js';
import { subnetView } from '../views/subnet.view.js';
import { selectFields } from '../views/common.js';
import { parseCreateMany, parseUpdate } from './attributes.js';
import { fieldsOf, ifMatchOf, listBody } from './common.js';
import { parseListQuery } from './list-query.js';
import { SUBNET_ATTRIBUTES } from './subnets.attributes.js';

type Params = { id: string };

/** /v2.0/subnets */
export function subnetRoutes(
  app: FastifyInstance,
  network: NetworkService,
  baseUrl: () => string,
): void {
  app.post('/v2.0/subnets', async (req, reply) => {
    const { items, bulk } = parseCreateMany(
      req.ctx,
      'subnet',
      'subnets',
      SUBNET_ATTRIBUTES,
      req.body,
    );
    const creates = items.map((i) => ({ projectId: i.projectId, input: i.fields as SubnetInput }));
    const created = await network.subnets.createBulk(req.ctx, creates);
    if (bulk) return reply.code(201).send({ subnets: created.map(subnetView) });
    return reply.code(201).send({ subnet: subnetView(created[0]!) });
  });

  app.get('/v2.0/subnets', async (req) => {
    const q = parseListQuery(req.query as Query, SUBNET_ATTRIBUTES);
    const page = await network.subnets.list(req.ctx, q);
    return listBody(req, baseUrl(), 'subnets', q, page, subnetView);
  });

  app.get<{ Params: Params }>('/v2.0/subnets/:id', async (req) => {
    const found = await network.subnets.get(req.ctx, req.params.id);
    return { subnet: selectFields(subnetView(found), fieldsOf(req)) };
  });

  app.put<{ Params: Params }>('/v2.0/subnets/:id', async (req) => {
    const fields = parseUpdate(req.ctx, 'subnet', SUBNET_ATTRIBUTES, req.body);
    const updated = await network.subnets.update(
      req.ctx,
      req.params.id,
      fields as SubnetInput,
      ifMatchOf(req),
    );
    return { subnet: subnetView(updated) };
  });

  app.delete<{ Params: Params }>('/v2.0/subnets/:id', async (req, reply) => {
    await network.subnets.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
