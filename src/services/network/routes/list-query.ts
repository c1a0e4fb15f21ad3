import { queryInt } from '../../../http/input.js';
import { pyStr } from '../../../http/pyrepr.js';
import type { Query } from '../../../http/query.js';
import type { ListQuery, TagFilters } from '../listing.js';
import { badRequest } from '../errors.js';
import type { AttributeMap } from './attributes.js';

/** Query parameters that are not filters (neutron/api/api_common.py). */
const CONTROL = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse']);
const TAG_KEYS: Record<string, keyof TagFilters> = {
  tags: 'all',
  'tags-any': 'any',
  'not-tags': 'notAll',
  'not-tags-any': 'notAny',
};
/** Neutron's default max_limit is unbounded; a page this long is already more than any client asks. */
const MAX_LIMIT = 10_000;

function listOf(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function tagsOf(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).filter((t) => t !== '');
}

/**
 * A list request's query, checked against the resource's attributes: filters (a name given
 * twice matches either value), tag filters, sort keys, limit, marker, page_reverse and fields.
 * `extraFilters` are filters a resource reads itself (a port's `fixed_ips`).
 */
export function parseListQuery(
  query: Query,
  map: AttributeMap,
  extraFilters: readonly string[] = [],
): ListQuery {
  const filters = new Map<string, unknown[]>();
  const extra = new Map<string, string[]>();
  const tags: TagFilters = {};
  for (const [name, raw] of Object.entries(query)) {
    if (CONTROL.has(name)) continue;
    const values = listOf(raw);
    if (Object.hasOwn(TAG_KEYS, name)) {
      tags[TAG_KEYS[name]!] = tagsOf(values);
      continue;
    }
    if (extraFilters.includes(name)) {
      extra.set(name, values);
      continue;
    }
    const attr = Object.hasOwn(map, name) ? map[name] : undefined;
    const convert = attr?.filter;
    if (!convert) throw badRequest(`[${pyStr(name)}] is invalid attribute for filtering`);
    filters.set(
      name,
      values.map((v) => convert(v)),
    );
  }
  return {
    filters,
    extra,
    tags,
    sort: sortOf(query, map),
    ...pageOf(query),
    fields: listOf(query.fields).filter((f) => f !== ''),
  };
}

function sortOf(query: Query, map: AttributeMap): ListQuery['sort'] {
  const keys = listOf(query.sort_key);
  const dirs = listOf(query.sort_dir);
  if (dirs.length > 0 && keys.length !== dirs.length) {
    throw badRequest('The number of sort_keys and sort_dirs must be same');
  }
  return keys.map((key, i) => {
    if (!Object.hasOwn(map, key) || !map[key]!.sort) {
      throw badRequest(`${pyStr(key)} is an invalid attribute for sort_key`);
    }
    const dir = dirs[i] ?? 'asc';
    if (dir !== 'asc' && dir !== 'desc') {
      throw badRequest(
        `${pyStr(dir)} is an invalid value for sort_dir, valid value is 'asc' and 'desc'`,
      );
    }
    return { key, dir };
  });
}

function pageOf(query: Query): Pick<ListQuery, 'limit' | 'marker' | 'pageReverse'> {
  const limitText = listOf(query.limit)[0];
  let limit: number | null = null;
  if (limitText !== undefined) {
    const n = queryInt(limitText);
    if (n === null || n < 0) {
      throw badRequest(`Limit must be an integer 0 or greater and not '${pyStr(limitText)}'`);
    }
    limit = n === 0 ? null : Math.min(n, MAX_LIMIT);
  }
  const reverse = listOf(query.page_reverse)[0];
  return {
    limit,
    marker: listOf(query.marker)[0] ?? null,
    pageReverse: reverse !== undefined && /^(true|1|yes|on|y|t)$/i.test(reverse),
  };
}

/**
 * `<collection>_links`: next when the page was full and more rows followed, previous when the
 * request had a marker (neutron/api/api_common.py).
 */
export function pageLinks(
  url: string,
  query: Query,
  q: ListQuery,
  page: { firstId?: string; lastId?: string; more: boolean },
): { rel: string; href: string }[] {
  if (q.limit === null) return [];
  const base = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (k === 'limit' || k === 'marker' || k === 'page_reverse') continue;
    for (const item of listOf(v)) base.append(k, item);
  }
  const href = (marker: string, reverse: boolean): string => {
    const p = new URLSearchParams(base);
    p.set('limit', String(q.limit));
    p.set('marker', marker);
    if (reverse) p.set('page_reverse', 'True');
    return `${url}?${p.toString()}`;
  };
  const links: { rel: string; href: string }[] = [];
  const forward = !q.pageReverse;
  if (forward ? page.more : q.marker !== null) {
    if (page.lastId) links.push({ rel: 'next', href: href(page.lastId, false) });
  }
  if (forward ? q.marker !== null : page.more) {
    if (page.firstId) links.push({ rel: 'previous', href: href(page.firstId, true) });
  }
  return links;
}
