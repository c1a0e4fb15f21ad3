import type { FastifyInstance } from 'fastify';
import type { ComputeService } from '../service.js';
import { quotaClassSetView } from '../views/quota.view.js';
import { parseBody, since } from './parse.js';
import { quotaLimits } from './quota-sets.js';
import { QUOTA_CLASS_UPDATE, type QuotaValues } from './quotas.schemas.js';

type Params = { id: string };

/** os-quota-class-sets/{class} (admins); the `default` class is what every project starts from. */
export function quotaClassSetRoutes(app: FastifyInstance, compute: ComputeService): void {
  app.get<{ Params: Params }>('/os-quota-class-sets/:id', async (req) => {
    const set = await compute.quotaClassSet(req.ctx, req.params.id);
    return quotaClassSetView(req.params.id, set, req.computeMv);
  });

  app.put<{ Params: Params }>('/os-quota-class-sets/:id', async (req) => {
    const body = parseBody(since(req.computeMv, QUOTA_CLASS_UPDATE), req.body) as {
      quota_class_set: QuotaValues;
    };
    // `networks` passes the schema before 2.50 but is no quota here: it is not stored.
    const { networks: _networks, ...values } = body.quota_class_set;
    const set = await compute.updateQuotaClassSet(req.ctx, req.params.id, quotaLimits(values));
    return quotaClassSetView(undefined, set, req.computeMv);
  });
}
