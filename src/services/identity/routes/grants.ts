import type { FastifyInstance } from 'fastify';
import type { GrantTarget, IdentityService } from '../service.js';
import { assignmentView, collection, roleView } from '../views/resources.view.js';
import { querySchema } from './schemas.js';
import { one, query } from './request.js';

type GrantParams = { target?: string; user: string; role: string };

const AssignmentQuery = querySchema([
  'user.id',
  'role.id',
  'scope.project.id',
  'scope.domain.id',
  'scope.system',
]);

/**
 * Grants: /v3/{projects|domains}/{target}/users/{user}/roles[/{role}] and
 * /v3/system/users/{user}/roles[/{role}]; and /v3/role_assignments.
 */
export function grantRoutes(app: FastifyInstance, identity: IdentityService): void {
  const base = (): string => `${identity.baseUrl()}/identity/v3`;

  for (const [prefix, type] of [
    ['/v3/projects/:target', 'project'],
    ['/v3/domains/:target', 'domain'],
    ['/v3/system', 'system'],
  ] as const) {
    const targetOf = (p: GrantParams): GrantTarget =>
      type === 'system' ? { type } : { type, id: p.target ?? '' };
    const listPath = (p: GrantParams): string =>
      type === 'system'
        ? `/system/users/${p.user}/roles`
        : `/${type}s/${p.target}/users/${p.user}/roles`;

    app.get<{ Params: GrantParams }>(`${prefix}/users/:user/roles`, async (req) => {
      const roles = await identity.listGrants(req.ctx, targetOf(req.params), req.params.user);
      return collection(
        'roles',
        roles.map((r) => roleView(r, base())),
        `${base()}${listPath(req.params)}`,
      );
    });

    app.put<{ Params: GrantParams }>(`${prefix}/users/:user/roles/:role`, async (req, reply) => {
      await identity.grant(req.ctx, targetOf(req.params), req.params.user, req.params.role);
      return reply.code(204).send();
    });

    app.head<{ Params: GrantParams }>(`${prefix}/users/:user/roles/:role`, async (req, reply) => {
      await identity.checkGrant(req.ctx, targetOf(req.params), req.params.user, req.params.role);
      return reply.code(204).send();
    });

    app.delete<{ Params: GrantParams }>(`${prefix}/users/:user/roles/:role`, async (req, reply) => {
      await identity.revokeGrant(req.ctx, targetOf(req.params), req.params.user, req.params.role);
      return reply.code(204).send();
    });
  }

  app.get('/v3/role_assignments', async (req) => {
    const q = query(AssignmentQuery, req.query);
    const projectId = one(q['scope.project.id']);
    const domainId = one(q['scope.domain.id']);
    const system = one(q['scope.system']);
    const rows = await identity.listRoleAssignments(req.ctx, {
      userId: one(q['user.id']),
      roleId: one(q['role.id']),
      targetType: projectId ? 'project' : domainId ? 'domain' : system ? 'system' : undefined,
      targetId: projectId ?? domainId ?? (system ? 'all' : undefined),
    });
    return {
      role_assignments: rows.map((a) => assignmentView(a, base())),
      links: { self: `${base()}/role_assignments`, previous: null, next: null },
    };
  });
}
