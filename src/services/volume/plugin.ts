import type { FastifyInstance } from 'fastify';
import { installErrorHandling } from '../../http/errors.js';
import { requireToken } from '../../http/auth.js';
import type { IdentityService } from '../identity/service.js';
import type { VolumeApi } from './api.js';
import { renderFault } from '../../http/faults.js';
import { volumeMicroversion } from './microversion.js';
import { versionRoutes } from './routes/versions.js';
import { volumeRoutes } from './routes/volumes.js';
import { snapshotRoutes } from './routes/snapshots.js';
import { metadataRoutes } from './routes/metadata.js';
import { miscRoutes } from './routes/misc.js';

/** Cinder v3 under /volume: /v3/{project_id}/... (and /v3/... without it, as from 3.67). */
export async function volumePlugin(app: FastifyInstance, opts: { api: VolumeApi; identity: IdentityService }): Promise<void> {
  const { api, identity } = opts;
  installErrorHandling(app, renderFault);
  app.addHook('onSend', async (req, reply) => {
    // Cinder's request id header, besides the common one.
    reply.header('x-compute-request-id', req.id);
  });
  versionRoutes(app, () => identity.baseUrl());
  const resources = async (scoped: FastifyInstance): Promise<void> => {
    scoped.addHook('onRequest', requireToken(identity));
    scoped.addHook('preHandler', volumeMicroversion);
    volumeRoutes(scoped, api);
    snapshotRoutes(scoped, api);
    metadataRoutes(scoped, api);
    miscRoutes(scoped, api);
  };
  await app.register(resources, { prefix: '/v3/:project_id' });
}
