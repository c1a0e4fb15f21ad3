import { sql, type Expression, type SqlBool } from 'kysely';
import { afterMarker, type KeysetColumn } from '../../store/keyset.js';
import type { RequestContext } from '../../context.js';
import type { ListScope, Paging } from './types.js';

/** osapi_max_limit: a page never holds more, and a full page without `limit` gets a next link. */
export const MAX_LIMIT = 1000;

/** Text columns that may be null: they sort as '' so that keyset pages are exact. */
const NULLABLE_TEXT = new Set(['name', 'description']);

/** The SQL of a sort key; `key` comes from a list of allowed keys, never from the client. */
function columnSql(table: string, key: string): string {
  return NULLABLE_TEXT.has(key) ? `coalesce(${table}.${key}, '')` : `${table}.${key}`;
}

export function sortExpr(table: string, key: string): Expression<unknown> {
  return sql.raw(columnSql(table, key));
}

/** The keyset condition "after the marker row" in the page's order. */
export function afterMarkerRow(
  table: string,
  paging: Paging,
  marker: Record<string, unknown>,
): Expression<SqlBool> {
  const columns: KeysetColumn[] = paging.sort.map(([key, dir]) => ({
    expr: columnSql(table, key),
    dir,
    value: marker[key] === null && NULLABLE_TEXT.has(key) ? '' : marker[key],
  }));
  return afterMarker(columns);
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
export function listedProject(ctx: RequestContext, scope: ListScope): string | null {
  if (ctx.isAdmin && scope.projectId) return scope.projectId;
  if (ctx.isAdmin && scope.allTenants) return null;
  return ctx.projectId ?? '';
}
