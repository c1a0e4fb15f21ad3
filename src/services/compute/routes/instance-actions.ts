import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../../errors.js';
import { queryInt } from '../../../http/input.js';
import { versionBelow } from '../../../http/microversion.js';
import { Type } from '../../../http/schema.js';
import type { ActionPage } from '../instance-action-log.js';
import type { ComputeService } from '../service.js';
import { instanceActionEventView, instanceActionView } from '../views/instance-action.view.js';
import { firstOf, parseQuery, since, type QueryLists } from './parse.js';
import { invalidQueryValue } from './query-values.js';

type Params = { id: string };
type ShowParams = { id: string; requestId: string };

/** Nova's CONF.api.max_limit. */
const MAX_LIMIT = 1000;

// nova/api/openstack/compute/schemas/instance_actions.py (Zed): one value each.
const one = (s: ReturnType<typeof Type.String>) => Type.Optional(Type.Array(s, { maxItems: 1 }));
const V258 = {
  limit: one(Type.String({ pattern: '^[0-9]*$', minLength: 1 })),
  marker: one(Type.String()),
  'changes-since': one(Type.String()),
};
const QUERY_V258 = Type.Object(V258, { additionalProperties: false });
const QUERY_V266 = Type.Object(
  { ...V258, 'changes-before': one(Type.String()) },
  { additionalProperties: false },
);

/** An ISO 8601 date-time as stored (UTC, milliseconds), or Nova's 400 for the parameter. */
function dateTime(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ok = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/i.test(value);
  const ms = ok ? Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`) : NaN;
  if (Number.isNaN(ms)) throw invalidQueryValue(name, value, 'date-time');
  return new Date(ms).toISOString();
}

/** /servers/{id}/os-instance-actions and /{request_id}. */
export function instanceActionRoutes(
  app: FastifyInstance,
  compute: ComputeService,
  baseUrl: () => string,
): void {
  app.get<{ Params: Params }>('/servers/:id/os-instance-actions', async (req) => {
    const mv = req.computeMv;
    const withDeleted = !versionBelow(mv, [2, 21]);
    const page: ActionPage = { limit: MAX_LIMIT };
    let q: QueryLists | undefined;
    if (!versionBelow(mv, [2, 58])) {
      q = parseQuery(
        since(mv, [
          [[2, 58], QUERY_V258],
          [[2, 66], QUERY_V266],
        ]),
        req.query,
      ) as QueryLists;
      const limit = firstOf(q.limit);
      if (limit !== undefined) page.limit = Math.min(queryInt(limit) || MAX_LIMIT, MAX_LIMIT);
      page.marker = firstOf(q.marker);
      page.changesSince = dateTime('changes-since', firstOf(q['changes-since']));
      page.changesBefore = dateTime('changes-before', firstOf(q['changes-before']));
      if (page.changesSince && page.changesBefore && page.changesBefore < page.changesSince)
        throw new BadRequest(
          'The value of changes-since must be less than or equal to changes-before.',
        );
    }
    const actions = await compute.instanceActions.list(req.ctx, req.params.id, withDeleted, page);
    const out: Record<string, unknown> = {
      instanceActions: actions.map((a) => instanceActionView(a, mv)),
    };
    const last = actions.at(-1);
    if (q && last && actions.length === page.limit) {
      const params = new URLSearchParams();
      for (const key of Object.keys(q).sort())
        if (key !== 'marker') for (const v of q[key]!) params.append(key, v);
      params.append('marker', last.request_id);
      const path = `servers/${encodeURIComponent(req.params.id)}/os-instance-actions`;
      out.links = [{ rel: 'next', href: `${baseUrl()}/compute/v2.1/${path}?${params}` }];
    }
    return out;
  });

  app.get<{ Params: ShowParams }>('/servers/:id/os-instance-actions/:requestId', async (req) => {
    const mv = req.computeMv;
    const found = await compute.instanceActions.get(req.ctx, req.params.id, req.params.requestId, {
      withDeleted: !versionBelow(mv, [2, 21]),
      membersSeeEvents: !versionBelow(mv, [2, 51]),
    });
    const view = instanceActionView(found.action, mv);
    if (found.events)
      view.events = found.events.map((e) =>
        instanceActionEventView(e, found.action.project_id || found.projectId, mv, req.ctx.isAdmin),
      );
    return { instanceAction: view };
  });
}
