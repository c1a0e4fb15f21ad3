import type { ImageRow } from '../../store/schema.js';
import { BadRequest } from '../../errors.js';
import { all, first, type Query } from '../../http/query.js';
import { isUuid } from '../../util.js';
import { STATUSES, VISIBILITIES } from './model.js';

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
type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 1000;

/** Comparisons Glance accepts on created_at and updated_at. */
const TIME_OPS = { gt: '>', gte: '>=', eq: '=', neq: '<>', lt: '<', lte: '<=' } as const;

/** Filter keys that name base columns, compared for equality (or `in:` lists). */
const COLUMN_FILTERS = [
  'name',
  'status',
  'owner',
  'container_format',
  'disk_format',
  'id',
  'checksum',
  'os_hash_value',
] as const;
const IN_FILTERS = new Set(['name', 'status', 'container_format', 'disk_format', 'id']);
/** Query keys that are not filters. */
const NON_FILTERS = new Set([
  'limit',
  'marker',
  'sort',
  'sort_key',
  'sort_dir',
  'visibility',
  'member_status',
  'tag',
  'os_hidden',
  'size_min',
  'size_max',
  'created_at',
  'updated_at',
  'protected',
  'min_disk',
  'min_ram',
  'size',
]);

/**
 * A piece of SQL over `images` with its `?` parameters in order. The list is written as SQL text
 * rather than built with Kysely: building and compiling the query cost as much as running it.
 * Only fixed column names are ever spliced into the text; every value is a parameter.
 */
export interface Sql {
  text: string;
  params: unknown[];
}

export interface ListQuery {
  limit: number;
  marker: string | undefined;
  sort: Array<[SortKey, SortDir]>;
  visibility: string | undefined;
  memberStatus: 'accepted' | 'pending' | 'rejected' | 'all';
  conditions: Sql[];
}

/** Splits `in:a,"b,c",d` into its values, honouring double quotes as Glance does. */
function inList(value: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*))\s*(?:,|$)/g;
  const body = value.slice(3);
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null && m.index < body.length) {
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '').trim());
  }
  return out;
}

function intParam(value: string, name: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new BadRequest(`${name} param must be an integer`);
  return Number(value);
}

function boolParam(value: string, name: string): boolean {
  const v = value.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new BadRequest(`Invalid value '${value}' for parameter '${name}': expected a boolean.`);
}

function parseSort(q: Query): Array<[SortKey, SortDir]> {
  const checkKey = (k: string): SortKey => {
    if (!SORT_KEYS.includes(k as SortKey)) {
      throw new BadRequest(
        `Invalid sort key: ${k}. It must be one of the following: ${SORT_KEYS.join(', ')}.`,
      );
    }
    return k as SortKey;
  };
  const checkDir = (d: string): SortDir => {
    if (d !== 'asc' && d !== 'desc') throw new BadRequest(`Invalid sort direction: ${d}`);
    return d;
  };
  const sort = first(q, 'sort');
  const keys = all(q, 'sort_key');
  const dirs = all(q, 'sort_dir');
  if (sort !== undefined && (keys.length > 0 || dirs.length > 0)) {
    throw new BadRequest('The "sort" parameter cannot be combined with "sort_key" or "sort_dir".');
  }
  let out: Array<[SortKey, SortDir]>;
  if (sort !== undefined) {
    out = sort.split(',').map((part) => {
      const [k, d] = part.trim().split(':');
      return [checkKey(k ?? ''), checkDir(d ?? 'desc')];
    });
  } else if (keys.length > 0) {
    if (dirs.length > 1 && dirs.length !== keys.length) {
      throw new BadRequest('Number of sort dirs does not match the number of sort keys');
    }
    out = keys.map((k, i) => [
      checkKey(k),
      checkDir(dirs.length === 1 ? dirs[0]! : (dirs[i] ?? 'desc')),
    ]);
  } else {
    out = [['created_at', checkDir(dirs[0] ?? 'desc')]];
  }
  // created_at and id end every ordering, so pages are stable and a marker names one position.
  const last = out[out.length - 1]![1];
  if (!out.some(([k]) => k === 'created_at')) out.push(['created_at', last]);
  if (!out.some(([k]) => k === 'id')) out.push(['id', last]);
  return out;
}

/** GET /v2/images query -> a validated ListQuery; every bad value is Glance's 400. */
export function parseListQuery(q: Query): ListQuery {
  const conditions: ListQuery['conditions'] = [];

  const limitRaw = first(q, 'limit');
  let limit = DEFAULT_LIMIT;
  if (limitRaw !== undefined) {
    limit = intParam(limitRaw, 'limit');
    if (limit < 0) throw new BadRequest('limit param must be positive');
    limit = Math.min(limit, MAX_LIMIT);
  }

  const visibility = first(q, 'visibility');
  if (
    visibility !== undefined &&
    visibility !== 'all' &&
    !VISIBILITIES.includes(visibility as never)
  ) {
    throw new BadRequest(`Invalid visibility value: ${visibility}`);
  }
  const memberStatus = first(q, 'member_status') ?? 'accepted';
  if (!['accepted', 'pending', 'rejected', 'all'].includes(memberStatus)) {
    throw new BadRequest(`Invalid status: ${memberStatus}`);
  }

  for (const key of COLUMN_FILTERS) {
    const value = first(q, key);
    if (value === undefined) continue;
    if (value.startsWith('in:') && IN_FILTERS.has(key)) {
      const values = inList(value);
      conditions.push({
        text: `images.${key} in (${values.map(() => '?').join(', ')})`,
        params: values,
      });
      continue;
    }
    if (key === 'status' && !STATUSES.includes(value as never))
      throw new BadRequest(`Invalid status value: ${value}`);
    if (key === 'id' && !isUuid(value)) {
      conditions.push({ text: '1 = 0', params: [] });
      continue;
    }
    conditions.push({ text: `images.${key} = ?`, params: [value] });
  }

  for (const key of ['protected'] as const) {
    const value = first(q, key);
    if (value !== undefined) {
      conditions.push({ text: `images.${key} = ?`, params: [boolParam(value, key) ? 1 : 0] });
    }
  }
  const hidden = first(q, 'os_hidden');
  const wantHidden = hidden === undefined ? 0 : boolParam(hidden, 'os_hidden') ? 1 : 0;
  conditions.push({ text: 'images.os_hidden = ?', params: [wantHidden] });

  for (const key of ['min_disk', 'min_ram', 'size'] as const) {
    const value = first(q, key);
    if (value !== undefined) {
      conditions.push({ text: `images.${key} = ?`, params: [intParam(value, key)] });
    }
  }
  const sizeMin = first(q, 'size_min');
  if (sizeMin !== undefined) {
    conditions.push({ text: 'images.size >= ?', params: [intParam(sizeMin, 'size_min')] });
  }
  const sizeMax = first(q, 'size_max');
  if (sizeMax !== undefined) {
    conditions.push({ text: 'images.size <= ?', params: [intParam(sizeMax, 'size_max')] });
  }

  for (const key of ['created_at', 'updated_at'] as const) {
    for (const value of all(q, key)) {
      const [op, ...rest] = value.split(':');
      const sqlOp = TIME_OPS[op as keyof typeof TIME_OPS];
      const when = new Date(rest.join(':'));
      if (!sqlOp || rest.length === 0 || Number.isNaN(when.getTime())) {
        throw new BadRequest(
          `Invalid ${key} filter: ${value}. Use <gt|gte|eq|neq|lt|lte>:<ISO 8601 time>.`,
        );
      }
      conditions.push({ text: `images.${key} ${sqlOp} ?`, params: [when.toISOString()] });
    }
  }

  // Every tag given must be on the image.
  for (const tag of all(q, 'tag')) {
    conditions.push({
      text: 'exists (select 1 from image_tags where image_tags.image_id = images.id and image_tags.value = ?)',
      params: [tag],
    });
  }

  // Any other key compares an extra property for equality.
  for (const key of Object.keys(q)) {
    if (NON_FILTERS.has(key) || COLUMN_FILTERS.includes(key as never)) continue;
    const value = first(q, key)!;
    conditions.push({
      text:
        'exists (select 1 from image_properties where image_properties.image_id = images.id' +
        ' and image_properties.name = ? and image_properties.value = ?)',
      params: [key, value],
    });
  }

  return {
    limit,
    marker: first(q, 'marker'),
    sort: parseSort(q),
    visibility,
    memberStatus: memberStatus as ListQuery['memberStatus'],
    conditions,
  };
}

/**
 * The sort expression of a key. Nullable columns sort as if null were the smallest value on
 * every database, so keyset pagination (`WHERE (k1, k2, ...) > marker`) is exact.
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

function sortValue(row: ImageRow, key: SortKey): string | number {
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
  for (const c of q.conditions) {
    where.push(c.text);
    params.push(...c.params);
  }
  if (marker) {
    const dir = q.sort[0]![1];
    if (q.sort.every(([, d]) => d === dir)) {
      // One direction throughout: a row-value comparison, which SQLite runs as an index range.
      where.push(
        `(${q.sort.map(([k]) => sortExpr(k)).join(', ')}) ${dir === 'asc' ? '>' : '<'} (${q.sort.map(() => '?').join(', ')})`,
      );
      for (const [k] of q.sort) params.push(sortValue(marker, k));
    } else {
      const ors = q.sort.map(([key, d], i) => {
        const ands = q.sort.slice(0, i).map(([k]) => `${sortExpr(k)} = ?`);
        ands.push(`${sortExpr(key)} ${d === 'asc' ? '>' : '<'} ?`);
        for (const [k] of q.sort.slice(0, i + 1)) params.push(sortValue(marker, k));
        return `(${ands.join(' and ')})`;
      });
      where.push(`(${ors.join(' or ')})`);
    }
  }
  const order = q.sort.map(([k, d]) => `${sortExpr(k)} ${d}`).join(', ');
  params.push(q.limit);
  return {
    text: `where ${where.map((w) => `(${w})`).join(' and ')} order by ${order} limit ?`,
    params,
  };
}
