import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, NotFound } from '../../../errors.js';
import { boolFromString, queryInt } from '../../../http/input.js';
import { versionBelow } from '../../../http/microversion.js';
import { pyRepr } from '../../../http/pyrepr.js';
import type { Static } from '../../../http/schema.js';
import { invalidField } from '../errors.js';
import type { FlavorListQuery, NewFlavor } from '../flavors.js';
import type { ComputeService } from '../service.js';
import { flavorListView, flavorView } from '../views/flavor.view.js';
import {
  CREATE,
  IS_PUBLIC_MESSAGE,
  LIST_QUERY,
  UpdateV255,
  type CreateV255,
  type ListQuery,
} from './flavors.schemas.js';
import { boundedInt, firstOf, parseBody, parseQuery, since } from './parse.js';

type Params = { id: string };
type Body = Static<typeof CreateV255>['flavor'];

const MAX_INT = 0x7fffffff;
/** Nova's CONF.api.max_limit: no page is longer. */
const MAX_LIMIT = 1000;

/** A minRam/minDisk filter, read with Python's int() as Nova reads it. */
function minFilter(value: string | undefined, label: string): number | undefined {
  if (value === undefined) return undefined;
  const n = queryInt(value);
  if (n === null) throw new BadRequest(`Invalid ${label} filter [${value}]`);
  return n;
}

/** The is_public filter: a strict boolean, or "none" for every flavor (admins only read it). */
function isPublicFilter(value: string | undefined): boolean | null {
  if (value === undefined) return true;
  if (value.trim().toLowerCase() === 'none') return null;
  const b = boolFromString(value);
  if (b === null) throw new BadRequest(`Invalid is_public filter [${value}]`);
  return b;
}

/** The list query as the domain takes it. */
export function flavorListQuery(q: Static<typeof ListQuery>, admin: boolean): FlavorListQuery {
  const limit = q.limit ? queryInt(q.limit[0]!) : null;
  return {
    // Nova reads is_public for admins only (flavors.py _get_flavors): a member's is ignored,
    // whatever it says. The service enforces the same rule.
    isPublic: admin ? isPublicFilter(firstOf(q.is_public)) : true,
    minRam: minFilter(firstOf(q.minRam), 'minRam'),
    minDisk: minFilter(firstOf(q.minDisk), 'minDisk'),
    sortKey: firstOf(q.sort_key) ?? 'flavorid',
    sortDir: firstOf(q.sort_dir) ?? 'asc',
    limit: Math.min(limit ?? MAX_LIMIT, MAX_LIMIT),
    marker: firstOf(q.marker),
  };
}

/** A create body as the domain takes it: numbers from digit strings, ids as strings. */
export function newFlavor(f: Body): NewFlavor {
  let id: string | undefined;
  // Nova generates an id for a missing, null or zero one (`if not flavorid`); 'auto' too,
  // as pocketstack always has. A number is taken as Python's str() writes it.
  if (typeof f.id === 'number') id = f.id === 0 ? undefined : pyRepr(f.id);
  else if (f.id && f.id !== 'auto') id = f.id;
  const given = f.rxtx_factor ?? 1;
  const rxtx = Number(given);
  if (!(rxtx > 0))
    throw invalidField('rxtx_factor', given, 'rxtx_factor must be a number greater than 0.');
  const isPublic =
    f['os-flavor-access:is_public'] === undefined
      ? true
      : boolFromString(f['os-flavor-access:is_public']);
  if (isPublic === null) {
    const v = f['os-flavor-access:is_public'];
    throw invalidField('os-flavor-access:is_public', v, IS_PUBLIC_MESSAGE(v));
  }
  return {
    id,
    name: f.name,
    ram: boundedInt('ram', f.ram, 1, MAX_INT),
    vcpus: boundedInt('vcpus', f.vcpus, 1, MAX_INT),
    disk: boundedInt('disk', f.disk, 0, MAX_INT),
    ephemeral: boundedInt(
      'OS-FLV-EXT-DATA:ephemeral',
      f['OS-FLV-EXT-DATA:ephemeral'] ?? 0,
      0,
      MAX_INT,
    ),
    swap: boundedInt('swap', f.swap ?? 0, 0, MAX_INT),
    rxtxFactor: rxtx,
    isPublic,
    description: f.description ?? null,
  };
}

/** Flavors: list, detail, show, create, update (2.55), delete. */
export function flavorRoutes(
  app: FastifyInstance,
  compute: ComputeService,
  baseUrl: () => string,
): void {
  const list = (detail: boolean) => async (req: FastifyRequest) => {
    const q = parseQuery(since(req.computeMv, LIST_QUERY), req.query) as Static<typeof ListQuery>;
    const found = await compute.listFlavors(req.ctx, flavorListQuery(q, req.ctx.isAdmin));
    return flavorListView(found, detail, req.computeMv, baseUrl());
  };
  app.get('/flavors', list(false));
  app.get('/flavors/detail', list(true));

  app.get<{ Params: Params }>('/flavors/:id', async (req) => ({
    flavor: flavorView(await compute.getFlavor(req.ctx, req.params.id), req.computeMv, baseUrl()),
  }));

  app.post('/flavors', async (req) => {
    const { flavor } = parseBody(since(req.computeMv, CREATE), req.body) as Static<
      typeof CreateV255
    >;
    const created = await compute.createFlavor(req.ctx, newFlavor(flavor));
    return { flavor: flavorView(created, req.computeMv, baseUrl()) };
  });

  app.put<{ Params: Params }>('/flavors/:id', async (req) => {
    // Updating a flavor (its description) came with 2.55; before that the method does not exist.
    if (versionBelow(req.computeMv, [2, 55]))
      throw new NotFound('The resource could not be found.');
    const { flavor } = parseBody(UpdateV255, req.body);
    const updated = await compute.updateFlavorDescription(
      req.ctx,
      req.params.id,
      flavor.description,
    );
    return { flavor: flavorView(updated, req.computeMv, baseUrl()) };
  });

  app.delete<{ Params: Params }>('/flavors/:id', async (req, reply) => {
    await compute.deleteFlavor(req.ctx, req.params.id);
    return reply.code(202).send();
  });
}
