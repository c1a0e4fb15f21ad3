import type { FastifyInstance } from 'fastify';
import { queryInt } from '../../../http/input.js';
import type { Microversion } from '../../../http/microversion.js';
import { Type, type TSchema } from '../../../http/schema.js';
import type { ComputeService } from '../service.js';
import { serverGroupView } from '../views/server-group.view.js';
import {
  firstOf,
  NonNegativeIntParam,
  parseBody,
  parseQuery,
  since,
  StringParam,
} from './parse.js';
import type { QueryLists } from './parse.js';
import { NAME } from './servers.schemas.js';

type Params = { id: string };

/** Nova's CONF.api.max_limit. */
const MAX_LIMIT = 1000;

// nova/api/openstack/compute/schemas/server_groups.py (Zed).
const policies = (names: string[]) =>
  Type.Array(Type.Union(names.map((n) => Type.Literal(n))), {
    minItems: 1,
    maxItems: 1,
    uniqueItems: true,
  });
const createWith = (group: Record<string, TSchema>) =>
  Type.Object(
    { server_group: Type.Object(group, { additionalProperties: false }) },
    { additionalProperties: false },
  );
const POLICIES_V21 = ['anti-affinity', 'affinity'];
const POLICIES_V215 = [...POLICIES_V21, 'soft-anti-affinity', 'soft-affinity'];
const CREATE: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], createWith({ name: NAME, policies: policies(POLICIES_V21) })],
  [[2, 15], createWith({ name: NAME, policies: policies(POLICIES_V215) })],
  [
    [2, 64],
    createWith({
      name: NAME,
      policy: Type.Union(POLICIES_V215.map((n) => Type.Literal(n))),
      rules: Type.Optional(
        Type.Object(
          {
            max_server_per_host: Type.Optional(
              Type.Union([
                Type.Integer({ minimum: 1 }),
                Type.String({ pattern: '^[0-9]*$', minLength: 1 }),
              ]),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    }),
  ],
];
const QUERY = {
  all_projects: StringParam,
  limit: NonNegativeIntParam,
  offset: NonNegativeIntParam,
};
const LIST_QUERY: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], Type.Object(QUERY, { additionalProperties: true })],
  [[2, 75], Type.Object(QUERY, { additionalProperties: false })],
];

/** /os-server-groups: create (200), list, show, delete (204). */
export function serverGroupRoutes(app: FastifyInstance, compute: ComputeService): void {
  const groups = compute.serverGroups;

  app.post('/os-server-groups', async (req) => {
    const mv = req.computeMv;
    const { server_group: b } = parseBody(since(mv, CREATE), req.body) as {
      server_group: {
        name: string;
        policies?: string[];
        policy?: string;
        rules?: { max_server_per_host?: number | string };
      };
    };
    const rules: Record<string, number> = {};
    if (b.rules?.max_server_per_host !== undefined)
      rules.max_server_per_host = Number(b.rules.max_server_per_host);
    const group = await groups.create(req.ctx, {
      name: b.name,
      policy: b.policy ?? b.policies![0]!,
      rules,
    });
    return { server_group: serverGroupView(group, mv) };
  });

  app.get('/os-server-groups', async (req) => {
    const mv = req.computeMv;
    const q = parseQuery(since(mv, LIST_QUERY), req.query) as QueryLists;
    const limit = firstOf(q.limit);
    const found = await groups.list(req.ctx, {
      allProjects: q.all_projects !== undefined,
      // common.limited: a limit of 0 (or none) means the maximum.
      limit: Math.min((limit === undefined ? 0 : queryInt(limit)) || MAX_LIMIT, MAX_LIMIT),
      offset: Math.min(queryInt(firstOf(q.offset) ?? '0') ?? 0, Number.MAX_SAFE_INTEGER),
    });
    return { server_groups: found.map((g) => serverGroupView(g, mv)) };
  });

  app.get<{ Params: Params }>('/os-server-groups/:id', async (req) => ({
    server_group: serverGroupView(await groups.get(req.ctx, req.params.id), req.computeMv),
  }));

  app.delete<{ Params: Params }>('/os-server-groups/:id', async (req, reply) => {
    await groups.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
