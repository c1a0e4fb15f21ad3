import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../store/db.js';
import { notFound, type NotFoundResource } from './errors.js';
import { afterMarkerSql, orderBySql, type KeysetColumn, type SortDir } from '../../store/keyset.js';

export interface TagFilters {
  all?: string[];
  any?: string[];
  notAll?: string[];
  notAny?: string[];
}

/** A list request, converted: what every Neutron collection accepts. */
export interface ListQuery {
  /** Attribute -> accepted values (converted); a row matches any of them. */
  filters: Map<string, unknown[]>;
  /** Filters the resource reads itself (a port's `fixed_ips`), as given. */
  extra: Map<string, string[]>;
  tags: TagFilters;
  sort: { key: string; dir: SortDir }[];
  limit: number | null;
  marker: string | null;
  pageReverse: boolean;
  fields: string[];
}

export const NO_QUERY: ListQuery = {
  filters: new Map(),
  extra: new Map(),
  tags: {},
  sort: [],
  limit: null,
  marker: null,
  pageReverse: false,
  fields: [],
};

/** How a resource's attributes live in its table: attribute name -> trusted SQL column. */
export interface TableSpec {
  table: string;
  /** Whose NotFound a marker that names no row gets. */
  resource: NotFoundResource;
  /** Filterable and sortable attributes; booleans are stored 0/1 and compared so. */
  columns: Readonly<Record<string, { column: string; bool?: boolean }>>;
}

export interface Page<R> {
  rows: R[];
}

const q = (column: string) => `t.${column}`;

function tagConditions(tags: TagFilters): RawBuilder<unknown>[] {
  const has = (tag: string) =>
    sql`exists (select 1 from network_tags g where g.resource_id = t.id and g.tag = ${tag})`;
  const out: RawBuilder<unknown>[] = [];
  if (tags.all?.length) out.push(sql`(${sql.join(tags.all.map(has), sql` and `)})`);
  if (tags.any?.length) out.push(sql`(${sql.join(tags.any.map(has), sql` or `)})`);
  if (tags.notAll?.length) out.push(sql`not (${sql.join(tags.notAll.map(has), sql` and `)})`);
  if (tags.notAny?.length) out.push(sql`not (${sql.join(tags.notAny.map(has), sql` or `)})`);
  return out;
}

/**
 * One page of a resource's rows, filtered, tag-filtered, ordered by the requested keys then id,
 * and keyset-paginated after the marker row. `scope` is the caller's visibility condition
 * (over alias `t`); `where` any further conditions the resource adds.
 */
export async function listRows<R>(
  db: Db,
  spec: TableSpec,
  query: ListQuery,
  scope: RawBuilder<unknown> | null,
  where: RawBuilder<unknown>[] = [],
): Promise<Page<R>> {
  const conds: RawBuilder<unknown>[] = [...where, ...tagConditions(query.tags)];
  if (scope) conds.push(scope);
  for (const [name, values] of query.filters) {
    const col = spec.columns[name];
    if (!col || values.length === 0) continue;
    const vals = values.map((v) => (col.bool ? (v ? 1 : 0) : v));
    conds.push(sql`${sql.raw(q(col.column))} in (${sql.join(vals)})`);
  }
  const flip = query.pageReverse;
  const order = [...query.sort, { key: 'id', dir: 'asc' as SortDir }]
    .filter((s, i, all) => all.findIndex((o) => o.key === s.key) === i)
    .map((s) => {
      const column = s.key === 'id' ? 'id' : spec.columns[s.key]!.column;
      const dir: SortDir = flip ? (s.dir === 'asc' ? 'desc' : 'asc') : s.dir;
      // The id is never null: ordering by the bare column lets the (project_id, id) index
      // serve the page instead of a sort of every row the caller may see.
      const expr = column === 'id' ? q(column) : `coalesce(${q(column)}, '')`;
      return { column, expr, dir };
    });
  if (query.marker !== null) {
    const marker = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(spec.table)} where id = ${query.marker}`.execute(db);
    const row = marker.rows[0];
    if (!row) throw notFound(spec.resource, query.marker);
    {
      const keyset: KeysetColumn[] = order.map((o) => ({
        expr: o.expr,
        dir: o.dir,
        value: row[o.column] ?? '',
      }));
      const after = afterMarkerSql(keyset);
      const parts = after.text.split('?');
      conds.push(
        sql.join(
          parts.map((part, i) =>
            i < after.params.length ? sql`${sql.raw(part)}${after.params[i]}` : sql.raw(part),
          ),
          sql``,
        ),
      );
    }
  }
  const whereSql = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const limitSql = query.limit !== null ? sql`limit ${query.limit}` : sql``;
  const result =
    await sql<R>`select t.* from ${sql.table(spec.table)} t ${whereSql} order by ${sql.raw(orderBySql(order))} ${limitSql}`.execute(
      db,
    );
  const rows = flip ? result.rows.reverse() : result.rows;
  return { rows };
}

/** Tags of many resources at once: id -> sorted tags. */
export async function tagsOf(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('network_tags')
      .select(['resource_id', 'tag'])
      .where('resource_id', 'in', ids.slice(i, i + 500))
      .orderBy('tag')
      .execute();
    for (const r of rows) out.get(r.resource_id)?.push(r.tag);
  }
  return out;
}
