import type { FastifyInstance } from 'fastify';
import type { VolumeApi } from '../api.js';
import type { MetaOwner } from '../metadata.js';

type Params = { id: string; key: string };

/** {volumes|snapshots}/{id}/metadata[/{key}]. */
export function metadataRoutes(app: FastifyInstance, api: VolumeApi): void {
  for (const [collection, owner] of [
    ['volumes', 'volume'],
    ['snapshots', 'snapshot'],
  ] as const satisfies ReadonlyArray<readonly [string, MetaOwner]>) {
    const base = `/${collection}/:id/metadata`;
    app.get<{ Params: Params }>(base, async (req) => ({
      metadata: await api.metadata.get(req.ctx, owner, req.params.id),
    }));
    app.post<{ Params: Params }>(base, async (req) => ({
      metadata: await api.metadata.set(req.ctx, owner, req.params.id, req.body, false),
    }));
    app.put<{ Params: Params }>(base, async (req) => ({
      metadata: await api.metadata.set(req.ctx, owner, req.params.id, req.body, true),
    }));
    app.get<{ Params: Params }>(`${base}/:key`, async (req) => ({
      meta: {
        [req.params.key]: await api.metadata.getKey(req.ctx, owner, req.params.id, req.params.key),
      },
    }));
    app.put<{ Params: Params }>(`${base}/:key`, async (req) => ({
      meta: await api.metadata.setKey(req.ctx, owner, req.params.id, req.params.key, req.body),
    }));
    app.delete<{ Params: Params }>(`${base}/:key`, async (req, reply) => {
      await api.metadata.deleteKey(req.ctx, owner, req.params.id, req.params.key);
      return reply.code(200).send();
    });
  }
}
