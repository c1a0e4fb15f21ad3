import type { FastifyInstance } from 'fastify';
import { installErrorHandling } from '../../http/errors.js';
import { renderFault } from '../../http/faults.js';
import { requireToken } from '../../http/auth.js';
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
  installErrorHandling(app, renderFault);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-compute-request-id', req.id);
  });
  versionRoutes(app, () => identity.baseUrl());
  const resources = async (scoped: FastifyInstance): Promise<void> => {
    scoped.addHook('onRequest', requireToken(identity));
    scoped.addHook('preHandler', computeMicroversion);
    limitRoutes(scoped, quotas);
    quotaSetRoutes(scoped, quotas, identity);
    flavorRoutes(scoped, flavors, () => identity.baseUrl());
    keypairRoutes(scoped, keypairs);
  };
  await app.register(resources, { prefix: '/v2.1' });
}
