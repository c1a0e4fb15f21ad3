import type { FastifyInstance } from 'fastify';
import { installErrorHandling } from '../../http/errors.js';
import { requireToken } from '../../http/auth.js';
import type { IdentityService } from '../identity/service.js';
import type { NetworkService } from './service.js';
import { renderNetworkError } from './errors.js';
import { versionRoutes } from './routes/versions.js';
import { networkRoutes } from './routes/networks.js';
import { subnetRoutes } from './routes/subnets.js';
import { portRoutes } from './routes/ports.js';
import { routerRoutes } from './routes/routers.js';
import { floatingIpRoutes } from './routes/floatingips.js';
import { autoTopologyRoutes } from './routes/auto-allocated-topology.js';

/** Neutron v2.0 under /network. */
export async function networkPlugin(
  app: FastifyInstance,
  opts: { network: NetworkService; identity: IdentityService },
): Promise<void> {
  const { network, identity } = opts;
  const baseUrl = (): string => identity.baseUrl();
  installErrorHandling(app, renderNetworkError);
  versionRoutes(app, () => identity.baseUrl());
  await app.register(async (authed) => {
    authed.addHook('onRequest', requireToken(identity));
    networkRoutes(authed, network, baseUrl);
    subnetRoutes(authed, network, baseUrl);
    portRoutes(authed, network, baseUrl);
    routerRoutes(authed, network, baseUrl);
    floatingIpRoutes(authed, network, baseUrl);
    autoTopologyRoutes(authed, network);
  });
}
