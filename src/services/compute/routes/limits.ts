import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '../../../http/schema.js';
import type { ComputeService } from '../service.js';
import { limitsView } from '../views/limits.view.js';
import { firstOf, parseQuery, since, StringParam } from './parse.js';

// nova/api/openstack/compute/schemas/limits.py (Zed).
const Query = Type.Object({ tenant_id: StringParam }, { additionalProperties: true });
const QueryV275 = Type.Object({ tenant_id: StringParam }, { additionalProperties: false });

/** GET /limits: the project's quotas and usage (another project's for admins, `tenant_id`). */
export function limitRoutes(app: FastifyInstance, compute: ComputeService): void {
  app.get('/limits', async (req) => {
    const mv = req.computeMv;
    const q = parseQuery(
      since(mv, [
        [[2, 1], Query],
        [[2, 75], QueryV275],
      ]),
      req.query,
    ) as Static<typeof Query>;
    const { limits, used } = await compute.limits(req.ctx, firstOf(q.tenant_id));
    return limitsView(limits, used, mv);
  });
}
