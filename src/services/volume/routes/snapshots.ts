import type { FastifyInstance } from 'fastify';
import { BadRequest, NotFound } from '../../../errors.js';
import { parse } from '../../../http/schema.js';
import { boolFromString, envelope, isJsonObject } from '../../../http/input.js';
import { pyRepr, pyStr } from '../../../http/pyrepr.js';
import type { Microversion } from '../../../http/microversion.js';
import type { VolumeService } from '../service.js';
import { collectionLinks } from '../listing.js';
import { cinderViolation, invalidInput, missingElement } from '../errors.js';
import { atLeast } from '../views/volume.view.js';
import { snapshotView } from '../views/snapshot.view.js';
import type { SnapshotCreate, SnapshotUpdate } from '../types.js';
import { metadataFrom } from './input.js';
import { checkFilters, first, ListQuery, pagingFrom, scopeFrom } from './list-query.js';
import {
  FORCE_366,
  SNAPSHOT_FILTERS,
  SNAPSHOT_SORT_KEYS,
  SnapshotCreateBody,
  SnapshotUpdateBody,
} from './snapshots.schemas.js';

type Params = { project_id: string; id: string };

function createInput(body: unknown, mv: Microversion): SnapshotCreate {
  const s = parse(
    SnapshotCreateBody,
    envelope(body, 'snapshot', () => missingElement('snapshot')),
    cinderViolation,
  );
  if (s.volume_id === null) throw new NotFound('Volume None could not be found.');
  if (typeof s.volume_id !== 'string' || s.volume_id === '')
    throw new BadRequest(
      `Invalid input for field/attribute snapshot. Value: ${pyStr(s)}. 'volume_id' is a required property`,
    );
  let force = false;
  if (s.force !== undefined) {
    const b = boolFromString(s.force);
    if (b === null) throw invalidInput(`force must be a boolean: ${pyRepr(s.force)}`);
    force = b;
  }
  if (atLeast(mv, 66)) {
    if (s.force !== undefined && !force) throw new BadRequest(FORCE_366);
    force = true;
  }
  return {
    volumeId: s.volume_id,
    name: s.name ?? s.display_name ?? null,
    description: s.description ?? s.display_description ?? null,
    metadata: metadataFrom(s.metadata),
    force,
  };
}

function updateInput(body: unknown): SnapshotUpdate {
  const s = parse(
    SnapshotUpdateBody,
    envelope(body, 'snapshot', () => missingElement('snapshot')),
    cinderViolation,
  );
  const input: SnapshotUpdate = {};
  if (s.name !== undefined || s.display_name !== undefined)
    input.name = s.name ?? s.display_name ?? null;
  if (s.description !== undefined || s.display_description !== undefined)
    input.description = s.description ?? s.display_description ?? null;
  return input;
}

/** /v3/{project_id}/snapshots[/detail|/{id}|/{id}/action]. */
export function snapshotRoutes(
  app: FastifyInstance,
  service: VolumeService,
  baseUrl: () => string,
): void {
  for (const detail of [false, true]) {
    app.get<{ Params: Params }>(detail ? '/snapshots/detail' : '/snapshots', async (req) => {
      // The router ignores trailing slashes, but `/snapshots/` is a snapshot with an empty id.
      if (req.url.split('?')[0]!.endsWith('/'))
        throw new NotFound('The resource could not be found.');
      const q = parse(ListQuery, req.query, cinderViolation);
      checkFilters(req.ctx, req.volumeMv, q, SNAPSHOT_FILTERS);
      const paging = pagingFrom(q, SNAPSHOT_SORT_KEYS);
      const filters = {
        name: first(q, 'name') ?? first(q, 'display_name'),
        status: first(q, 'status'),
        volumeId: first(q, 'volume_id'),
      };
      const snapshots = await service.listSnapshots(req.ctx, scopeFrom(q), filters, paging);
      const body: Record<string, unknown> = {
        snapshots: snapshots.map((s) => snapshotView(s, req.volumeMv, detail)),
      };
      const path = detail ? 'snapshots/detail' : 'snapshots';
      const links = collectionLinks(
        `${baseUrl()}/volume/v3/${req.params.project_id}/${path}`,
        req.url.split('?')[1] ?? '',
        paging,
        snapshots.length,
        snapshots.at(-1)?.row.id,
      );
      if (links) body.snapshots_links = links;
      return body;
    });
  }

  app.post<{ Params: Params }>('/snapshots', async (req, reply) => {
    const snap = await service.createSnapshot(req.ctx, createInput(req.body, req.volumeMv));
    return reply.code(202).send({ snapshot: snapshotView(snap, req.volumeMv, false) });
  });

  app.get<{ Params: Params }>('/snapshots/:id', async (req) => ({
    snapshot: snapshotView(await service.getSnapshot(req.ctx, req.params.id), req.volumeMv, true),
  }));

  app.put<{ Params: Params }>('/snapshots/:id', async (req) => {
    const snap = await service.updateSnapshot(req.ctx, req.params.id, updateInput(req.body));
    return { snapshot: snapshotView(snap, req.volumeMv, false) };
  });

  app.delete<{ Params: Params }>('/snapshots/:id', async (req, reply) => {
    await service.deleteSnapshot(req.ctx, req.params.id);
    return reply.code(202).send();
  });

  app.post<{ Params: Params }>('/snapshots/:id/action', async (req, reply) => {
    if (!isJsonObject(req.body)) throw new BadRequest('There is no such action: None');
    const body = req.body;
    if (Object.hasOwn(body, 'os-force_delete')) {
      await service.deleteSnapshot(req.ctx, req.params.id, true);
      return reply.code(202).send();
    }
    if (Object.hasOwn(body, 'os-reset_status')) {
      const args = body['os-reset_status'];
      const status = isJsonObject(args) ? args.status : undefined;
      // A status that is not a string is shown as Python prints it, and is never valid.
      await service.resetSnapshotStatus(
        req.ctx,
        req.params.id,
        typeof status === 'string' ? status : pyStr(status),
      );
      return reply.code(202).send();
    }
    throw new BadRequest(`There is no such action: ${Object.keys(body)[0] ?? 'None'}`);
  });
}
