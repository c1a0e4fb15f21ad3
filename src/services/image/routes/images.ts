import type { FastifyInstance } from 'fastify';
import { BadRequest, NotFound } from '../../../errors.js';
import type { Query } from '../../../http/query.js';
import type { ImageService } from '../service.js';
import { parsePatch } from '../patch.js';
import { imageView } from '../views/image.view.js';

/** /v2/images and /v2/images/{id}. */
export function imageRoutes(
  app: FastifyInstance,
  images: ImageService,
  baseUrl: () => string,
): void {
  app.post('/v2/images', async (req, reply) => {
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequest('Body expected in request.');
    }
    const fields = { ...(body as Record<string, unknown>) };
    // OSC 6.0 sends the SDK's attribute names when it creates an image without data.
    for (const [from, to] of [
      ['is_protected', 'protected'],
      ['owner_id', 'owner'],
    ] as const) {
      if (from in fields && !(to in fields)) fields[to] = fields[from];
      delete fields[from];
    }
    const image = await images.create(req.ctx, fields);
    return reply
      .code(201)
      .header('location', `${baseUrl()}/image/v2/images/${image.row.id}`)
      .send(imageView(image));
  });

  app.get('/v2/images', async (req) => {
    // The router ignores trailing slashes, but `/v2/images/` is an image with an empty id.
    if (req.url.split('?')[0]!.endsWith('/'))
      throw new NotFound('The resource could not be found.');
    const query = req.query as Query;
    const page = await images.list(req.ctx, query);
    // `first` repeats the query without the marker; `next` adds the last id as the marker.
    const params = new URLSearchParams(req.url.split('?')[1] ?? '');
    params.delete('marker');
    const rest = params.toString();
    const body: Record<string, unknown> = {
      images: page.images.map(imageView),
      first: rest ? `/v2/images?${rest}` : '/v2/images',
      schema: '/v2/schemas/images',
    };
    if (page.nextMarker) {
      params.append('marker', page.nextMarker);
      body.next = `/v2/images?${params.toString()}`;
    }
    return body;
  });

  app.get<{ Params: { id: string } }>('/v2/images/:id', async (req) =>
    imageView(await images.get(req.ctx, req.params.id)),
  );

  app.patch<{ Params: { id: string } }>('/v2/images/:id', async (req) => {
    const { ops, v20 } = parsePatch(req.headers['content-type'], req.body);
    return imageView(await images.update(req.ctx, req.params.id, ops, v20));
  });

  app.delete<{ Params: { id: string } }>('/v2/images/:id', async (req, reply) => {
    await images.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  app.put<{ Params: { id: string; tag: string } }>(
    '/v2/images/:id/tags/:tag',
    async (req, reply) => {
      await images.addTag(req.ctx, req.params.id, req.params.tag);
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { id: string; tag: string } }>(
    '/v2/images/:id/tags/:tag',
    async (req, reply) => {
      await images.removeTag(req.ctx, req.params.id, req.params.tag);
      return reply.code(204).send();
    },
  );

  for (const action of ['deactivate', 'reactivate'] as const) {
    app.post<{ Params: { id: string } }>(`/v2/images/:id/actions/${action}`, async (req, reply) => {
      await images.setActive(req.ctx, req.params.id, action === 'reactivate');
      return reply.code(204).send();
    });
  }
}
