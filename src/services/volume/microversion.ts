import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  formatVersion,
  requestedMicroversion,
  type Microversion,
  type MicroversionRange,
} from '../../http/microversion.js';

export const MIN_VERSION: Microversion = [3, 0];
/** Zed (Cinder 21.0.0). */
export const MAX_VERSION: Microversion = [3, 70];

const RANGE: MicroversionRange = {
  services: ['volume', 'block-storage'],
  min: MIN_VERSION,
  max: MAX_VERSION,
};

declare module 'fastify' {
  interface FastifyRequest {
    volumeMv: Microversion;
  }
}

/** Reads `OpenStack-API-Version: volume X.Y` and echoes the version with `Vary`. */
export async function volumeMicroversion(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  req.volumeMv = requestedMicroversion(req, RANGE);
  reply
    .header('openstack-api-version', `volume ${formatVersion(req.volumeMv)}`)
    .header('vary', 'OpenStack-API-Version');
}
