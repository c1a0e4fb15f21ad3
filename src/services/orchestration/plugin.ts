import type { FastifyInstance } from 'fastify';
import { installErrorHandling } from '../../http/errors.js';
import { requireToken } from '../../http/auth.js';
import type { IdentityService } from '../identity/service.js';
import { renderHeatError, HeatFault } from './errors.js';
import type { OrchestrationService } from './service.js';
import { stackRoutes } from './routes/stacks.js';
import { stackUpdateRoutes } from './routes/stack-update.js';
import { stackActionRoutes } from './routes/stack-actions.js';
import { stackSnapshotRoutes } from './routes/stack-snapshots.js';
import { versionRoutes } from './routes/versions.js';

/** Heat v1 under /orchestration: everything per project at /v1/{tenant_id}. */
export async function orchestrationPlugin(
  app: FastifyInstance,
  opts: { orchestration: OrchestrationService; identity: IdentityService },
): Promise<void> {
  const { orchestration, identity } = opts;
  const baseUrl = (): string => `${identity.baseUrl()}/orchestration`;
  installErrorHandling(app, renderHeatError);
  versionRoutes(app, baseUrl);
  await app.register(
    async (tenant) => {
      tenant.addHook('onRequest', requireToken(identity));
      // heat/api/openstack/v1/util.py: a URL naming another project is refused (admins aside).
      tenant.addHook('preHandler', async (req) => {
        const { tenant_id } = req.params as { tenant_id: string };
        if (tenant_id !== req.ctx.projectId && !req.ctx.isAdmin) {
          throw new HeatFault(
            'HTTPForbidden',
            'You are not authorized to complete this action.',
            403,
          );
        }
      });
      stackRoutes(tenant, orchestration, baseUrl);
      stackUpdateRoutes(tenant, orchestration);
      stackActionRoutes(tenant, orchestration);
      stackSnapshotRoutes(tenant, orchestration);
    },
    { prefix: '/v1/:tenant_id' },
  );
}
