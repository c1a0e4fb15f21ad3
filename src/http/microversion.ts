import type { FastifyRequest } from 'fastify';
import { BadRequest, NotAcceptable } from '../errors.js';

/** [major, minor] of an API microversion. */
export type Microversion = [number, number];

export interface MicroversionRange {
  /** Names accepted before the version in `OpenStack-API-Version` (e.g. compute; volume, block-storage). */
  services: string[];
  /** A service-specific header that carries just the version (Nova's X-OpenStack-Nova-API-Version). */
  legacyHeader?: string;
  min: Microversion;
  max: Microversion;
}

export const formatVersion = (v: Microversion): string => `${v[0]}.${v[1]}`;
export const versionBelow = (a: Microversion, b: Microversion): boolean =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

function headerText(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The microversion a request asks for, read as oslo's microversion_parse does: the minimum
 * without a header, `latest` for the maximum; a malformed version is a 400 and one out of range
 * the 406 both Nova and Cinder give.
 */
export function requestedMicroversion(req: FastifyRequest, range: MicroversionRange): Microversion {
  const names = range.services.map((s) => s.toLowerCase());
  let value = headerText(req, 'openstack-api-version')
    ?.split(',')
    .map((s) => s.trim().split(/\s+/))
    .find(([service]) => names.includes(service?.toLowerCase() ?? ''))?.[1];
  if (value === undefined && range.legacyHeader)
    value = headerText(req, range.legacyHeader)?.trim();
  if (value === undefined) return range.min;
  if (value.toLowerCase() === 'latest') return range.max;
  const m = /^([1-9]\d*)\.(0|[1-9]\d*)$/.exec(value);
  if (!m) {
    throw new BadRequest(
      `API Version String ${value} is of invalid format. Must be of format MajorNum.MinorNum.`,
    );
  }
  const mv: Microversion = [Number(m[1]), Number(m[2])];
  if (versionBelow(mv, range.min) || versionBelow(range.max, mv)) {
    throw new NotAcceptable(
      `Version ${value} is not supported by the API. Minimum is ${formatVersion(range.min)} and maximum is ${formatVersion(range.max)}.`,
    );
  }
  return mv;
}
