import os from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, NotFound } from '../../../errors.js';
import { versionBelow, type Microversion } from '../../../http/microversion.js';
import { Type, type TSchema } from '../../../http/schema.js';
import { isUuid } from '../../../util.js';
import type { HypervisorInfo } from '../hosts.js';
import type { ComputeService } from '../service.js';
import { hypervisorStatisticsView, hypervisorView, serviceView } from '../views/hosts.view.js';
import { firstOf, parseQuery, StringParam, type QueryLists } from './parse.js';

type Params = { id: string };

const NOT_FOUND = 'The resource could not be found.';
const TRUE_WORDS = ['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes'];
const FALSE_WORDS = ['False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'];
const one = (s: TSchema) => Type.Optional(Type.Array(s, { maxItems: 1 }));
const BOOLEAN = Type.Union([...TRUE_WORDS, ...FALSE_WORDS].map((w) => Type.Literal(w)));

// nova/api/openstack/compute/schemas/hypervisors.py (Zed).
const LIST_V233 = Type.Object(
  { limit: StringParam, marker: StringParam },
  { additionalProperties: true },
);
const LIST_V253 = Type.Object(
  {
    limit: one(Type.String({ pattern: '^[0-9]*$', minLength: 1 })),
    marker: one(Type.String()),
    hypervisor_hostname_pattern: one(Type.String({ minLength: 1, maxLength: 255 })),
    with_servers: one(BOOLEAN),
  },
  { additionalProperties: false },
);
const SHOW_V253 = Type.Object({ with_servers: one(BOOLEAN) }, { additionalProperties: false });
const SERVICES = Type.Object(
  { host: StringParam, binary: StringParam },
  { additionalProperties: true },
);

const below = (req: FastifyRequest, v: Microversion) => versionBelow(req.computeMv, v);

/**
 * A hypervisor id as Nova's _validate_id takes it: a uuid from 2.53 (400 otherwise), an integer
 * before (404 otherwise); then it must be this host's.
 */
function checkId(id: string, h: HypervisorInfo, uuids: boolean): void {
  if (uuids && !isUuid(id)) throw new BadRequest(`Invalid uuid ${id}`);
  const same = uuids
    ? id.toLowerCase() === h.uuid
    : /^-?[0-9]+$/.test(id.trim()) && Number(id) === h.id;
  if (!same) throw new NotFound(`Hypervisor with ID '${id}' could not be found.`);
}

/** What uptime(1) prints: " 16:20:01 up 3 days,  2:01,  1 user,  load average: 0.00, ...". */
function uptimeLine(): string {
  const now = new Date().toISOString().slice(11, 19);
  const up = Math.floor(os.uptime() / 60);
  const days = Math.floor(up / 1440);
  const hm = `${Math.floor((up % 1440) / 60)}:${String(up % 60).padStart(2, '0')}`;
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  const since =
    days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${hm.padStart(5)}` : hm.padStart(5);
  return ` ${now} up ${since},  1 user,  load average: ${load}`;
}

/** Nova's compute_node_search_by_hypervisor: a substring of the hostname (SQL LIKE %p%). */
function matching(h: HypervisorInfo, pattern: string): HypervisorInfo {
  if (!h.hostname.includes(pattern))
    throw new NotFound(`No hypervisor matching '${pattern}' could be found.`);
  return h;
}

/** os-availability-zone, os-hypervisors and os-services: the one host, as DevStack's. */
export function hostRoutes(
  app: FastifyInstance,
  compute: ComputeService,
  baseUrl: () => string,
): void {
  const hosts = compute.hosts;

  app.get('/os-availability-zone', async () => ({
    availabilityZoneInfo: hosts.zones().map((zoneName) => ({
      zoneName,
      zoneState: { available: true },
      hosts: null,
    })),
  }));

  app.get('/os-availability-zone/detail', async (req) => ({
    availabilityZoneInfo: [...hosts.zoneDetail(req.ctx)].map(([zoneName, services]) => {
      const byHost: Record<string, Record<string, unknown>> = {};
      for (const s of services)
        (byHost[s.host] ??= {})[s.binary] = {
          available: true,
          active: true,
          updated_at: serviceView(s, req.computeMv).updated_at,
        };
      return { zoneName, zoneState: { available: true }, hosts: byHost };
    }),
  }));

  app.get('/os-services', async (req) => {
    const q = parseQuery(SERVICES, req.query) as QueryLists;
    const found = hosts.services(req.ctx, { host: firstOf(q.host), binary: firstOf(q.binary) });
    return { services: found.map((s) => serviceView(s, req.computeMv)) };
  });

  for (const detail of [false, true]) {
    const path = detail ? 'os-hypervisors/detail' : 'os-hypervisors';
    app.get(`/${path}`, async (req) => {
      const mv = req.computeMv;
      const uuids = !below(req, [2, 53]);
      let q = Object.create(null) as QueryLists;
      if (!below(req, [2, 33]))
        q = parseQuery(uuids ? LIST_V253 : LIST_V233, req.query) as QueryLists;
      const h = await hosts.hypervisor(req.ctx, detail ? 'list-detail' : 'list');
      const pattern = uuids ? firstOf(q.hypervisor_hostname_pattern) : undefined;
      const withServers = TRUE_WORDS.includes(firstOf(q.with_servers) ?? '');
      const marker = firstOf(q.marker);
      if (pattern !== undefined) {
        if (q.limit !== undefined || marker)
          throw new BadRequest(
            'Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.',
          );
        matching(h, pattern);
      }
      let list = [h];
      if (marker) {
        if (marker !== String(uuids ? h.uuid : h.id))
          throw new BadRequest(`marker [${marker}] not found`);
        list = [];
      }
      const limit = firstOf(q.limit);
      if (limit !== undefined && Number(limit) === 0) list = [];
      const out: Record<string, unknown> = {
        hypervisors: list.map((x) => hypervisorView(x, mv, { detail, servers: withServers })),
      };
      if (
        limit !== undefined &&
        pattern === undefined &&
        list.length > 0 &&
        list.length >= Number(limit)
      )
        out.hypervisors_links = [
          {
            rel: 'next',
            href: `${baseUrl()}/compute/v2.1/${path}?limit=${Number(limit)}&marker=${uuids ? h.uuid : h.id}`,
          },
        ];
      return out;
    });
  }

  app.get('/os-hypervisors/statistics', async (req) => {
    if (!below(req, [2, 88])) throw new NotFound(NOT_FOUND);
    return {
      hypervisor_statistics: hypervisorStatisticsView(
        await hosts.hypervisor(req.ctx, 'statistics'),
      ),
    };
  });

  app.get<{ Params: Params }>('/os-hypervisors/:id', async (req) => {
    const uuids = !below(req, [2, 53]);
    const q = uuids ? (parseQuery(SHOW_V253, req.query) as QueryLists) : undefined;
    const h = await hosts.hypervisor(req.ctx, 'show');
    checkId(req.params.id, h, uuids);
    const servers = TRUE_WORDS.includes(firstOf(q?.with_servers) ?? '');
    return { hypervisor: hypervisorView(h, req.computeMv, { detail: true, servers }) };
  });

  // Up to 2.87: the host's `uptime` line, as Nova's libvirt driver reads it from uptime(1).
  app.get<{ Params: Params }>('/os-hypervisors/:id/uptime', async (req) => {
    if (!below(req, [2, 88])) throw new NotFound(NOT_FOUND);
    const uuids = !below(req, [2, 53]);
    const h = await hosts.hypervisor(req.ctx, 'uptime');
    checkId(req.params.id, h, uuids);
    const view = hypervisorView(h, req.computeMv, { detail: false });
    return { hypervisor: { ...view, uptime: uptimeLine() } };
  });

  // Before 2.53: search by a hostname pattern, with or without the servers.
  for (const kind of ['search', 'servers'] as const) {
    app.get<{ Params: Params }>(`/os-hypervisors/:id/${kind}`, async (req) => {
      if (!below(req, [2, 53])) throw new NotFound(NOT_FOUND);
      const h = matching(await hosts.hypervisor(req.ctx, kind), req.params.id);
      return {
        hypervisors: [
          hypervisorView(h, req.computeMv, { detail: false, servers: kind === 'servers' }),
        ],
      };
    });
  }
}
