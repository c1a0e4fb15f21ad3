import type { FastifyInstance } from 'fastify';
import { versionBelow, type Microversion } from '../../../http/microversion.js';
import { boolFromString, queryInt } from '../../../http/input.js';
import type { SortDir } from '../../../store/keyset.js';
import type { ComputeService } from '../service.js';
import type { ServerListQuery } from '../server-list.js';
import { BadRequest } from '../../../errors.js';
import { statesOfStatus } from '../states.js';
import { pyRepr } from '../../../http/pyrepr.js';
import {
  serverBasicView,
  serverSummaryView,
  serverView,
  type ViewerInfo,
} from '../views/server.view.js';
import { firstOf, parseBody, parseQuery, since, type QueryLists } from './parse.js';
import { accessIp, newServerOf } from './server-input.js';
import { CREATE, LIST_QUERY, UPDATE } from './servers.schemas.js';

type Params = { id: string };

/** Nova's CONF.api.max_limit. */
const MAX_LIMIT = 1000;

/** ISO 8601 as oslo's parse_isotime reads it: a date, optionally a time and an offset. */
const ISO_8601 =
  /^\d{4}-?\d\d-?\d\d(?:[T ]\d\d(?::?\d\d(?::?\d\d(?:[.,]\d+)?)?)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?$/i;

/**
 * The schema's `date-time` format, then the stored form (UTC, milliseconds), so that times
 * compare as the columns hold them; a time without an offset is UTC, as Nova reads it.
 */
function dateTimeOf(param: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // A date alone ends like an offset ("-01"): only a time can carry one.
  const timed = value.length > 10;
  const zoned = timed && /(?:Z|[+-]\d\d(?::?\d\d)?)$/i.test(value);
  const at = ISO_8601.test(value) ? new Date(timed && !zoned ? `${value}Z` : value) : null;
  if (!at || Number.isNaN(at.getTime()))
    throw new BadRequest(
      `Invalid input for query parameters ${param}. Value: ${value}. ${pyRepr(value)} is not a 'date-time'`,
    );
  return at.toISOString();
}

function listQueryOf(q: QueryLists, isAdmin: boolean, mv: Microversion): ServerListQuery {
  const list = (k: string): string[] | undefined =>
    q[k]?.[0] === undefined
      ? undefined
      : q[k]!.flatMap((v) => v.split(',')).filter((t) => t !== '');
  const allTenants =
    q.all_tenants !== undefined &&
    (q.all_tenants[0] === '' || boolFromString(q.all_tenants[0]) === true);
  const keys = q.sort_key ?? [];
  const dirs = (q.sort_dir ?? []) as SortDir[];
  const limit =
    q.limit?.[0] !== undefined ? Math.min(queryInt(q.limit[0]) ?? MAX_LIMIT, MAX_LIMIT) : MAX_LIMIT;
  return {
    allTenants,
    projectId: isAdmin ? (firstOf(q.project_id) ?? firstOf(q.tenant_id)) : undefined,
    userId: isAdmin ? firstOf(q.user_id) : undefined,
    name: firstOf(q.name),
    status: firstOf(q.status),
    image: firstOf(q.image),
    flavor: firstOf(q.flavor),
    ip: firstOf(q.ip) ?? (versionBelow(mv, [2, 5]) ? undefined : firstOf(q.ip6)),
    reservationId: firstOf(q.reservation_id),
    changesSince: dateTimeOf('changes-since', firstOf(q['changes-since'])),
    changesBefore: dateTimeOf('changes-before', firstOf(q['changes-before'])),
    host: isAdmin ? firstOf(q.host) : undefined,
    tags: list('tags'),
    tagsAny: list('tags-any'),
    notTags: list('not-tags'),
    notTagsAny: list('not-tags-any'),
    limit,
    marker: firstOf(q.marker),
    sort: keys.map((k, i) => [k, dirs[i] ?? 'desc'] as [string, SortDir]),
  };
}

/** `?...&marker=<last>` on the same path, when the page came back full. */
function nextLink(
  base: string,
  path: string,
  q: QueryLists,
  last: string,
): { rel: string; href: string }[] {
  const params = new URLSearchParams();
  for (const key of Object.keys(q).sort()) {
    if (key === 'marker') continue;
    for (const v of q[key]!) params.append(key, v);
  }
  params.append('marker', last);
  return [{ rel: 'next', href: `${base}/compute/v2.1/${path}?${params.toString()}` }];
}

/** /servers: create, list (index and detail), show, update, delete. */
export function serverRoutes(
  app: FastifyInstance,
  compute: ComputeService,
  baseUrl: () => string,
): void {
  const viewer = (isAdmin: boolean): ViewerInfo => ({ isAdmin, base: baseUrl() });

  app.post('/servers', async (req, reply) => {
    const mv = req.computeMv;
    const body = parseBody(since(mv, CREATE), req.body) as {
      server: Record<string, unknown>;
      'os:scheduler_hints'?: Record<string, unknown>;
      'OS-SCH-HNT:scheduler_hints'?: Record<string, unknown>;
    };
    const input = newServerOf(
      body.server,
      body['os:scheduler_hints'] ?? body['OS-SCH-HNT:scheduler_hints'],
      {
        description: !versionBelow(mv, [2, 19]),
        networksRequired: !versionBelow(mv, [2, 37]),
      },
    );
    const made = await compute.servers.create(req.ctx, input);
    if (input.returnReservationId)
      return reply.code(202).send({ reservation_id: made.reservationId });
    const first = made.servers[0]!;
    const links = serverSummaryView(first, viewer(req.ctx.isAdmin)).links as { href: string }[];
    return reply
      .code(202)
      .header('location', links[0]!.href)
      .send({
        server: {
          id: first.row.id,
          links,
          'OS-DCF:diskConfig': 'MANUAL',
          security_groups: made.securityGroups.map((name) => ({ name })),
          adminPass: made.adminPass,
        },
      });
  });

  for (const detail of [false, true]) {
    app.get(detail ? '/servers/detail' : '/servers', async (req) => {
      const mv = req.computeMv;
      const q = parseQuery(LIST_QUERY, req.query) as QueryLists;
      const query = { ...listQueryOf(q, req.ctx.isAdmin, mv), detail };
      // Nova: a status no state maps to lists nothing before 2.38 and is a 400 from it.
      if (
        query.status !== undefined &&
        statesOfStatus(query.status).vmStates.length === 0 &&
        !versionBelow(mv, [2, 38])
      )
        throw new BadRequest('Invalid status value');
      const found = await compute.servers.list(req.ctx, query);
      const v = viewer(req.ctx.isAdmin);
      const out: Record<string, unknown> = {
        servers: found.map((s) => (detail ? serverView(s, mv, v) : serverSummaryView(s, v))),
      };
      const last = found[found.length - 1];
      if (last && found.length === query.limit)
        out.servers_links = nextLink(v.base, detail ? 'servers/detail' : 'servers', q, last.row.id);
      return out;
    });
  }

  app.get<{ Params: Params }>('/servers/:id', async (req) => {
    const s = await compute.servers.get(req.ctx, req.params.id);
    const groups = versionBelow(req.computeMv, [2, 71])
      ? undefined
      : await compute.servers.groupsOf(s.row.id);
    return { server: serverView(s, req.computeMv, viewer(req.ctx.isAdmin), { groups }) };
  });

  app.put<{ Params: Params }>('/servers/:id', async (req) => {
    const mv = req.computeMv;
    const { server: b } = parseBody(since(mv, UPDATE), req.body) as {
      server: Record<string, unknown>;
    };
    const s = await compute.servers.update(req.ctx, req.params.id, {
      ...(typeof b.name === 'string' ? { name: b.name } : {}),
      ...(b.description !== undefined ? { description: b.description as string | null } : {}),
      ...(typeof b.accessIPv4 === 'string'
        ? { accessIPv4: accessIp('accessIPv4', b.accessIPv4)! }
        : {}),
      ...(typeof b.accessIPv6 === 'string'
        ? { accessIPv6: accessIp('accessIPv6', b.accessIPv6)! }
        : {}),
      ...(typeof b.hostname === 'string' ? { hostname: b.hostname } : {}),
    });
    const v = viewer(req.ctx.isAdmin);
    return { server: versionBelow(mv, [2, 75]) ? serverBasicView(s, mv, v) : serverView(s, mv, v) };
  });

  app.delete<{ Params: Params }>('/servers/:id', async (req, reply) => {
    await compute.servers.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
