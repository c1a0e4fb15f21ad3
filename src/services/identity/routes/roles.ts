import type { FastifyInstance } from 'fastify';
import { NotFound } from '../../../errors.js';
import { first, type Query } from '../../../http/query.js';
import type { IdentityService } from '../service.js';
import type { TargetType } from '../roles.js';
import { assignmentView, collection, roleView } from '../views/resources.view.js';
import { envelope, optNullableString, optString, reqName, requireAdmin } from './input.js';

type GrantParams = { target: string; user: string; role: string };

export function roleRoutes(app: FastifyInstance, identity: IdentityService): void {
  const base = (): string => `${identity.baseUrl()}/identity/v3`;

  app.get('/v3/roles', async (req) => {
    requireAdmin(req.ctx, 'list_roles');
    const q = req.query as Query;
    const roles = await identity.roles.list({
      name: first(q, 'name'),
      domain_id: first(q, 'domain_id'),
    });
    return collection(
      'roles',
      roles.map((r) => roleView(r, base())),
      `${base()}/roles`,
    );
  });

  app.post('/v3/roles', async (req, reply) => {
    requireAdmin(req.ctx, 'create_role');
    const r = envelope(req.body, 'role');
    const role = await identity.roles.create({
      name: reqName(r),
      domain_id: optNullableString(r, 'domain_id'),
      description: optNullableString(r, 'description'),
    });
    return reply.code(201).send({ role: roleView(role, base()) });
  });

  app.get<{ Params: { id: string } }>('/v3/roles/:id', async (req) => {
    requireAdmin(req.ctx, 'get_role');
    return { role: roleView(await identity.roles.get(req.params.id), base()) };
  });

  app.patch<{ Params: { id: string } }>('/v3/roles/:id', async (req) => {
    requireAdmin(req.ctx, 'update_role');
    const r = envelope(req.body, 'role');
    const role = await identity.roles.update(req.params.id, {
      name: optString(r, 'name'),
      description: optNullableString(r, 'description'),
    });
    return { role: roleView(role, base()) };
  });

  app.delete<{ Params: { id: string } }>('/v3/roles/:id', async (req, reply) => {
    requireAdmin(req.ctx, 'delete_role');
    await identity.roles.delete(req.params.id);
    identity.changed();
    return reply.code(204).send();
  });

  // Grants: /v3/{projects|domains}/{target}/users/{user}/roles[/{role}] and /v3/system/users/...
  for (const [prefix, type] of [
    ['/v3/projects/:target', 'project'],
    ['/v3/domains/:target', 'domain'],
    ['/v3/system', 'system'],
  ] as const) {
    const targetOf = async (params: Partial<GrantParams>): Promise<string> => {
      if (type === 'system') return 'all';
      const id = params.target!;
      if (type === 'project') await identity.directory.getProject(id);
      else await identity.directory.getDomain(id);
      return id;
    };
    const check = async (p: GrantParams): Promise<[TargetType, string]> => {
      const target = await targetOf(p);
      await identity.directory.getUser(p.user);
      await identity.roles.get(p.role);
      return [type, target];
    };

    app.get<{ Params: GrantParams }>(`${prefix}/users/:user/roles`, async (req) => {
      requireAdmin(req.ctx, 'list_grants');
      const target = await targetOf(req.params);
      await identity.directory.getUser(req.params.user);
      const roles = await identity.roles.assigned(req.params.user, type, target);
      return collection(
        'roles',
        roles.map((r) => roleView(r, base())),
        `${base()}${req.url.replace(/^\/identity\/v3/, '')}`,
      );
    });

    app.put<{ Params: GrantParams }>(`${prefix}/users/:user/roles/:role`, async (req, reply) => {
      requireAdmin(req.ctx, 'create_grant');
      const [t, target] = await check(req.params);
      await identity.roles.grant(req.params.user, t, target, req.params.role);
      identity.changed();
      return reply.code(204).send();
    });

    app.head<{ Params: GrantParams }>(`${prefix}/users/:user/roles/:role`, async (req, reply) => {
      requireAdmin(req.ctx, 'check_grant');
      const [t, target] = await check(req.params);
      if (!(await identity.roles.isGranted(req.params.user, t, target, req.params.role))) {
        throw new NotFound(`Could not find role assignment with role: ${req.params.role}.`);
      }
      return reply.code(204).send();
    });

    app.delete<{ Params: GrantParams }>(`${prefix}/users/:user/roles/:role`, async (req, reply) => {
      requireAdmin(req.ctx, 'revoke_grant');
      const [t, target] = await check(req.params);
      await identity.roles.revoke(req.params.user, t, target, req.params.role);
      identity.changed();
      return reply.code(204).send();
    });
  }

  app.get('/v3/role_assignments', async (req) => {
    const q = req.query as Query;
    const userId = first(q, 'user.id');
    // A user may list their own assignments; everything else is admin-only.
    if (userId !== req.ctx.userId) requireAdmin(req.ctx, 'list_role_assignments');
    const projectId = first(q, 'scope.project.id');
    const domainId = first(q, 'scope.domain.id');
    const system = first(q, 'scope.system');
    const rows = await identity.roles.assignments({
      userId,
      roleId: first(q, 'role.id'),
      targetType: projectId ? 'project' : domainId ? 'domain' : system ? 'system' : undefined,
      targetId: projectId ?? domainId ?? (system ? 'all' : undefined),
    });
    return {
      role_assignments: rows.map((a) => assignmentView(a, base())),
      links: { self: `${base()}/role_assignments`, previous: null, next: null },
    };
  });
}
