import { queryInt } from '../../../http/input.js';
import { pyRepr, pyStr } from '../../../http/pyrepr.js';
import type { Query } from '../../../http/query.js';
import type { ListQuery, TagFilters } from '../listing.js';
import { badRequest, NeutronFault } from '../errors.js';
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
  const invalid: string[] = [];
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
    if (!convert) {
      invalid.push(name);
      continue;
    }
    filters.set(
      name,
      values.map((v) => convert(v)),
    );
  }
  if (invalid.length > 0) throw badRequest(`${pyRepr(invalid)} is invalid attribute for filtering`);
  if (filters.has('tenant_id') && filters.has('project_id')) {
    throw new NeutronFault(
      400,
      'TenantIdProjectIdFilterConflict',
      'Both tenant_id and project_id passed as filters.',
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
  if (keys.length !== dirs.length) {
    throw badRequest('The number of sort_keys and sort_dirs must be same');
  }
  const badKeys = keys.filter((key) => !Object.hasOwn(map, key) || !map[key]!.sort);
  if (badKeys.length > 0) throw badRequest(`${pyRepr(badKeys)} is invalid attribute for sort_keys`);
  const badDirs = dirs.filter((d) => d !== 'asc' && d !== 'desc');
  if (badDirs.length > 0) {
    throw badRequest(
      `${pyRepr(badDirs)} is invalid value for sort_dirs, valid value is 'asc' and 'desc'`,
    );
  }
  return keys.map((key, i) => ({ key, dir: (dirs[i] ?? 'asc') as 'asc' | 'desc' }));
}

function pageOf(query: Query): Pick<ListQuery, 'limit' | 'marker' | 'pageReverse'> {
  const limitText = listOf(query.limit)[0];
  let limit: number | null = null;
  if (limitText !== undefined) {
    const n = queryInt(limitText);
    if (n === null || n < 0) {
      throw new NeutronFault(
        400,
        'BadRequest',
        `Bad limit request: Limit must be an integer 0 or greater and not '${pyStr(limitText)}'.`,
      );
    }
    limit = n === 0 ? null : Math.min(n, MAX_LIMIT);
  }
  const reverse = listOf(query.page_reverse)[0];
  return {
    limit,
    marker: listOf(query.marker)[0] ?? null,
    // api_common.get_page_reverse: only "true", in any case.
    pageReverse: reverse?.toLowerCase() === 'true',
  };
}

/**
 * `<collection>_links` as Neutron builds them (neutron/api/api_common.py): a full page links to
 * the next one (even when nothing follows), and a forward page links back; each link is the
 * request's own query without its marker, plus the marker of the page's last (or first) row.
 */
export function pageLinks(
  url: string,
  query: Query,
  q: ListQuery,
  page: { firstId?: string; lastId?: string; count: number },
): { rel: string; href: string }[] {
  if (q.limit === null) return [];
  const short = page.count < q.limit;
  const href = (marker: string | undefined, reverse: boolean): string => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (k === 'marker' || k === 'page_reverse') continue;
      for (const item of listOf(v)) p.append(k, item);
    }
    if (marker !== undefined) p.append('marker', marker);
    if (reverse) p.append('page_reverse', 'True');
    return `${url}?${p.toString()}`;
  };
  const links: { rel: string; href: string }[] = [];
  if (!(short && !q.pageReverse)) links.push({ rel: 'next', href: href(page.lastId, false) });
  if (!(short && q.pageReverse)) links.push({ rel: 'previous', href: href(page.firstId, true) });
  return links;
}
