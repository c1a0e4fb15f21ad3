import type { FastifyInstance } from 'fastify';
import { BadRequest, NotFound } from '../../../errors.js';
import { first, type Query } from '../../../http/query.js';
import type { VolumeApi } from '../api.js';
import { collectionLinks } from '../listing.js';
import { atLeast, volumeSummaryView } from '../views/volume.view.js';
import { volumeNotFound } from '../volumes.js';

type Params = { project_id: string; id: string };

function envelope(body: unknown, key: string): Record<string, unknown> {
  const inner = (body as Record<string, unknown> | undefined)?.[key];
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw new BadRequest(`Missing required element '${key}' in request body.`);
  }
  return inner as Record<string, unknown>;
}

const truthy = (v: string | undefined): boolean =>
  v !== undefined && ['true', '1', 'yes', 'True'].includes(v);

/** /v3/{project_id}/volumes[/detail|/{id}|/{id}/action]. */
export function volumeRoutes(app: FastifyInstance, api: VolumeApi): void {
  const url = (projectId: string, rest: string) =>
    `${api.baseUrl()}/volume/v3/${projectId}/${rest}`;

  for (const detail of [false, true]) {
    app.get<{ Params: Params }>(detail ? '/volumes/detail' : '/volumes', async (req) => {
      if (req.url.split('?')[0]!.endsWith('/'))
        throw new NotFound('The resource could not be found.');
      const { volumes, paging } = await api.volumes.list(req.ctx, req.query as Query);
      const body: Record<string, unknown> = {
        volumes: detail
          ? await api.render(req.ctx, req.volumeMv, volumes)
          : volumes.map((v) => volumeSummaryView(v, api.baseUrl())),
      };
      const links = collectionLinks(
        url(req.params.project_id, detail ? 'volumes/detail' : 'volumes'),
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
    const body = envelope(req.body, 'volume');
    const volume = await api.volumes.create(req.ctx, body);
    const [view] = await api.render(req.ctx, req.volumeMv, [volume], false);
    return reply.code(202).send({ volume: view });
  });

  // 3.12+: totals over the caller's volumes; before that `summary` is just an unknown id.
  app.get<{ Params: Params }>('/volumes/summary', async (req) => {
    if (!atLeast(req.volumeMv, 12)) throw volumeNotFound('summary');
    const summary: Record<string, unknown> = await api.volumes.summary(req.ctx);
    if (atLeast(req.volumeMv, 36)) summary.metadata = {};
    return { 'volume-summary': summary };
  });

  app.get<{ Params: Params }>('/volumes/:id', async (req) => {
    const [view] = await api.render(req.ctx, req.volumeMv, [
      await api.volumes.get(req.ctx, req.params.id),
    ]);
    return { volume: view };
  });

  app.put<{ Params: Params }>('/volumes/:id', async (req) => {
    const volume = await api.volumes.update(req.ctx, req.params.id, envelope(req.body, 'volume'));
    const [view] = await api.render(req.ctx, req.volumeMv, [volume], false);
    return { volume: view };
  });

  app.delete<{ Params: Params }>('/volumes/:id', async (req, reply) => {
    const q = req.query as Query;
    await api.volumes.delete(req.ctx, req.params.id, {
      cascade: truthy(first(q, 'cascade')),
      force: truthy(first(q, 'force')),
    });
    return reply.code(202).send();
  });

  app.post<{ Params: Params }>('/volumes/:id/action', async (req, reply) => {
    const body = req.body as Record<string, unknown> | undefined;
    const [action, ...extra] = Object.keys(body ?? {});
    if (!action || extra.length > 0) throw new BadRequest('There is no such action: None');
    const args = (body![action] ?? {}) as Record<string, unknown>;
    const id = req.params.id;
    switch (action) {
      case 'os-extend':
        await api.actions.extend(req.ctx, id, args);
        return reply.code(202).send();
      case 'os-reserve':
        await api.actions.reserve(req.ctx, id);
        return reply.code(202).send();
      case 'os-unreserve':
        await api.actions.unreserve(req.ctx, id);
        return reply.code(202).send();
      case 'os-detach':
        await api.actions.detach(req.ctx, id);
        return reply.code(202).send();
      case 'os-set_bootable':
        await api.actions.setBootable(req.ctx, id, args);
        return reply.code(200).send();
      case 'os-reset_status':
        await api.actions.resetStatus(req.ctx, id, args);
        return reply.code(202).send();
      case 'os-force_delete':
        await api.volumes.delete(req.ctx, id, { cascade: false, force: true });
        return reply.code(202).send();
      case 'os-volume_upload_image':
        return reply
          .code(202)
          .send({ 'os-volume_upload_image': await api.actions.uploadImage(req.ctx, id, args) });
      default:
        throw new BadRequest(`There is no such action: ${action}`);
    }
  });
}
