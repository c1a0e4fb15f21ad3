import type { FastifyInstance } from 'fastify';
import { installErrorHandling } from '../../http/errors.js';
import { requireToken } from '../../http/auth.js';
import type { IdentityService } from '../identity/service.js';
import { renderHeatError, HeatFault } from './errors.js';
import type { OrchestrationService } from './service.js';
import { methodRouting } from './routes/methods.js';
import { buildInfoRoutes } from './routes/build-info.js';
import { eventRoutes } from './routes/events.js';
import { outputRoutes } from './routes/outputs.js';
import { resourceTypeRoutes } from './routes/resource-types.js';
import { resourceRoutes } from './routes/resources.js';
import { serviceRoutes } from './routes/services.js';
import { softwareConfigRoutes } from './routes/software-configs.js';
import { softwareDeploymentRoutes } from './routes/software-deployments.js';
import { stackLookupRoutes } from './routes/stack-lookup.js';
import { stackRoutes } from './routes/stacks.js';
import { templateInfoRoutes } from './routes/template-info.js';
import { templateVersionRoutes } from './routes/template-versions.js';
import { validateRoutes } from './routes/validate.js';
import { stackUpdateRoutes } from './routes/stack-update.js';
import { stackActionRoutes } from './routes/stack-actions.js';
import { stackSnapshotRoutes } from './routes/stack-snapshots.js';
import { stackPreviewRoutes } from './routes/stack-preview.js';
import { versionRoutes } from './routes/versions.js';

/** Heat v1 under /orchestration: everything per project at /v1/{tenant_id}. */
export async function orchestrationPlugin(
  app: FastifyInstance,
  opts: { orchestration: OrchestrationService; identity: IdentityService },
): Promise<void> {
  const { orchestration, identity } = opts;
  const baseUrl = (): string => `${identity.baseUrl()}/orchestration`;
  installErrorHandling(app, renderHeatError);
  // Heat's JSON serializer says `application/json`, no charset (gabbi compares it exactly).
  app.addHook('onSend', async (_req, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json')) {
      reply.header('content-type', 'application/json');
    }
    return payload;
  });
  versionRoutes(app, baseUrl);
  await app.register(
    async (tenant) => {
      methodRouting(tenant);
      tenant.addHook('onRequest', requireToken(identity));
      // heat/api/openstack/v1/util.py: a URL naming another project is refused (admins aside).
      tenant.addHook('preHandler', async (req) => {
        const { tenant_id } = req.params as { tenant_id?: string };
        if (tenant_id !== undefined && tenant_id !== req.ctx.projectId && !req.ctx.isAdmin) {
          throw new HeatFault('HTTPForbidden', 'Access was denied to this resource.', 403);
        }
      });
      stackRoutes(tenant, orchestration, baseUrl);
      stackLookupRoutes(tenant, orchestration, baseUrl);
      templateInfoRoutes(tenant, orchestration);
      outputRoutes(tenant, orchestration);
      resourceRoutes(tenant, orchestration, baseUrl);
      eventRoutes(tenant, orchestration, baseUrl);
      validateRoutes(tenant, orchestration);
      templateVersionRoutes(tenant);
      resourceTypeRoutes(tenant, orchestration);
      buildInfoRoutes(tenant);
      serviceRoutes(tenant);
      softwareConfigRoutes(tenant, orchestration.softwareConfigs);
      softwareDeploymentRoutes(tenant, orchestration.softwareDeployments);
      stackUpdateRoutes(tenant, orchestration);
      stackActionRoutes(tenant, orchestration);
      stackSnapshotRoutes(tenant, orchestration);
      stackPreviewRoutes(tenant, orchestration);
    },
    { prefix: '/v1/:tenant_id' },
  );
}
