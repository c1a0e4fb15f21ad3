import type { FastifyInstance } from 'fastify';
import type { IdentityService } from '../service.js';
import { collection, projectView, userView } from '../views/resources.view.js';
import { UserCreate, UserUpdate, querySchema } from './schemas.js';
import { boolFilter, member, one, query } from './request.js';

const ListQuery = querySchema(['name', 'domain_id', 'enabled']);
type Id = { Params: { id: string } };

export function userRoutes(app: FastifyInstance, identity: IdentityService): void {
  const base = (): string => `${identity.baseUrl()}/identity/v3`;

  app.get('/v3/users', async (req) => {
    const q = query(ListQuery, req.query);
    const users = await identity.listUsers(req.ctx, {
      name: one(q.name),
      domain_id: one(q.domain_id),
      enabled: boolFilter(q.enabled),
    });
    return collection(
      'users',
      users.map((u) => userView(u, base())),
      `${base()}/users`,
    );
  });

  app.post('/v3/users', async (req, reply) => {
    identity.authorize(req.ctx, 'create_user');
    const u = member(UserCreate, req.body, 'user');
    const user = await identity.createUser(req.ctx, {
      name: u.name,
      domain_id: u.domain_id,
      password: u.password,
      enabled: u.enabled,
      default_project_id: u.default_project_id,
      description: u.description,
      email: u.email,
    });
    return reply.code(201).send({ user: userView(user, base()) });
  });

  app.get<Id>('/v3/users/:id', async (req) => ({
    user: userView(await identity.getUser(req.ctx, req.params.id), base()),
  }));

  app.patch<Id>('/v3/users/:id', async (req) => {
    identity.authorize(req.ctx, 'update_user');
    const u = member(UserUpdate, req.body, 'user');
    const user = await identity.updateUser(req.ctx, req.params.id, {
      name: u.name,
      password: u.password,
      enabled: u.enabled,
      default_project_id: u.default_project_id,
      description: u.description,
      email: u.email,
    });
    return { user: userView(user, base()) };
  });

  app.delete<Id>('/v3/users/:id', async (req, reply) => {
    await identity.deleteUser(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  app.get<Id>('/v3/users/:id/projects', async (req) => {
    const projects = await identity.listUserProjects(req.ctx, req.params.id);
    return collection(
      'projects',
      projects.map((p) => projectView(p, base())),
      `${base()}/users/${req.params.id}/projects`,
    );
  });
}
