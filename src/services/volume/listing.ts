import { sql, type Expression, type SqlBool } from 'kysely';
import { BadRequest, NotFound } from '../../errors.js';
import { first, type Query } from '../../http/query.js';
import type { RequestContext } from '../../context.js';

/** osapi_max_limit: a page never holds more, and a full page without `limit` gets a next link. */
export const MAX_LIMIT = 1000;

export type SortDir = 'asc' | 'desc';

export interface Paging {
  limit: number;
  /** Whether the caller asked for a limit (decides when a next link is due). */
  limited: boolean;
  offset: number;
  marker: string | undefined;
  sort: Array<[string, SortDir]>;
}

function nonNegative(value: string, name: string): number {
  if (!/^\s*-?\d+\s*$/.test(value))
    throw new BadRequest(`Invalid input received: ${name} param must be an integer`);
  const n = Number(value);
  if (n < 0) throw new BadRequest(`Invalid input received: ${name} param must be positive`);
  return n;
}

/** limit, offset, marker and sort (`sort=k:d,...` or `sort_key`/`sort_dir`) as Cinder reads them. */
export function parsePaging(q: Query, sortKeys: readonly string[]): Paging {
  const limitRaw = first(q, 'limit');
  const offsetRaw = first(q, 'offset');
  const limit =
    limitRaw === undefined ? MAX_LIMIT : Math.min(nonNegative(limitRaw, 'limit'), MAX_LIMIT);
  const offset = offsetRaw === undefined ? 0 : nonNegative(offsetRaw, 'offset');

  const pairs: Array<[string, string]> = [];
  const sort = first(q, 'sort');
  if (sort !== undefined) {
    if (first(q, 'sort_key') !== undefined || first(q, 'sort_dir') !== undefined) {
      throw new BadRequest(
        "Invalid input received: The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.",
      );
    }
    for (const part of sort.split(',')) {
      const [k = '', d = 'desc'] = part.trim().split(':');
      pairs.push([k, d]);
    }
  } else if (first(q, 'sort_key') !== undefined || first(q, 'sort_dir') !== undefined) {
    pairs.push([first(q, 'sort_key') ?? 'created_at', first(q, 'sort_dir') ?? 'desc']);
  } else {
    pairs.push(['created_at', 'desc']);
  }
  const out: Array<[string, SortDir]> = pairs.map(([rawKey, rawDir]) => {
    const key = rawKey === 'display_name' ? 'name' : rawKey;
    if (!sortKeys.includes(key))
      throw new BadRequest(`Invalid input received: Invalid sort key ${rawKey}`);
    const dir = rawDir.toLowerCase();
    if (dir !== 'asc' && dir !== 'desc')
      throw new BadRequest(
        `Invalid input received: Unknown sort direction, must be 'desc' or 'asc'`,
      );
    return [key, dir];
  });
  const last = out[out.length - 1]![1];
  if (!out.some(([k]) => k === 'created_at')) out.push(['created_at', last]);
  if (!out.some(([k]) => k === 'id')) out.push(['id', last]);
  return { limit, limited: limitRaw !== undefined, offset, marker: first(q, 'marker'), sort: out };
}

/** Nullable keys sort as the smallest value on every database, so keyset pages are exact. */
export function sortExpr(table: string, key: string): Expression<unknown> {
  return key === 'name' || key === 'description'
    ? sql`coalesce(${sql.ref(`${table}.${key}`)}, '')`
    : sql.ref(`${table}.${key}`);
}

function sortValue(row: Record<string, unknown>, key: string): unknown {
  const v = row[key];
  return v === null && (key === 'name' || key === 'description') ? '' : v;
}

/** The keyset condition "after the marker row" in the given order. */
export function afterMarker(
  table: string,
  sort: Array<[string, SortDir]>,
  marker: Record<string, unknown>,
): Expression<SqlBool> {
  const dir = sort[0]![1];
  if (sort.every(([, d]) => d === dir)) {
    // One direction throughout: a row-value comparison, which SQLite runs as an index range.
    const keys = sql.join(sort.map(([k]) => sortExpr(table, k)));
    const values = sql.join(sort.map(([k]) => sortValue(marker, k)));
    return sql<SqlBool>`(${keys}) ${sql.raw(dir === 'asc' ? '>' : '<')} (${values})`;
  }
  const cmp = (key: string, op: string) =>
    sql<SqlBool>`${sortExpr(table, key)} ${sql.raw(op)} ${sortValue(marker, key)}`;
  const ors = sort.map(([key, dir], i) => {
    const ands = [
      ...sort.slice(0, i).map(([k]) => cmp(k, '=')),
      cmp(key, dir === 'asc' ? '>' : '<'),
    ];
    return sql<SqlBool>`(${sql.join(ands, sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(ors, sql` or `)})`;
}

export function markerNotFound(marker: string): NotFound {
  return new NotFound(`Marker ${marker} could not be found.`);
}

/** `<collection>_links` with a next link when the page came back full. */
export function collectionLinks(
  url: string,
  rawQuery: string,
  paging: Paging,
  count: number,
  lastId: string | undefined,
): Array<{ rel: string; href: string }> | undefined {
  const full = paging.limited ? count === paging.limit && count > 0 : count === MAX_LIMIT;
  if (!full || !lastId) return undefined;
  const params = new URLSearchParams(rawQuery);
  params.delete('marker');
  params.delete('offset');
  params.set('marker', lastId);
  return [{ rel: 'next', href: `${url}?${params.toString()}` }];
}

/**
 * Whose resources a list shows: the caller's project, or for an admin `project_id=X` or every
 * project with `all_tenants`. Null means no project filter.
 */
export function listedProject(ctx: RequestContext, q: Query): string | null {
  const project = ctx.isAdmin ? first(q, 'project_id') : undefined;
  if (project) return project;
  if (ctx.isAdmin && ['1', 'true', 'True'].includes(first(q, 'all_tenants') ?? '')) return null;
  return ctx.projectId ?? '';
}
