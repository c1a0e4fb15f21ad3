import type { ImageRow } from '../../store/schema.js';
import { afterMarkerSql, orderBySql, type KeysetColumn, type SortDir } from '../../store/keyset.js';
import type { MemberStatus, Visibility } from './model.js';

export type { SortDir } from '../../store/keyset.js';

export const SORT_KEYS = [
  'name',
  'status',
  'container_format',
  'disk_format',
  'size',
  'id',
  'created_at',
  'updated_at',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 1000;

/** Comparisons Glance accepts on created_at and updated_at. */
export const TIME_OPS = { gt: '>', gte: '>=', eq: '=', neq: '<>', lt: '<', lte: '<=' } as const;
export type TimeOp = keyof typeof TIME_OPS;

/** Equality, or Glance's `in:a,b` list. */
export type Match = { eq: string } | { in: string[] };

/** The base columns that take `Match`. */
export const MATCH_FILTERS = ['name', 'status', 'container_format', 'disk_format', 'id'] as const;
/** The base columns compared for plain equality. */
export const EQUAL_FILTERS = ['owner', 'checksum', 'os_hash_value'] as const;
/** The integer columns compared for equality. */
export const INT_FILTERS = ['min_disk', 'min_ram', 'size'] as const;

/** What a list asks for, every value already checked. */
export interface ImageFilters {
  match: Partial<Record<(typeof MATCH_FILTERS)[number], Match>>;
  equal: Partial<Record<(typeof EQUAL_FILTERS)[number], string>>;
  ints: Partial<Record<(typeof INT_FILTERS)[number], number>>;
  sizeMin?: number;
  sizeMax?: number;
  protected?: boolean;
  /** Hidden images are listed only when asked for, and then only they. */
  osHidden: boolean;
  times: Array<{ column: 'created_at' | 'updated_at'; op: TimeOp; at: string }>;
  /** Every tag must be on the image. */
  tags: string[];
  /** Extra properties, each compared for equality; names are client text. */
  properties: Map<string, string>;
}

export interface ListQuery {
  limit: number;
  marker: string | undefined;
  /** Ends with created_at and id, so a marker names one position. */
  sort: Array<[SortKey, SortDir]>;
  visibility: Visibility | 'all' | undefined;
  memberStatus: MemberStatus | 'all';
  filters: ImageFilters;
}

/**
 * A piece of SQL over `images` with its `?` parameters in order. The list is written as SQL text
 * rather than built with Kysely: building and compiling the query cost as much as running it.
 * Only fixed column names are ever spliced into the text; every value is a parameter.
 */
export interface Sql {
  text: string;
  params: unknown[];
}

const HAS_PROPERTY =
  'exists (select 1 from image_properties where image_properties.image_id = images.id' +
  ' and image_properties.name = ? and image_properties.value = ?)';
/**
 * Several properties in one condition with one parameter, a JSON object of name -> value: the
 * number of filters, which is the client's choice, never grows the statement's parameters or
 * its expression depth. (image_id, name) is the key, so a count equal to the number of filters
 * means each matched.
 */
const HAS_PROPERTIES =
  '(select count(*) from json_each(?) f join image_properties p on p.image_id = images.id' +
  ' and p.name = f.key and p.value = f.value) = ?';
const HAS_TAG =
  'exists (select 1 from image_tags where image_tags.image_id = images.id and image_tags.value = ?)';
/** Several tags: (image_id, value) is the key, so the count of matches is the count of tags. */
const HAS_TAGS =
  '(select count(*) from image_tags t where t.image_id = images.id' +
  ' and t.value in (select value from json_each(?))) = ?';

function matchSql(column: string, m: Match): Sql {
  if ('eq' in m) return { text: `images.${column} = ?`, params: [m.eq] };
  // One parameter whatever the length of the list.
  return {
    text: `images.${column} in (select value from json_each(?))`,
    params: [JSON.stringify(m.in)],
  };
}

/** The conditions of the filters, each a fixed text with parameters. */
export function filterConditions(f: ImageFilters): Sql[] {
  const out: Sql[] = [];
  for (const column of MATCH_FILTERS) {
    const m = f.match[column];
    if (m !== undefined) out.push(matchSql(column, m));
  }
  for (const column of EQUAL_FILTERS) {
    const v = f.equal[column];
    if (v !== undefined) out.push({ text: `images.${column} = ?`, params: [v] });
  }
  for (const column of INT_FILTERS) {
    const v = f.ints[column];
    if (v !== undefined) out.push({ text: `images.${column} = ?`, params: [v] });
  }
  if (f.protected !== undefined)
    out.push({ text: 'images.protected = ?', params: [f.protected ? 1 : 0] });
  out.push({ text: 'images.os_hidden = ?', params: [f.osHidden ? 1 : 0] });
  if (f.sizeMin !== undefined) out.push({ text: 'images.size >= ?', params: [f.sizeMin] });
  if (f.sizeMax !== undefined) out.push({ text: 'images.size <= ?', params: [f.sizeMax] });
  for (const t of f.times) {
    out.push({ text: `images.${t.column} ${TIME_OPS[t.op]} ?`, params: [t.at] });
  }
  const tags = [...new Set(f.tags)];
  if (tags.length === 1) out.push({ text: HAS_TAG, params: tags });
  else if (tags.length > 1)
    out.push({ text: HAS_TAGS, params: [JSON.stringify(tags), tags.length] });
  if (f.properties.size === 1) {
    const [name, value] = f.properties.entries().next().value!;
    out.push({ text: HAS_PROPERTY, params: [name, value] });
  } else if (f.properties.size > 1) {
    // fromEntries defines own keys, so `__proto__` is a key like any other.
    const json = JSON.stringify(Object.fromEntries(f.properties));
    out.push({ text: HAS_PROPERTIES, params: [json, f.properties.size] });
  }
  return out;
}

/**
 * `a and b and ...` grouped as a balanced tree: SQLite limits an expression's depth (1000), and
 * a flat chain of ANDs is as deep as it is long. Repeated time filters are the client's choice.
 */
function allOf(parts: string[]): string {
  if (parts.length <= 8) return parts.map((p) => `(${p})`).join(' and ');
  const mid = parts.length >> 1;
  return `(${allOf(parts.slice(0, mid))}) and (${allOf(parts.slice(mid))})`;
}

/**
 * The sort expression of a key. Nullable columns sort as if null were the smallest value on
 * every database, so keyset pagination is exact.
 */
function sortExpr(key: SortKey): string {
  switch (key) {
    case 'name':
    case 'container_format':
    case 'disk_format':
      return `coalesce(images.${key}, '')`;
    case 'size':
      return 'coalesce(images.size, -1)';
    default:
      return `images.${key}`;
  }
}

function sortValue(row: ImageRow | undefined, key: SortKey): string | number | undefined {
  if (!row) return undefined;
  const v = row[key];
  if (v === null) return key === 'size' ? -1 : '';
  return v;
}

/**
 * Everything of the page query after `FROM images`: the caller's visibility, every filter, the
 * rows strictly after the marker in the requested order (keyset pagination), order and limit.
 */
export function pageClauses(q: ListQuery, visible: Sql, marker: ImageRow | undefined): Sql {
  const where = [visible.text];
  const params = [...visible.params];
  for (const c of filterConditions(q.filters)) {
    where.push(c.text);
    params.push(...c.params);
  }
  const columns: KeysetColumn[] = q.sort.map(([key, dir]) => ({
    expr: sortExpr(key),
    dir,
    value: sortValue(marker, key),
  }));
  if (marker) {
    const after = afterMarkerSql(columns);
    where.push(after.text);
    params.push(...after.params);
  }
  params.push(q.limit);
  return { text: `where ${allOf(where)} order by ${orderBySql(columns)} limit ?`, params };
}
