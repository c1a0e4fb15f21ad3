import type { FastifyInstance } from 'fastify';
import { first, type Query } from '../../../http/query.js';
import type { IdentityService } from '../service.js';
import { collection, projectView, userView } from '../views/resources.view.js';
import {
  envelope,
  optBool,
  optNullableString,
  optString,
  queryBool,
  reqName,
  requireAdmin,
} from './input.js';

export function userRoutes(app: FastifyInstance, identity: IdentityService): void {
  const base = (): string => `${identity.baseUrl()}/identity/v3`;

  app.get('/v3/users', async (req) => {
    requireAdmin(req.ctx, 'list_users');
    const q = req.query as Query;
    const users = await identity.directory.listUsers({
      name: first(q, 'name'),
      domain_id: first(q, 'domain_id'),
      enabled: queryBool(first(q, 'enabled')),
    });
    return collection(
      'users',
      users.map((u) => userView(u, base())),
      `${base()}/users`,
    );
  });

  app.post('/v3/users', async (req, reply) => {
    requireAdmin(req.ctx, 'create_user');
    const u = envelope(req.body, 'user');
    const user = await identity.directory.createUser({
      name: reqName(u),
      domain_id: optString(u, 'domain_id', 64),
      password: optNullableString(u, 'password'),
      enabled: optBool(u, 'enabled'),
      default_project_id: optNullableString(u, 'default_project_id'),
      description: optNullableString(u, 'description'),
      email: optNullableString(u, 'email'),
    });
    return reply.code(201).send({ user: userView(user, base()) });
  });

  app.get<{ Params: { id: string } }>('/v3/users/:id', async (req) => {
    if (req.ctx.userId !== req.params.id) requireAdmin(req.ctx, 'get_user');
    return { user: userView(await identity.directory.getUser(req.params.id), base()) };
  });

  app.patch<{ Params: { id: string } }>('/v3/users/:id', async (req) => {
    requireAdmin(req.ctx, 'update_user');
    const u = envelope(req.body, 'user');
    const user = await identity.directory.updateUser(req.params.id, {
      name: u.name === undefined ? undefined : reqName(u),
      password: optNullableString(u, 'password'),
      enabled: optBool(u, 'enabled'),
      default_project_id: optNullableString(u, 'default_project_id'),
      description: optNullableString(u, 'description'),
      email: optNullableString(u, 'email'),
    });
    identity.changed();
    return { user: userView(user, base()) };
  });

  app.delete<{ Params: { id: string } }>('/v3/users/:id', async (req, reply) => {
    requireAdmin(req.ctx, 'delete_user');
    await identity.directory.deleteUser(req.params.id);
    identity.changed();
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>('/v3/users/:id/projects', async (req) => {
    if (req.ctx.userId !== req.params.id) requireAdmin(req.ctx, 'list_user_projects');
    await identity.directory.getUser(req.params.id);
    const ids = await identity.roles.projectsOf(req.params.id);
    const projects = await identity.directory.listProjects({ ids });
    return collection(
      'projects',
      projects.map((p) => projectView(p, base())),
      `${base()}/users/${req.params.id}/projects`,
    );
  });
}
