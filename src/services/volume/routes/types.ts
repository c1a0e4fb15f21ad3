import type { FastifyInstance } from 'fastify';
import type { VolumeService } from '../service.js';
import { typeView } from '../views/type.view.js';

type Params = { id: string };

/** /v3/{project_id}/types[/{id}|/default]: the default type only. */
export function typeRoutes(app: FastifyInstance, service: VolumeService): void {
  app.get('/types', async () => ({ volume_types: (await service.listTypes()).map(typeView) }));
  app.get<{ Params: Params }>('/types/:id', async (req) => ({
    volume_type: typeView(await service.getType(req.params.id)),
  }));
}
