import type { FastifyInstance } from 'fastify';
import { isJsonObject } from '../../../http/input.js';
import type { VolumeService } from '../service.js';
import type { MetaOwner } from '../metadata.js';
import { emptyMetadata, type Metadata } from '../types.js';
import { metadataFrom } from './input.js';

type Params = { id: string; key: string };

/** `{"metadata": {...}}`, or (as Cinder tolerates) the map itself. */
function metadataBody(body: unknown): Metadata {
  const inner = isJsonObject(body) && Object.hasOwn(body, 'metadata') ? body.metadata : body;
  return metadataFrom(inner ?? {});
}

/** `{"meta": {key: value}}` of PUT /metadata/{key}. */
function metaBody(body: unknown): Metadata {
  return metadataFrom(isJsonObject(body) ? body.meta : undefined, 'meta');
}

/** {volumes|snapshots}/{id}/metadata[/{key}]. */
export function metadataRoutes(app: FastifyInstance, service: VolumeService): void {
  for (const [collection, owner] of [
    ['volumes', 'volume'],
    ['snapshots', 'snapshot'],
  ] as const satisfies ReadonlyArray<readonly [string, MetaOwner]>) {
    const base = `/${collection}/:id/metadata`;
    app.get<{ Params: Params }>(base, async (req) => ({
      metadata: await service.getMetadata(req.ctx, owner, req.params.id),
    }));
    app.post<{ Params: Params }>(base, async (req) => ({
      metadata: await service.setMetadata(
        req.ctx,
        owner,
        req.params.id,
        metadataBody(req.body),
        false,
      ),
    }));
    app.put<{ Params: Params }>(base, async (req) => ({
      metadata: await service.setMetadata(
        req.ctx,
        owner,
        req.params.id,
        metadataBody(req.body),
        true,
      ),
    }));
    app.get<{ Params: Params }>(`${base}/:key`, async (req) => {
      const { id, key } = req.params;
      const meta = emptyMetadata();
      meta[key] = await service.getMetadataKey(req.ctx, owner, id, key);
      return { meta };
    });
    app.put<{ Params: Params }>(`${base}/:key`, async (req) => ({
      meta: await service.setMetadataKey(
        req.ctx,
        owner,
        req.params.id,
        req.params.key,
        metaBody(req.body),
      ),
    }));
    app.delete<{ Params: Params }>(`${base}/:key`, async (req, reply) => {
      await service.deleteMetadataKey(req.ctx, owner, req.params.id, req.params.key);
      return reply.code(200).send();
    });
  }
}
