import type { FastifyInstance } from 'fastify';
import type { IdentityService } from '../service.js';
import { collection, roleView } from '../views/resources.view.js';
import { RoleCreate, RoleUpdate, querySchema } from './schemas.js';
import { member, one, query } from './request.js';

const ListQuery = querySchema(['name', 'domain_id']);
type Id = { Params: { id: string } };

export function roleRoutes(app: FastifyInstance, identity: IdentityService): void {
  const base = (): string => `${identity.baseUrl()}/identity/v3`;

  app.get('/v3/roles', async (req) => {
    const q = query(ListQuery, req.query);
    const roles = await identity.listRoles(req.ctx, {
      name: one(q.name),
      domain_id: one(q.domain_id),
    });
    return collection(
      'roles',
      roles.map((r) => roleView(r, base())),
      `${base()}/roles`,
    );
  });

  app.post('/v3/roles', async (req, reply) => {
    identity.authorize(req.ctx, 'create_role');
    const r = member(RoleCreate, req.body, 'role');
    const role = await identity.createRole(req.ctx, {
      name: r.name,
      domain_id: r.domain_id,
      description: r.description,
    });
    return reply.code(201).send({ role: roleView(role, base()) });
  });

  app.get<Id>('/v3/roles/:id', async (req) => ({
    role: roleView(await identity.getRole(req.ctx, req.params.id), base()),
  }));

  app.patch<Id>('/v3/roles/:id', async (req) => {
    identity.authorize(req.ctx, 'update_role');
    const r = member(RoleUpdate, req.body, 'role');
    const role = await identity.updateRole(req.ctx, req.params.id, {
      name: r.name,
      description: r.description,
    });
    return { role: roleView(role, base()) };
  });

  app.delete<Id>('/v3/roles/:id', async (req, reply) => {
    await identity.deleteRole(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
