import type { FastifyInstance } from 'fastify';
import { versionBelow } from '../../../http/microversion.js';
import type { ComputeService } from '../service.js';
import { attachedVolumeView, volumeAttachmentView } from '../views/volume-attachment.view.js';
import {
  ATTACHMENTS_QUERY,
  ATTACH_VOLUME,
  SWAP_VOLUME,
  UPDATE_VOLUME_ATTACHMENT,
} from './attachments.schemas.js';
import { parseBody, parseQuery, since } from './parse.js';
import { boolish } from './server-input.js';

type Params = { id: string };
type ItemParams = { id: string; volumeId: string };

/** /servers/{id}/os-volume_attachments: list, show, attach (200), update or swap, detach (202). */
export function volumeAttachmentRoutes(app: FastifyInstance, compute: ComputeService): void {
  const base = '/servers/:id/os-volume_attachments';

  app.get<{ Params: Params }>(base, async (req) => {
    const mv = req.computeMv;
    const q = parseQuery(since(mv, ATTACHMENTS_QUERY), req.query);
    const all = await compute.serverVolumes.list(req.ctx, req.params.id);
    // common.limited: offset, then at most limit (Nova's max_limit 1000).
    const offset = Number(
      q.limit === undefined && q.offset === undefined ? 0 : (q.offset?.[0] ?? 0),
    );
    const limit = Math.min(Number(q.limit?.[0] ?? 1000), 1000);
    return {
      volumeAttachments: all.slice(offset, offset + limit).map((b) => volumeAttachmentView(b, mv)),
    };
  });

  app.get<{ Params: ItemParams }>(`${base}/:volumeId`, async (req) => {
    const b = await compute.serverVolumes.get(req.ctx, req.params.id, req.params.volumeId);
    return { volumeAttachment: volumeAttachmentView(b, req.computeMv) };
  });

  // 200, not 202 (Nova's TODO says so too).
  app.post<{ Params: Params }>(base, async (req) => {
    const mv = req.computeMv;
    const { volumeAttachment: a } = parseBody(since(mv, ATTACH_VOLUME), req.body);
    const b = await compute.serverVolumes.attach(
      req.ctx,
      req.params.id,
      {
        volumeId: a.volumeId,
        device: a.device ?? null,
        tag: a.tag ?? null,
        deleteOnTermination:
          a.delete_on_termination === undefined ? false : boolish(a.delete_on_termination),
      },
      !versionBelow(mv, [2, 20]),
    );
    return { volumeAttachment: attachedVolumeView(b, req.params.id, mv) };
  });

  app.put<{ Params: ItemParams }>(`${base}/:volumeId`, async (req, reply) => {
    const mv = req.computeMv;
    const regular = !versionBelow(mv, [2, 85]);
    const { volumeAttachment: a } = regular
      ? parseBody(UPDATE_VOLUME_ATTACHMENT, req.body)
      : parseBody(SWAP_VOLUME, req.body);
    const full = a as {
      volumeId: string;
      device?: string | null;
      tag?: string;
      delete_on_termination?: unknown;
      serverId?: string;
      id?: string;
    };
    await compute.serverVolumes.update(
      req.ctx,
      req.params.id,
      req.params.volumeId,
      {
        volumeId: full.volumeId,
        ...(full.device !== undefined ? { device: full.device } : {}),
        ...(full.tag !== undefined ? { tag: full.tag } : {}),
        ...(full.delete_on_termination !== undefined
          ? { deleteOnTermination: boolish(full.delete_on_termination) }
          : {}),
        ...(full.serverId !== undefined ? { serverId: full.serverId } : {}),
        ...(full.id !== undefined ? { id: full.id } : {}),
      },
      regular,
    );
    return reply.code(202).send();
  });

  app.delete<{ Params: ItemParams }>(`${base}/:volumeId`, async (req, reply) => {
    await compute.serverVolumes.detach(
      req.ctx,
      req.params.id,
      req.params.volumeId,
      !versionBelow(req.computeMv, [2, 20]),
    );
    return reply.code(202).send();
  });
}
