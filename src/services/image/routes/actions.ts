import type { FastifyInstance } from 'fastify';
import type { ImageService } from '../service.js';

/** /v2/images/{id}/actions/deactivate and .../reactivate. */
export function actionRoutes(app: FastifyInstance, images: ImageService): void {
  for (const action of ['deactivate', 'reactivate'] as const) {
    app.post<{ Params: { id: string } }>(`/v2/images/:id/actions/${action}`, async (req, reply) => {
      await images.setActive(req.ctx, req.params.id, action === 'reactivate');
      return reply.code(204).send();
    });
  }
}
