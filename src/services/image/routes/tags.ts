import type { FastifyInstance } from 'fastify';
import type { ImageService } from '../service.js';

type Params = { id: string; tag: string };

/** /v2/images/{id}/tags/{tag}. */
export function tagRoutes(app: FastifyInstance, images: ImageService): void {
  app.put<{ Params: Params }>('/v2/images/:id/tags/:tag', async (req, reply) => {
    await images.addTag(req.ctx, req.params.id, req.params.tag);
    return reply.code(204).send();
  });

  app.delete<{ Params: Params }>('/v2/images/:id/tags/:tag', async (req, reply) => {
    await images.removeTag(req.ctx, req.params.id, req.params.tag);
    return reply.code(204).send();
  });
}
