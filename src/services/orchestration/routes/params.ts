/**
 * Query parameters as heat/api/openstack/v1/util.py and heat/common/param_utils.py read them:
 * a single parameter is its last value, a multi one all of them, a mixed one a value or a list.
 */
import { pyStr } from '../../../http/pyrepr.js';
import { HeatFault } from '../errors.js';

export type Query = Record<string, unknown>;

function values(q: Query, key: string): string[] {
  if (!Object.hasOwn(q, key)) return [];
  const v = q[key];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function has(q: Query, key: string): boolean {
  return values(q, key).length > 0;
}

/** PARAM_TYPE_SINGLE: webob's MultiDict.get, the last value given. */
export function single(q: Query, key: string): string | null {
  const all = values(q, key);
  return all.length ? all[all.length - 1]! : null;
}

/** PARAM_TYPE_MULTI / MIXED: every value given. */
export function multi(q: Query, key: string): string[] {
  return values(q, key);
}

export function badRequest(message: string): HeatFault {
  return new HeatFault('HTTPBadRequest', message, 400);
}

/** param_utils.extract_bool: only true or false, any case. */
export function boolParam(name: string, value: string | null, dflt = false): boolean {
  if (value === null) return dflt;
  const word = value.toLowerCase();
  if (word === 'true') return true;
  if (word === 'false') return false;
  throw badRequest(
    `Unrecognized value "${pyStr(value)}" for "${name}", acceptable values are: true, false.`,
  );
}

/** param_utils.extract_int (allow_zero, no negatives): oslo's is_int_like, then the range. */
export function intParam(name: string, value: string | null): number | null {
  if (value === null) return null;
  if (!/^(0|-?[1-9]\d*)$/.test(value)) {
    throw badRequest(`Only integer is acceptable by '${name}'.`);
  }
  if (value.startsWith('-')) {
    throw badRequest(
      `Value '${value}' is invalid for '${name}' which only accepts non-negative integer.`,
    );
  }
  // Python's ints are unbounded: a page that large means "all".
  return Math.min(Number(value), Number.MAX_SAFE_INTEGER);
}

/** Filters of a whitelist: key -> every value given. */
export function filters(q: Query, allowed: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of allowed) {
    const v = values(q, key);
    if (v.length) out.set(key, v);
  }
  return out;
}

/** The query string re-encoded as Python's urlencode(params, doseq) writes it. */
export function encodeQuery(pairs: Array<[string, string]>): string {
  const enc = (s: string) =>
    encodeURIComponent(s)
      .replace(/%20/g, '+')
      .replace(/[!'()*~]/g, (c) =>
        c === '~' ? c : `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      );
  return pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

/** The query's pairs in their order (keys repeated as given). */
export function queryPairs(url: string): Array<[string, string]> {
  const at = url.indexOf('?');
  if (at < 0) return [];
  return [...new URLSearchParams(url.slice(at + 1))];
}
