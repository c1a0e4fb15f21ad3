import type { FastifyInstance } from 'fastify';
import { installErrorHandling } from '../../http/errors.js';
import { requireToken } from '../../http/auth.js';
import type { IdentityService } from '../identity/service.js';
import type { NetworkService } from './service.js';
import { renderNetworkError } from './errors.js';
import { apiRootRoutes, versionRoutes } from './routes/versions.js';
import { quotaRoutes } from './routes/quotas.js';
import { tagRoutes } from './routes/tags.js';
import { extensionRoutes } from './routes/extensions.js';
import { agentRoutes } from './routes/agents.js';
import { availabilityZoneRoutes } from './routes/availability-zones.js';
import { networkRoutes } from './routes/networks.js';
import { subnetRoutes } from './routes/subnets.js';
import { portRoutes } from './routes/ports.js';
import { securityGroupRoutes } from './routes/security-groups.js';
import { securityGroupRuleRoutes } from './routes/security-group-rules.js';
import { routerRoutes } from './routes/routers.js';
import { floatingIpRoutes } from './routes/floatingips.js';
import { autoTopologyRoutes } from './routes/auto-allocated-topology.js';
import { subnetPoolRoutes } from './routes/subnetpools.js';

/** Neutron v2.0 under /network. */
export async function networkPlugin(
  app: FastifyInstance,
  opts: { network: NetworkService; identity: IdentityService },
): Promise<void> {
  const { network, identity } = opts;
  const baseUrl = (): string => identity.baseUrl();
  installErrorHandling(app, renderNetworkError);
  versionRoutes(app, baseUrl);
  await app.register(async (authed) => {
    authed.addHook('onRequest', requireToken(identity));
    networkRoutes(authed, network, baseUrl);
    subnetRoutes(authed, network, baseUrl);
    portRoutes(authed, network, baseUrl);
    securityGroupRoutes(authed, network, baseUrl);
    securityGroupRuleRoutes(authed, network, baseUrl);
    apiRootRoutes(authed, baseUrl);
    quotaRoutes(authed, network);
    tagRoutes(authed, network);
    extensionRoutes(authed, network);
    agentRoutes(authed, network, baseUrl);
    availabilityZoneRoutes(authed, network);
    routerRoutes(authed, network, baseUrl);
    floatingIpRoutes(authed, network, baseUrl);
    autoTopologyRoutes(authed, network);
    subnetPoolRoutes(authed, network, baseUrl);
  });
}
