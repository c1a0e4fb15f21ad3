import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequest } from '../../errors.js';
import { registerFaultApi } from '../../http/fault-api.js';
import {
  formatVersion,
  requestedMicroversion,
  type Microversion,
} from '../../http/microversion.js';
import type { IdentityService } from '../identity/service.js';
import type { VolumeService } from './service.js';
import { VOLUME_RANGE } from './microversion.js';
import { versionRoutes } from './routes/versions.js';
import { volumeRoutes } from './routes/volumes.js';
import { volumeActionRoutes } from './routes/volume-actions.js';
import { snapshotRoutes } from './routes/snapshots.js';
import { metadataRoutes } from './routes/metadata.js';
import { attachmentRoutes } from './routes/attachments.js';
import { typeRoutes } from './routes/types.js';
import { limitRoutes } from './routes/limits.js';
import { quotaSetRoutes } from './routes/quota-sets.js';
import { quotaClassSetRoutes } from './routes/quota-class-sets.js';

declare module 'fastify' {
  interface FastifyRequest {
    volumeMv: Microversion;
  }
}

/** Reads `OpenStack-API-Version: volume X.Y` and echoes the version with `Vary`. */
async function volumeMicroversion(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  req.volumeMv = requestedMicroversion(req, VOLUME_RANGE);
  reply
    .header('openstack-api-version', `volume ${formatVersion(req.volumeMv)}`)
    .header('vary', 'OpenStack-API-Version');
}

/**
 * The URL's project must be the token's (cinder/api/openstack/wsgi.py): another project, or a
 * token scoped to no project (domain, system, unscoped), is Cinder's 400, for admins too.
 */
async function sameProject(req: FastifyRequest): Promise<void> {
  const { project_id: project } = req.params as { project_id?: string };
  if (project !== undefined && project !== req.ctx.projectId)
    throw new BadRequest('Malformed request url');
}

/** Cinder v3 under /volume: /v3/{project_id}/... (the project-less URLs of 3.67 are not routed). */
export async function volumePlugin(
  app: FastifyInstance,
  opts: { service: VolumeService; identity: IdentityService },
): Promise<void> {
  const { service, identity } = opts;
  const baseUrl = () => identity.baseUrl();
  await registerFaultApi(app, {
    identity,
    prefix: '/v3/:project_id',
    microversion: volumeMicroversion,
    routes: (scoped) => {
      scoped.addHook('preHandler', sameProject);
      volumeRoutes(scoped, service, baseUrl);
      volumeActionRoutes(scoped, service);
      snapshotRoutes(scoped, service, baseUrl);
      metadataRoutes(scoped, service);
      attachmentRoutes(scoped, service);
      typeRoutes(scoped, service);
      limitRoutes(scoped, service);
      quotaSetRoutes(scoped, service);
      quotaClassSetRoutes(scoped, service);
    },
  });
  // After the frame, so that they answer errors in its format too.
  versionRoutes(app, baseUrl);
}
