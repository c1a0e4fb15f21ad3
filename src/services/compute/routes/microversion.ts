import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  formatVersion,
  requestedMicroversion,
  type Microversion,
  type MicroversionRange,
} from '../../../http/microversion.js';

export const MIN_VERSION: Microversion = [2, 1];
/** Zed (Nova 26.0.0). */
export const MAX_VERSION: Microversion = [2, 93];

const RANGE: MicroversionRange = {
  services: ['compute'],
  legacyHeader: 'x-openstack-nova-api-version',
  min: MIN_VERSION,
  max: MAX_VERSION,
};

declare module 'fastify' {
  interface FastifyRequest {
    computeMv: Microversion;
  }
}

/**
 * Reads `OpenStack-API-Version: compute X.Y` or Nova's older X-OpenStack-Nova-API-Version and
 * echoes the version in both, as Nova does.
 */
export async function computeMicroversion(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  req.computeMv = requestedMicroversion(req, RANGE);
  const version = formatVersion(req.computeMv);
  reply
    .header('openstack-api-version', `compute ${version}`)
    .header('x-openstack-nova-api-version', version)
    .header('vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
}
