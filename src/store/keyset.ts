import { sql, type Expression, type SqlBool } from 'kysely';

export type SortDir = 'asc' | 'desc';

/**
 * One column of a list's order, with the marker row's value for it. `expr` is trusted SQL
 * (a column or a coalesce over one, chosen from a list of allowed keys, never client text);
 * nullable columns must be wrapped so that null sorts as the smallest value on every database.
 */
export interface KeysetColumn {
  expr: string;
  dir: SortDir;
  value: unknown;
}

/** SQL text and its parameters, for read paths that bypass the query builder. */
export interface SqlText {
  text: string;
  params: unknown[];
}

/**
 * Keyset pagination, for every list: the condition "strictly after the marker row" in the
 * given order. The order must end with a unique column (id), so that a marker names one
 * position and pages neither skip nor repeat rows.
 */
export function afterMarkerSql(columns: readonly KeysetColumn[]): SqlText {
  const dir = columns[0]!.dir;
  if (columns.every((c) => c.dir === dir)) {
    // One direction throughout: a row-value comparison, which SQLite runs as an index range.
    return {
      text: `(${columns.map((c) => c.expr).join(', ')}) ${dir === 'asc' ? '>' : '<'} (${columns.map(() => '?').join(', ')})`,
      params: columns.map((c) => c.value),
    };
  }
  const params: unknown[] = [];
  const ors = columns.map((column, i) => {
    const ands = columns.slice(0, i).map((c) => `${c.expr} = ?`);
    ands.push(`${column.expr} ${column.dir === 'asc' ? '>' : '<'} ?`);
    for (const c of columns.slice(0, i + 1)) params.push(c.value);
    return `(${ands.join(' and ')})`;
  });
  return { text: `(${ors.join(' or ')})`, params };
}

/** The same condition as a Kysely expression. */
export function afterMarker(columns: readonly KeysetColumn[]): Expression<SqlBool> {
  const { text, params } = afterMarkerSql(columns);
  const parts = text.split('?');
  return sql<SqlBool>`${sql.join(
    parts.map((part, i) => (i < params.length ? sql`${sql.raw(part)}${params[i]}` : sql.raw(part))),
    sql``,
  )}`;
}

/** `a asc, b desc` for the same columns. */
export function orderBySql(columns: readonly Pick<KeysetColumn, 'expr' | 'dir'>[]): string {
  return columns.map((c) => `${c.expr} ${c.dir}`).join(', ');
}
