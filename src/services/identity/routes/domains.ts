import type { FastifyInstance } from 'fastify';
import type { IdentityService } from '../service.js';
import { collection, domainView } from '../views/resources.view.js';
import { DomainCreate, DomainUpdate, querySchema } from './schemas.js';
import { boolFilter, member, one, query } from './request.js';

const ListQuery = querySchema(['name', 'enabled']);
type Id = { Params: { id: string } };

export function domainRoutes(app: FastifyInstance, identity: IdentityService): void {
  const base = (): string => `${identity.baseUrl()}/identity/v3`;

  app.get('/v3/domains', async (req) => {
    const q = query(ListQuery, req.query);
    const domains = await identity.listDomains(req.ctx, {
      name: one(q.name),
      enabled: boolFilter(q.enabled),
    });
    return collection(
      'domains',
      domains.map((d) => domainView(d, base())),
      `${base()}/domains`,
    );
  });

  app.post('/v3/domains', async (req, reply) => {
    identity.authorize(req.ctx, 'create_domain');
    const d = member(DomainCreate, req.body, 'domain');
    const domain = await identity.createDomain(req.ctx, {
      name: d.name,
      description: d.description,
      enabled: d.enabled,
    });
    return reply.code(201).send({ domain: domainView(domain, base()) });
  });

  app.get<Id>('/v3/domains/:id', async (req) => ({
    domain: domainView(await identity.getDomain(req.ctx, req.params.id), base()),
  }));

  app.patch<Id>('/v3/domains/:id', async (req) => {
    identity.authorize(req.ctx, 'update_domain');
    const d = member(DomainUpdate, req.body, 'domain');
    const domain = await identity.updateDomain(req.ctx, req.params.id, {
      name: d.name,
      description: d.description,
      enabled: d.enabled,
    });
    return { domain: domainView(domain, base()) };
  });

  app.delete<Id>('/v3/domains/:id', async (req, reply) => {
    await identity.deleteDomain(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
