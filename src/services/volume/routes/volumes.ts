import type { FastifyInstance } from 'fastify';
import { BadRequest, NotFound } from '../../../errors.js';
import { parse } from '../../../http/schema.js';
import { boolFromString, envelope } from '../../../http/input.js';
import type { VolumeService } from '../service.js';
import { collectionLinks } from '../listing.js';
import { cinderViolation, invalidInput, missingElement, volumeNotFound } from '../errors.js';
import { atLeast, volumeSummaryView, volumeView } from '../views/volume.view.js';
import type { VolumeCreate, VolumeFilters, VolumeUpdate } from '../types.js';
import { metadataFrom, sizeFrom } from './input.js';
import { checkFilters, first, ListQuery, pagingFrom, scopeFrom } from './list-query.js';
import {
  DeleteQuery,
  MULTIATTACH_REMOVED,
  VOLUME_FILTERS,
  VOLUME_SORT_KEYS,
  VolumeCreateBody,
  VolumeUpdateBody,
} from './volumes.schemas.js';

type Params = { project_id: string; id: string };

function filtersFrom(q: ListQuery): VolumeFilters {
  const bootable = first(q, 'bootable');
  const metadata = first(q, 'metadata');
  // Cinder reads the filter as a Python literal: a dict of strings, quoted either way.
  let wanted: VolumeFilters['metadata'];
  if (metadata !== undefined) {
    try {
      wanted = metadataFrom(JSON.parse(metadata.replaceAll("'", '"')) as unknown);
    } catch {
      throw invalidInput(`Invalid metadata filter: ${metadata}`);
    }
  }
  return {
    name: first(q, 'name') ?? first(q, 'display_name'),
    status: first(q, 'status'),
    availabilityZone: first(q, 'availability_zone'),
    bootable: bootable === undefined ? undefined : boolFromString(bootable) === true,
    metadata: wanted,
  };
}

function createInput(body: unknown): VolumeCreate {
  const v = parse(
    VolumeCreateBody,
    envelope(body, 'volume', () => missingElement('volume')),
    cinderViolation,
  );
  if (v.multiattach !== undefined && boolFromString(v.multiattach) === true)
    throw new BadRequest(MULTIATTACH_REMOVED);
  return {
    name: v.name ?? v.display_name ?? null,
    description: v.description ?? v.display_description ?? null,
    size: v.size === undefined || v.size === null ? undefined : sizeFrom(v.size),
    snapshotId: v.snapshot_id ?? undefined,
    sourceVolid: v.source_volid ?? undefined,
    imageRef: v.imageRef ?? undefined,
    volumeType: v.volume_type ?? undefined,
    availabilityZone: v.availability_zone ?? undefined,
    metadata: metadataFrom(v.metadata),
  };
}

function updateInput(body: unknown): VolumeUpdate {
  const v = parse(
    VolumeUpdateBody,
    envelope(body, 'volume', () => missingElement('volume')),
    cinderViolation,
  );
  const input: VolumeUpdate = {};
  if (v.name !== undefined || v.display_name !== undefined)
    input.name = v.name ?? v.display_name ?? null;
  if (v.description !== undefined || v.display_description !== undefined)
    input.description = v.description ?? v.display_description ?? null;
  if (v.metadata !== undefined) input.metadata = metadataFrom(v.metadata);
  return input;
}

/** /v3/{project_id}/volumes[/detail|/summary|/{id}]. */
export function volumeRoutes(
  app: FastifyInstance,
  service: VolumeService,
  baseUrl: () => string,
): void {
  for (const detail of [false, true]) {
    app.get<{ Params: Params }>(detail ? '/volumes/detail' : '/volumes', async (req) => {
      // The router ignores trailing slashes, but `/volumes/` is a volume with an empty id.
      if (req.url.split('?')[0]!.endsWith('/'))
        throw new NotFound('The resource could not be found.');
      const q = parse(ListQuery, req.query, cinderViolation);
      checkFilters(req.ctx, req.volumeMv, q, VOLUME_FILTERS);
      const paging = pagingFrom(q, VOLUME_SORT_KEYS);
      const volumes = await service.listVolumes(req.ctx, scopeFrom(q), filtersFrom(q), paging);
      const base = baseUrl();
      const body: Record<string, unknown> = {
        volumes: volumes.map((v) =>
          detail ? volumeView(v, req.ctx, req.volumeMv, base) : volumeSummaryView(v, base),
        ),
      };
      const links = collectionLinks(
        `${base}/volume/v3/${req.params.project_id}/${detail ? 'volumes/detail' : 'volumes'}`,
        req.url.split('?')[1] ?? '',
        paging,
        volumes.length,
        volumes.at(-1)?.row.id,
      );
      if (links) body.volumes_links = links;
      return body;
    });
  }

  app.post<{ Params: Params }>('/volumes', async (req, reply) => {
    const volume = await service.createVolume(req.ctx, createInput(req.body));
    return reply
      .code(202)
      .send({ volume: volumeView(volume, req.ctx, req.volumeMv, baseUrl(), false) });
  });

  // 3.12+: totals over the caller's volumes; before that `summary` is just an unknown id.
  app.get<{ Params: Params }>('/volumes/summary', async (req) => {
    if (!atLeast(req.volumeMv, 12)) throw volumeNotFound('summary');
    const summary: Record<string, unknown> = await service.volumeSummary(req.ctx);
    if (atLeast(req.volumeMv, 36)) summary.metadata = {};
    return { 'volume-summary': summary };
  });

  app.get<{ Params: Params }>('/volumes/:id', async (req) => ({
    volume: volumeView(
      await service.getVolume(req.ctx, req.params.id),
      req.ctx,
      req.volumeMv,
      baseUrl(),
    ),
  }));

  app.put<{ Params: Params }>('/volumes/:id', async (req) => {
    const volume = await service.updateVolume(req.ctx, req.params.id, updateInput(req.body));
    return { volume: volumeView(volume, req.ctx, req.volumeMv, baseUrl(), false) };
  });

  app.delete<{ Params: Params }>('/volumes/:id', async (req, reply) => {
    const q = parse(DeleteQuery, req.query, cinderViolation);
    await service.deleteVolume(req.ctx, req.params.id, {
      cascade: boolFromString(q.cascade) === true,
      force: boolFromString(q.force) === true,
    });
    return reply.code(202).send();
  });
}
