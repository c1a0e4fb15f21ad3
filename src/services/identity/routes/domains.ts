import type { FastifyInstance } from 'fastify';
import { first, type Query } from '../../../http/query.js';
import type { IdentityService } from '../service.js';
import { collection, domainView } from '../views/resources.view.js';
import { envelope, optBool, optString, queryBool, reqName, requireAdmin } from './input.js';

export function domainRoutes(app: FastifyInstance, identity: IdentityService): void {
  const base = (): string => `${identity.baseUrl()}/identity/v3`;

  app.get('/v3/domains', async (req) => {
    requireAdmin(req.ctx, 'list_domains');
    const q = req.query as Query;
    const domains = await identity.directory.listDomains({
      name: first(q, 'name'),
      enabled: queryBool(first(q, 'enabled')),
    });
    return collection(
      'domains',
      domains.map((d) => domainView(d, base())),
      `${base()}/domains`,
    );
  });

  app.post('/v3/domains', async (req, reply) => {
    requireAdmin(req.ctx, 'create_domain');
    const d = envelope(req.body, 'domain');
    const domain = await identity.directory.createDomain({
      name: reqName(d, 64),
      description: optString(d, 'description', 65535),
      enabled: optBool(d, 'enabled'),
    });
    return reply.code(201).send({ domain: domainView(domain, base()) });
  });

  app.get<{ Params: { id: string } }>('/v3/domains/:id', async (req) => {
    if (req.ctx.domainId !== req.params.id) requireAdmin(req.ctx, 'get_domain');
    return { domain: domainView(await identity.directory.getDomain(req.params.id), base()) };
  });

  app.patch<{ Params: { id: string } }>('/v3/domains/:id', async (req) => {
    requireAdmin(req.ctx, 'update_domain');
    const d = envelope(req.body, 'domain');
    const domain = await identity.directory.updateDomain(req.params.id, {
      name: d.name === undefined ? undefined : reqName(d, 64),
      description: optString(d, 'description', 65535),
      enabled: optBool(d, 'enabled'),
    });
    identity.changed();
    return { domain: domainView(domain, base()) };
  });

  app.delete<{ Params: { id: string } }>('/v3/domains/:id', async (req, reply) => {
    requireAdmin(req.ctx, 'delete_domain');
    await identity.directory.deleteDomain(req.params.id);
    identity.changed();
    return reply.code(204).send();
  });
}
