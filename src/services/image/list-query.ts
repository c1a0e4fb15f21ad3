import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database, ImageRow } from '../../store/schema.js';
import { BadRequest } from '../../errors.js';
import { all, first, type Query } from '../../http/query.js';
import { isUuid } from '../../util.js';
import { STATUSES, VISIBILITIES } from './model.js';

export const SORT_KEYS = ['name', 'status', 'container_format', 'disk_format', 'size', 'id', 'created_at', 'updated_at'] as const;
type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 1000;

/** Comparisons Glance accepts on created_at and updated_at. */
const TIME_OPS = { gt: '>', gte: '>=', eq: '=', neq: '<>', lt: '<', lte: '<=' } as const;

/** Filter keys that name base columns, compared for equality (or `in:` lists). */
const COLUMN_FILTERS = ['name', 'status', 'owner', 'container_format', 'disk_format', 'id', 'checksum', 'os_hash_value'] as const;
const IN_FILTERS = new Set(['name', 'status', 'container_format', 'disk_format', 'id']);
/** Query keys that are not filters. */
const NON_FILTERS = new Set(['limit', 'marker', 'sort', 'sort_key', 'sort_dir', 'visibility', 'member_status', 'tag', 'os_hidden', 'size_min', 'size_max', 'created_at', 'updated_at', 'protected', 'min_disk', 'min_ram', 'size']);

export interface ListQuery {
  limit: number;
  marker: string | undefined;
  sort: Array<[SortKey, SortDir]>;
  visibility: string | undefined;
  memberStatus: 'accepted' | 'pending' | 'rejected' | 'all';
  conditions: Array<(eb: ExpressionBuilder<Database, 'images'>) => Expression<SqlBool>>;
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
      throw new BadRequest(`Invalid sort key: ${k}. It must be one of the following: ${SORT_KEYS.join(', ')}.`);
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
    out = keys.map((k, i) => [checkKey(k), checkDir(dirs.length === 1 ? dirs[0]! : dirs[i] ?? 'desc')]);
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
  if (visibility !== undefined && visibility !== 'all' && !VISIBILITIES.includes(visibility as never)) {
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
      conditions.push((eb) => eb(key, 'in', values));
      continue;
    }
    if (key === 'status' && !STATUSES.includes(value as never)) throw new BadRequest(`Invalid status value: ${value}`);
    if (key === 'id' && !isUuid(value)) {
      conditions.push(() => sql<SqlBool>`1 = 0`);
      continue;
    }
    conditions.push((eb) => eb(key, '=', value));
  }

  for (const key of ['protected'] as const) {
    const value = first(q, key);
    if (value !== undefined) {
      const b = boolParam(value, key) ? 1 : 0;
      conditions.push((eb) => eb(key, '=', b));
    }
  }
  const hidden = first(q, 'os_hidden');
  const wantHidden = hidden === undefined ? 0 : boolParam(hidden, 'os_hidden') ? 1 : 0;
  conditions.push((eb) => eb('os_hidden', '=', wantHidden));

  for (const key of ['min_disk', 'min_ram', 'size'] as const) {
    const value = first(q, key);
    if (value !== undefined) {
      const n = intParam(value, key);
      conditions.push((eb) => eb(key, '=', n));
    }
  }
  const sizeMin = first(q, 'size_min');
  if (sizeMin !== undefined) {
    const n = intParam(sizeMin, 'size_min');
    conditions.push((eb) => eb('size', '>=', n));
  }
  const sizeMax = first(q, 'size_max');
  if (sizeMax !== undefined) {
    const n = intParam(sizeMax, 'size_max');
    conditions.push((eb) => eb('size', '<=', n));
  }

  for (const key of ['created_at', 'updated_at'] as const) {
    for (const value of all(q, key)) {
      const [op, ...rest] = value.split(':');
      const sqlOp = TIME_OPS[op as keyof typeof TIME_OPS];
      const when = new Date(rest.join(':'));
      if (!sqlOp || rest.length === 0 || Number.isNaN(when.getTime())) {
        throw new BadRequest(`Invalid ${key} filter: ${value}. Use <gt|gte|eq|neq|lt|lte>:<ISO 8601 time>.`);
      }
      const iso = when.toISOString();
      conditions.push((eb) => eb(key, sqlOp, iso));
    }
  }

  // Every tag given must be on the image.
  for (const tag of all(q, 'tag')) {
    conditions.push((eb) =>
      eb.exists(
        eb.selectFrom('image_tags').select('image_tags.value').whereRef('image_tags.image_id', '=', 'images.id').where('image_tags.value', '=', tag),
      ),
    );
  }

  // Any other key compares an extra property for equality.
  for (const key of Object.keys(q)) {
    if (NON_FILTERS.has(key) || COLUMN_FILTERS.includes(key as never)) continue;
    const value = first(q, key)!;
    conditions.push((eb) =>
      eb.exists(
        eb
          .selectFrom('image_properties')
          .select('image_properties.name')
          .whereRef('image_properties.image_id', '=', 'images.id')
          .where('image_properties.name', '=', key)
          .where('image_properties.value', '=', value),
      ),
    );
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
export function sortExpr(key: SortKey): Expression<unknown> {
  switch (key) {
    case 'name':
    case 'container_format':
    case 'disk_format':
      return sql`coalesce(${sql.ref(`images.${key}`)}, '')`;
    case 'size':
      return sql`coalesce(${sql.ref('images.size')}, -1)`;
    default:
      return sql.ref(`images.${key}`);
  }
}

export function sortValue(row: ImageRow, key: SortKey): string | number {
  const v = row[key];
  if (v === null) return key === 'size' ? -1 : '';
  return v;
}
