import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequest, NotAcceptable } from '../../errors.js';
import type { Microversion } from './views/volume.view.js';

export const MIN_VERSION: Microversion = [3, 0];
/** Zed (Cinder 21.0.0). */
export const MAX_VERSION: Microversion = [3, 70];

declare module 'fastify' {
  interface FastifyRequest {
    volumeMv: Microversion;
  }
}

const fmt = (v: Microversion): string => `${v[0]}.${v[1]}`;
const lt = (a: Microversion, b: Microversion): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/**
 * Reads `OpenStack-API-Version: volume X.Y` (3.0 without it, `latest` = the maximum), refuses
 * versions out of range with Cinder's 406, and echoes the version with `Vary`.
 */
export async function volumeMicroversion(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const header = req.headers['openstack-api-version'];
  const text = Array.isArray(header) ? header.join(',') : header;
  let mv = MIN_VERSION;
  const entry = text
    ?.split(',')
    .map((s) => s.trim().split(/\s+/))
    .find(([service]) => service?.toLowerCase() === 'volume' || service?.toLowerCase() === 'block-storage');
  if (entry) {
    const value = entry[1] ?? '';
    if (value.toLowerCase() === 'latest') mv = MAX_VERSION;
    else {
      const m = /^(\d+)\.(\d+)$/.exec(value);
      if (!m) throw new BadRequest(`Invalid API version request string: ${value}`);
      mv = [Number(m[1]), Number(m[2])];
      if (lt(mv, MIN_VERSION) || lt(MAX_VERSION, mv)) {
        throw new NotAcceptable(`Version ${value} is not supported by the API. Minimum is ${fmt(MIN_VERSION)} and maximum is ${fmt(MAX_VERSION)}.`);
      }
    }
  }
  req.volumeMv = mv;
  reply.header('openstack-api-version', `volume ${fmt(mv)}`).header('vary', 'OpenStack-API-Version');
}
