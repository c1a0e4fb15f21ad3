import type { FastifyInstance } from 'fastify';
import { registerFaultApi } from '../../http/fault-api.js';
import type { IdentityService } from '../identity/service.js';
import type { ComputeQuotas } from './quotas.js';
import type { Flavors } from './flavors.js';
import type { KeyPairs } from './keypairs.js';
import { computeMicroversion } from './microversion.js';
import { versionRoutes } from './routes/versions.js';
import { limitRoutes } from './routes/limits.js';
import { quotaSetRoutes } from './routes/quota-sets.js';
import { flavorRoutes } from './routes/flavors.js';
import { keypairRoutes } from './routes/keypairs.js';

/** Nova v2.1 under /compute: version documents, limits, quotas, flavors and key pairs so far. */
export async function computePlugin(
  app: FastifyInstance,
  opts: { quotas: ComputeQuotas; flavors: Flavors; keypairs: KeyPairs; identity: IdentityService },
): Promise<void> {
  const { quotas, flavors, keypairs, identity } = opts;
  await registerFaultApi(app, {
    identity,
    prefix: '/v2.1',
    microversion: computeMicroversion,
    routes: (scoped) => {
      limitRoutes(scoped, quotas);
      quotaSetRoutes(scoped, quotas, identity);
      flavorRoutes(scoped, flavors, () => identity.baseUrl());
      keypairRoutes(scoped, keypairs);
    },
  });
  // After the frame, so that they answer errors in its format too.
  versionRoutes(app, () => identity.baseUrl());
}
