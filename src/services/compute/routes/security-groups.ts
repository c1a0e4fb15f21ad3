import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, NotFound } from '../../../errors.js';
import { queryInt } from '../../../http/input.js';
import { versionBelow } from '../../../http/microversion.js';
import { Type } from '../../../http/schema.js';
import type { ComputeService } from '../service.js';
import { firstOf, NonNegativeIntParam, parseQuery, StringParam, type QueryLists } from './parse.js';

type Params = { id: string };

/** Nova's CONF.api.max_limit. */
const MAX_LIMIT = 1000;

// nova/api/openstack/compute/schemas/security_groups.py index_query (Zed).
const LIST_QUERY = Type.Object(
  { limit: NonNegativeIntParam, offset: NonNegativeIntParam, all_tenants: StringParam },
  { additionalProperties: true },
);

/** The proxy APIs end at 2.35 (MAX_PROXY_API_SUPPORT_VERSION). */
function requireProxy(req: FastifyRequest): void {
  if (!versionBelow(req.computeMv, [2, 36])) throw new NotFound('The resource could not be found.');
}

/**
 * Nova's security group proxy of Neutron (GET /os-security-groups, /{id}: what OSC's `server
 * add security group` looks groups up with) and a server's groups.
 */
export function securityGroupRoutes(app: FastifyInstance, compute: ComputeService): void {
  const sg = compute.securityGroups;

  app.get('/os-security-groups', async (req) => {
    requireProxy(req);
    const q = parseQuery(LIST_QUERY, req.query) as QueryLists;
    const limit = firstOf(q.limit);
    const groups = await sg.list(req.ctx, {
      allTenants: q.all_tenants !== undefined,
      limit: Math.min((limit === undefined ? 0 : queryInt(limit)) || MAX_LIMIT, MAX_LIMIT),
      offset: Math.min(queryInt(firstOf(q.offset) ?? '0') ?? 0, Number.MAX_SAFE_INTEGER),
    });
    return { security_groups: groups };
  });

  // Nova's validate_property: each of name and description a non-blank string of 255 at most.
  app.post('/os-security-groups', async (req) => {
    requireProxy(req);
    const body = req.body as { security_group?: unknown } | null;
    const group = body?.security_group;
    if (typeof group !== 'object' || group === null || Array.isArray(group))
      throw new BadRequest('The request body is invalid.');
    const values: Record<string, string> = {};
    for (const property of ['name', 'description']) {
      const value = (group as Record<string, unknown>)[property];
      if (typeof value !== 'string')
        throw new BadRequest(`Security group ${property} is not a string or unicode`);
      if (value.trim() === '') throw new BadRequest(`Security group ${property} cannot be empty.`);
      if (value.length > 255)
        throw new BadRequest(
          `Security group ${property} should not be greater than 255 characters.`,
        );
      values[property] = value;
    }
    return { security_group: await sg.create(req.ctx, values.name!, values.description!) };
  });

  app.delete<{ Params: Params }>('/os-security-groups/:id', async (req, reply) => {
    requireProxy(req);
    await sg.delete(req.ctx, req.params.id);
    return reply.code(202).send();
  });

  app.get<{ Params: Params }>('/os-security-groups/:id', async (req) => {
    requireProxy(req);
    return { security_group: await sg.get(req.ctx, req.params.id) };
  });

  app.get<{ Params: Params }>('/servers/:id/os-security-groups', async (req) => ({
    security_groups: await sg.ofServer(req.ctx, req.params.id),
  }));
}
