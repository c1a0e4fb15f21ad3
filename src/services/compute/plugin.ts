import type { FastifyInstance } from 'fastify';
import { registerFaultApi } from '../../http/fault-api.js';
import type { IdentityService } from '../identity/service.js';
import type { ComputeService } from './service.js';
import { computeMicroversion } from './routes/microversion.js';
import { versionRoutes } from './routes/versions.js';
import { limitRoutes } from './routes/limits.js';
import { quotaSetRoutes } from './routes/quota-sets.js';
import { quotaClassSetRoutes } from './routes/quota-class-sets.js';
import { flavorRoutes } from './routes/flavors.js';
import { flavorExtraSpecRoutes } from './routes/flavor-extra-specs.js';
import { flavorAccessRoutes } from './routes/flavor-access.js';
import { keypairRoutes } from './routes/keypairs.js';
import { serverRoutes } from './routes/servers.js';
import { serverActionRoutes } from './routes/server-actions.js';
import { volumeAttachmentRoutes } from './routes/volume-attachments.js';
import { interfaceRoutes } from './routes/interfaces.js';
import { imageRoutes } from './routes/images.js';
import { serverMetadataRoutes } from './routes/server-metadata.js';
import { serverTagRoutes } from './routes/server-tags.js';
import { instanceActionRoutes } from './routes/instance-actions.js';
import { serverIpRoutes, serverPasswordRoutes } from './routes/server-ips.js';
import { serverGroupRoutes } from './routes/server-groups.js';
import { securityGroupRoutes } from './routes/security-groups.js';
import { hostRoutes } from './routes/hosts.js';

/** Nova v2.1 under /compute: version documents, limits, quotas, flavors and key pairs so far. */
export async function computePlugin(
  app: FastifyInstance,
  opts: { compute: ComputeService; identity: IdentityService },
): Promise<void> {
  const { compute, identity } = opts;
  const baseUrl = () => identity.baseUrl();
  await registerFaultApi(app, {
    identity,
    prefix: '/v2.1',
    microversion: computeMicroversion,
    routes: (scoped) => {
      limitRoutes(scoped, compute);
      quotaSetRoutes(scoped, compute);
      quotaClassSetRoutes(scoped, compute);
      flavorRoutes(scoped, compute, baseUrl);
      flavorExtraSpecRoutes(scoped, compute);
      flavorAccessRoutes(scoped, compute);
      keypairRoutes(scoped, compute);
      serverRoutes(scoped, compute, baseUrl);
      serverActionRoutes(scoped, compute, () => `${baseUrl()}/image`);
      volumeAttachmentRoutes(scoped, compute);
      interfaceRoutes(scoped, compute);
      imageRoutes(scoped, compute, () => ({ base: baseUrl(), glance: `${baseUrl()}/image` }));
      serverMetadataRoutes(scoped, compute);
      serverTagRoutes(scoped, compute, baseUrl);
      instanceActionRoutes(scoped, compute, baseUrl);
      serverIpRoutes(scoped, compute);
      serverPasswordRoutes(scoped, compute);
      serverGroupRoutes(scoped, compute);
      securityGroupRoutes(scoped, compute);
      hostRoutes(scoped, compute, baseUrl);
    },
  });
  // After the frame, so that they answer errors in its format too.
  versionRoutes(app, baseUrl);
}
