import type { FastifyInstance } from 'fastify';
import { BadRequest, Forbidden, NotFound } from '../../../errors.js';
import type { Query } from '../../../http/query.js';
import { isoNow } from '../../../util.js';
import type { VolumeApi } from '../api.js';
import { collectionLinks } from '../listing.js';
import { snapshotView } from '../views/snapshot.view.js';

type Params = { project_id: string; id: string };

/** /v3/{project_id}/snapshots[/detail|/{id}|/{id}/action]. */
export function snapshotRoutes(app: FastifyInstance, api: VolumeApi): void {
  for (const detail of [false, true]) {
    app.get<{ Params: Params }>(detail ? '/snapshots/detail' : '/snapshots', async (req) => {
      // The router ignores trailing slashes, but `/snapshots/` is a snapshot with an empty id.
      if (req.url.split('?')[0]!.endsWith('/'))
        throw new NotFound('The resource could not be found.');
      const { snapshots, paging } = await api.snapshots.list(req.ctx, req.query as Query);
      const body: Record<string, unknown> = {
        snapshots: snapshots.map((s) => snapshotView(s, req.volumeMv, detail)),
      };
      const href = `${api.baseUrl()}/volume/v3/${req.params.project_id}/${detail ? 'snapshots/detail' : 'snapshots'}`;
      const links = collectionLinks(
        href,
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
    const body = (req.body as Record<string, unknown> | undefined)?.snapshot;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequest("Missing required element 'snapshot' in request body.");
    }
    const snap = await api.snapshots.create(req.ctx, body as Record<string, unknown>, req.volumeMv);
    return reply.code(202).send({ snapshot: snapshotView(snap, req.volumeMv, false) });
  });

  app.get<{ Params: Params }>('/snapshots/:id', async (req) => ({
    snapshot: snapshotView(await api.snapshots.get(req.ctx, req.params.id), req.volumeMv, true),
  }));

  app.put<{ Params: Params }>('/snapshots/:id', async (req) => {
    const body = (req.body as Record<string, unknown> | undefined)?.snapshot;
    if (typeof body !== 'object' || body === null)
      throw new BadRequest("Missing required element 'snapshot' in request body.");
    const snap = await api.snapshots.update(
      req.ctx,
      req.params.id,
      body as Record<string, unknown>,
    );
    return { snapshot: snapshotView(snap, req.volumeMv, false) };
  });

  app.delete<{ Params: Params }>('/snapshots/:id', async (req, reply) => {
    await api.snapshots.delete(req.ctx, req.params.id);
    return reply.code(202).send();
  });

  app.post<{ Params: Params }>('/snapshots/:id/action', async (req, reply) => {
    const raw = req.body;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new BadRequest('There is no such action: None');
    const body = raw as Record<string, Record<string, unknown> | undefined>;
    if (!req.ctx.isAdmin)
      throw new Forbidden(
        "Policy doesn't allow volume_extension:snapshot_admin_actions to be performed.",
      );
    if ('os-force_delete' in body) {
      await api.snapshots.delete(req.ctx, req.params.id, true);
      return reply.code(202).send();
    }
    if ('os-reset_status' in body) {
      const snap = await api.snapshots.get(req.ctx, req.params.id);
      const status = body['os-reset_status']?.status;
      if (
        typeof status !== 'string' ||
        !['available', 'error', 'creating', 'deleting', 'error_deleting'].includes(status)
      ) {
        throw new BadRequest(`Invalid input received: Invalid snapshot status: ${String(status)}`);
      }
      await api.db
        .updateTable('snapshots')
        .set({ status, updated_at: isoNow() })
        .where('id', '=', snap.row.id)
        .execute();
      return reply.code(202).send();
    }
    throw new BadRequest(`There is no such action: ${Object.keys(body)[0] ?? 'None'}`);
  });
}
