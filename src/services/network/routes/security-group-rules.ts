import type { FastifyInstance } from 'fastify';
import type { Query } from '../../../http/query.js';
import type { RuleInput } from '../security-group-rules.js';
import type { NetworkService } from '../service.js';
import { selectFields } from '../views/common.js';
import { securityGroupRuleView } from '../views/security-group-rule.view.js';
import { parseCreate } from './attributes.js';
import { fieldsOf, listBody } from './common.js';
import { parseListQuery } from './list-query.js';
import { SECURITY_GROUP_RULE_ATTRIBUTES } from './security-group-rules.attributes.js';

type Params = { id: string };

/** /v2.0/security-group-rules: rules are created and deleted, never updated (Zed). */
export function securityGroupRuleRoutes(
  app: FastifyInstance,
  network: NetworkService,
  baseUrl: () => string,
): void {
  const rules = network.securityGroups.rules;

  app.post('/v2.0/security-group-rules', async (req, reply) => {
    const { fields, projectId } = parseCreate(
      req.ctx,
      'security_group_rule',
      SECURITY_GROUP_RULE_ATTRIBUTES,
      req.body,
    );
    // parseCreate has converted and validated every attribute and filled in the defaults.
    const created = await rules.create(req.ctx, projectId, fields as unknown as RuleInput);
    return reply.code(201).send({ security_group_rule: securityGroupRuleView(created) });
  });

  app.get('/v2.0/security-group-rules', async (req) => {
    const q = parseListQuery(req.query as Query, SECURITY_GROUP_RULE_ATTRIBUTES);
    const page = await rules.list(req.ctx, q);
    return listBody(req, baseUrl(), 'security_group_rules', q, page, securityGroupRuleView);
  });

  app.get<{ Params: Params }>('/v2.0/security-group-rules/:id', async (req) => {
    const found = await rules.get(req.ctx, req.params.id);
    return { security_group_rule: selectFields(securityGroupRuleView(found), fieldsOf(req)) };
  });

  app.delete<{ Params: Params }>('/v2.0/security-group-rules/:id', async (req, reply) => {
    await rules.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
