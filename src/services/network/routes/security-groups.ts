import type { FastifyInstance } from 'fastify';
import type { Query } from '../../../http/query.js';
import type { SecurityGroupInput } from '../security-groups.js';
import type { NetworkService } from '../service.js';
import { selectFields } from '../views/common.js';
import { securityGroupView } from '../views/security-group.view.js';
import { parseCreate, parseUpdate } from './attributes.js';
import { fieldsOf, ifMatchOf, listBody } from './common.js';
import { parseListQuery } from './list-query.js';
import { SECURITY_GROUP_ATTRIBUTES } from './security-groups.attributes.js';

type Params = { id: string };

export function groupInput(f: Record<string, unknown>): SecurityGroupInput {
  const pick = <T>(k: string): T | undefined => (Object.hasOwn(f, k) ? (f[k] as T) : undefined);
  return { name: pick('name'), description: pick('description'), stateful: pick('stateful') };
}

/** /v2.0/security-groups */
export function securityGroupRoutes(
  app: FastifyInstance,
  network: NetworkService,
  baseUrl: () => string,
): void {
  const groups = network.securityGroups;

  app.post('/v2.0/security-groups', async (req, reply) => {
    const { fields, projectId } = parseCreate(
      req.ctx,
      'security_group',
      SECURITY_GROUP_ATTRIBUTES,
      req.body,
    );
    const created = await groups.create(req.ctx, projectId, groupInput(fields));
    return reply.code(201).send({ security_group: securityGroupView(created) });
  });

  app.get('/v2.0/security-groups', async (req) => {
    const q = parseListQuery(req.query as Query, SECURITY_GROUP_ATTRIBUTES);
    const page = await groups.list(req.ctx, q);
    return listBody(req, baseUrl(), 'security_groups', q, page, securityGroupView);
  });

  app.get<{ Params: Params }>('/v2.0/security-groups/:id', async (req) => {
    const found = await groups.get(req.ctx, req.params.id);
    return { security_group: selectFields(securityGroupView(found), fieldsOf(req)) };
  });

  app.put<{ Params: Params }>('/v2.0/security-groups/:id', async (req) => {
    const fields = parseUpdate(req.ctx, 'security_group', SECURITY_GROUP_ATTRIBUTES, req.body);
    const updated = await groups.update(req.ctx, req.params.id, groupInput(fields), ifMatchOf(req));
    return { security_group: securityGroupView(updated) };
  });

  app.delete<{ Params: Params }>('/v2.0/security-groups/:id', async (req, reply) => {
    await groups.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
