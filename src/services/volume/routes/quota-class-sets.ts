import type { FastifyInstance } from 'fastify';
import { envelope } from '../../../http/input.js';
import type { VolumeService } from '../service.js';
import { validLimits } from '../quotas.js';
import { missingElement } from '../errors.js';
import { quotaView } from '../views/quota.view.js';

type Params = { target: string };

/** /v3/{project_id}/os-quota-class-sets/{class} (admin). */
export function quotaClassSetRoutes(app: FastifyInstance, service: VolumeService): void {
  app.get<{ Params: Params }>('/os-quota-class-sets/:target', async (req) => ({
    quota_class_set: quotaView(
      req.params.target,
      await service.showQuotaClass(req.ctx, req.params.target),
    ),
  }));

  app.put<{ Params: Params }>('/os-quota-class-sets/:target', async (req) => {
    const body = envelope(req.body, 'quota_class_set', () => missingElement('quota_class_set'));
    const set = await service.updateQuotaClass(req.ctx, req.params.target, validLimits(body));
    return { quota_class_set: quotaView(req.params.target, set) };
  });
}
