import type { FastifyInstance } from 'fastify';
import { registerFaultApi } from '../../http/fault-api.js';
import type { IdentityService } from '../identity/service.js';
import type { VolumeApi } from './api.js';
import { volumeMicroversion } from './microversion.js';
import { versionRoutes } from './routes/versions.js';
import { volumeRoutes } from './routes/volumes.js';
import { snapshotRoutes } from './routes/snapshots.js';
import { metadataRoutes } from './routes/metadata.js';
import { miscRoutes } from './routes/misc.js';

/** Cinder v3 under /volume: /v3/{project_id}/... (the project-less URLs of 3.67 are not routed). */
export async function volumePlugin(
  app: FastifyInstance,
  opts: { api: VolumeApi; identity: IdentityService },
): Promise<void> {
  const { api, identity } = opts;
  await registerFaultApi(app, {
    identity,
    prefix: '/v3/:project_id',
    microversion: volumeMicroversion,
    routes: (scoped) => {
      volumeRoutes(scoped, api);
      snapshotRoutes(scoped, api);
      metadataRoutes(scoped, api);
      miscRoutes(scoped, api);
    },
  });
  // After the frame, so that they answer errors in its format too.
  versionRoutes(app, () => identity.baseUrl());
}
