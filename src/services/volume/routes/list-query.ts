import { Type, type Static } from '../../../http/schema.js';
import { BadRequest } from '../../../errors.js';
import { boolFromString, queryInt } from '../../../http/input.js';
import type { RequestContext } from '../../../context.js';
import type { Microversion } from '../../../http/microversion.js';
import { atLeast } from '../views/volume.view.js';
import { MAX_LIMIT } from '../listing.js';
import { invalidInput } from '../errors.js';
import type { ListScope, Paging, SortDir } from '../types.js';

/** A query value: a key given twice arrives as an array. */
export const QueryValue = Type.Union([Type.String(), Type.Array(Type.String())]);

/** Any list's query: every value a string or strings; the keys each route reads. */
export const ListQuery = Type.Record(Type.String(), QueryValue);
export type ListQuery = Static<typeof ListQuery>;

export function first(q: ListQuery, key: string): string | undefined {
  if (!Object.hasOwn(q, key)) return undefined;
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Keys that page and sort a list rather than filter it (cinder/api/common.py pops them). */
const PAGING_KEYS = new Set([
  'limit',
  'marker',
  'offset',
  'sort',
  'sort_key',
  'sort_dir',
  'with_count',
]);

function nonNegative(value: string, name: string): number {
  const n = queryInt(value);
  if (n === null) throw invalidInput(`${name} param must be an integer`);
  if (n < 0) throw invalidInput(`${name} param must be positive`);
  return n;
}

/** limit, offset, marker and sort (`sort=k:d,...` or `sort_key`/`sort_dir`) as Cinder reads them. */
export function pagingFrom(q: ListQuery, sortKeys: readonly string[]): Paging {
  const limitRaw = first(q, 'limit');
  const offsetRaw = first(q, 'offset');
  const limit =
    limitRaw === undefined ? MAX_LIMIT : Math.min(nonNegative(limitRaw, 'limit'), MAX_LIMIT);
  const offset = offsetRaw === undefined ? 0 : nonNegative(offsetRaw, 'offset');
  const sortKey = first(q, 'sort_key');
  const sortDir = first(q, 'sort_dir');

  const pairs: Array<[string, string]> = [];
  const sort = first(q, 'sort');
  if (sort !== undefined) {
    if (sortKey !== undefined || sortDir !== undefined) {
      throw invalidInput(
        "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.",
      );
    }
    for (const part of sort.split(',')) {
      const [k = '', d = 'desc'] = part.trim().split(':');
      pairs.push([k, d]);
    }
  } else if (sortKey !== undefined || sortDir !== undefined) {
    pairs.push([sortKey ?? 'created_at', sortDir ?? 'desc']);
  } else {
    pairs.push(['created_at', 'desc']);
  }
  const out: Array<[string, SortDir]> = pairs.map(([rawKey, rawDir]) => {
    const key = rawKey === 'display_name' ? 'name' : rawKey;
    if (!sortKeys.includes(key)) throw invalidInput(`Invalid sort key ${rawKey}`);
    const dir = rawDir.toLowerCase();
    if (dir !== 'asc' && dir !== 'desc')
      throw invalidInput(`Unknown sort direction, must be 'desc' or 'asc'`);
    return [key, dir];
  });
  const last = out[out.length - 1]![1];
  if (!out.some(([k]) => k === 'created_at')) out.push(['created_at', last]);
  if (!out.some(([k]) => k === 'id')) out.push(['id', last]);
  return { limit, limited: limitRaw !== undefined, offset, marker: first(q, 'marker'), sort: out };
}

/** `all_tenants` (oslo's boolean words) and an admin's `project_id`. */
export function scopeFrom(q: ListQuery): ListScope {
  const allTenants = first(q, 'all_tenants');
  return {
    allTenants: allTenants !== undefined && boolFromString(allTenants) === true,
    projectId: first(q, 'project_id') || undefined,
  };
}

/**
 * Cinder's filter check (cinder/api/common.py reject_invalid_filters, from 3.33): a key outside
 * the resource's allowed filters is refused for non-admins; before 3.33 it is dropped. Either
 * way the cost is one pass over the keys, whatever their number.
 */
export function checkFilters(
  ctx: RequestContext,
  mv: Microversion,
  q: ListQuery,
  allowed: ReadonlySet<string>,
): void {
  if (!atLeast(mv, 33)) return;
  const keys = Object.keys(q).filter((k) => !PAGING_KEYS.has(k));
  // eslint-disable-next-line no-control-regex
  if (keys.some((k) => !/^[\x00-\x7f]*$/.test(k)))
    throw new BadRequest('Filter keys can only contain ASCII characters.');
  if (ctx.isAdmin) return;
  const invalid = keys.filter((k) => k !== 'all_tenants' && !allowed.has(k));
  if (invalid.length > 0)
    throw new BadRequest(`Invalid filters ${invalid.join(',')} are found in query options.`);
}
