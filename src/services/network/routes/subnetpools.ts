import type { FastifyInstance } from 'fastify';
import type { Query } from '../../../http/query.js';
import type { NetworkService } from '../service.js';
import type { SubnetPoolInput } from '../subnetpools.js';
import { subnetPoolView } from '../views/subnetpool.view.js';
import { selectFields } from '../views/common.js';
import { parseCreate, parseUpdate } from './attributes.js';
import { fieldsOf, ifMatchOf, listBody } from './common.js';
import { parseListQuery } from './list-query.js';
import { SUBNETPOOL_ATTRIBUTES } from './subnetpools.attributes.js';

type Params = { id: string };

/** /v2.0/subnetpools (subnet_allocation). */
export function subnetPoolRoutes(
  app: FastifyInstance,
  network: NetworkService,
  baseUrl: () => string,
): void {
  app.post('/v2.0/subnetpools', async (req, reply) => {
    const { fields, projectId } = parseCreate(
      req.ctx,
      'subnetpool',
      SUBNETPOOL_ATTRIBUTES,
      req.body,
    );
    const input = fields as SubnetPoolInput;
    const created = await network.subnetpools.create(req.ctx, projectId, input);
    return reply.code(201).send({ subnetpool: subnetPoolView(created) });
  });

  app.get('/v2.0/subnetpools', async (req) => {
    const q = parseListQuery(req.query as Query, SUBNETPOOL_ATTRIBUTES);
    const page = await network.subnetpools.list(req.ctx, q);
    return listBody(req, baseUrl(), 'subnetpools', q, page, subnetPoolView);
  });

  app.get<{ Params: Params }>('/v2.0/subnetpools/:id', async (req) => {
    const found = await network.subnetpools.get(req.ctx, req.params.id);
    return { subnetpool: selectFields(subnetPoolView(found), fieldsOf(req)) };
  });

  app.put<{ Params: Params }>('/v2.0/subnetpools/:id', async (req) => {
    const fields = parseUpdate(req.ctx, 'subnetpool', SUBNETPOOL_ATTRIBUTES, req.body);
    const updated = await network.subnetpools.update(
      req.ctx,
      req.params.id,
      fields as SubnetPoolInput,
      ifMatchOf(req),
    );
    return { subnetpool: subnetPoolView(updated) };
  });

  app.delete<{ Params: Params }>('/v2.0/subnetpools/:id', async (req, reply) => {
    await network.subnetpools.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
