import type { FastifyInstance } from 'fastify';
import type { VolumeService } from '../service.js';
import { limitsView } from '../views/quota.view.js';

/** /v3/{project_id}/limits: absolute limits of the caller's project. */
export function limitRoutes(app: FastifyInstance, service: VolumeService): void {
  app.get('/limits', async (req) => {
    const { limits, usage } = await service.absoluteLimits(req.ctx);
    return limitsView(limits, usage);
  });
}
