import { BadRequest } from '../../../errors.js';
import { all, first, type Query } from '../../../http/query.js';
import { queryInt } from '../../../http/input.js';
import { isUuid } from '../../../util.js';
import {
  DEFAULT_LIMIT,
  EQUAL_FILTERS,
  INT_FILTERS,
  MATCH_FILTERS,
  MAX_LIMIT,
  SORT_KEYS,
  TIME_OPS,
  type ImageFilters,
  type ListQuery,
  type Match,
  type SortDir,
  type SortKey,
  type TimeOp,
} from '../list-query.js';
import { MEMBER_STATUSES, STATUSES, VISIBILITIES, type MemberStatus } from '../model.js';

/** Query keys that are not extra-property filters. */
const NOT_PROPERTIES: ReadonlySet<string> = new Set([
  'limit',
  'marker',
  'sort',
  'sort_key',
  'sort_dir',
  'visibility',
  'member_status',
  'tag',
  'os_hidden',
  'protected',
  'size_min',
  'size_max',
  'created_at',
  'updated_at',
  ...MATCH_FILTERS,
  ...EQUAL_FILTERS,
  ...INT_FILTERS,
]);
const SORT_KEY_SET: ReadonlySet<string> = new Set(SORT_KEYS);
const STATUS_SET: ReadonlySet<string> = new Set(STATUSES);
const VISIBILITY_SET: ReadonlySet<string> = new Set([...VISIBILITIES, 'all']);
const MEMBER_STATUS_SET: ReadonlySet<string> = new Set([...MEMBER_STATUSES, 'all']);

/** Splits `in:a,"b,c",d` into its values, honouring double quotes as Glance does. */
export function inList(value: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*))\s*(?:,|$)/g;
  const body = value.slice(3);
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null && m.index < body.length) {
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '').trim());
  }
  return out;
}

/** glance/api/v2/images.py RequestDeserializer._validate_limit, capped at api_limit_max. */
function limitOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = queryInt(raw);
  if (limit === null) throw new BadRequest('limit param must be an integer');
  if (limit < 0) throw new BadRequest('limit param must be positive');
  return Math.min(limit, MAX_LIMIT);
}

function sortKey(k: string): SortKey {
  const key = k.trim();
  if (!SORT_KEY_SET.has(key)) {
    throw new BadRequest(
      `Invalid sort key: ${key}. It must be one of the following: ${SORT_KEYS.join(', ')}.`,
    );
  }
  return key as SortKey;
}

function sortDir(d: string): SortDir {
  const dir = d.trim();
  if (dir !== 'asc' && dir !== 'desc') throw new BadRequest(`Invalid sort direction: ${dir}`);
  return dir;
}

/** RequestDeserializer._get_sorting_params: `sort=k:d,...` or `sort_key`/`sort_dir` pairs. */
function sortOf(q: Query): Array<[SortKey, SortDir]> {
  const sort = first(q, 'sort');
  const keys = all(q, 'sort_key');
  const dirs = all(q, 'sort_dir');
  let out: Array<[SortKey, SortDir]>;
  if (sort !== undefined) {
    if (keys.length > 0 || dirs.length > 0)
      throw new BadRequest('Old and new sorting syntax cannot be combined');
    out = sort
      .trim()
      .split(',')
      .map((part) => {
        const at = part.indexOf(':');
        const key = at < 0 ? part : part.slice(0, at);
        const dir = at < 0 ? '' : part.slice(at + 1);
        return [sortKey(key), sortDir(dir === '' ? 'desc' : dir)];
      });
  } else {
    const checkedKeys = keys.map(sortKey);
    const checkedDirs = dirs.map(sortDir);
    if (checkedDirs.length > 1 && checkedDirs.length !== checkedKeys.length)
      throw new BadRequest('Number of sort dirs does not match the number of sort keys');
    if (checkedKeys.length === 0) checkedKeys.push('created_at');
    out = checkedKeys.map((k, i) => [
      k,
      checkedDirs.length === 1 ? checkedDirs[0]! : (checkedDirs[i] ?? 'desc'),
    ]);
  }
  // created_at and id end every ordering, so pages are stable and a marker names one position.
  const last = out[out.length - 1]![1];
  if (!out.some(([k]) => k === 'created_at')) out.push(['created_at', last]);
  if (!out.some(([k]) => k === 'id')) out.push(['id', last]);
  return out;
}

/** ImagesController.index: only the words `true` and `false`. */
function flag(q: Query, name: 'os_hidden' | 'protected'): boolean | undefined {
  const raw = first(q, name);
  if (raw === undefined) return undefined;
  // Glance lower-cases os_hidden, not protected.
  const value = name === 'os_hidden' ? raw.toLowerCase() : raw;
  if (value !== 'true' && value !== 'false') {
    throw new BadRequest(
      `Invalid value '${value}' for '${name}' filter. Valid values are 'true' or 'false'.`,
    );
  }
  return value === 'true';
}

/** `size_min`/`size_max` (glance/db/sqlalchemy/api.py _make_conditions_from_filters). */
function range(q: Query, name: 'size_min' | 'size_max'): number | undefined {
  const raw = first(q, name);
  if (raw === undefined) return undefined;
  const n = queryInt(raw);
  if (n === null) throw new BadRequest('Unable to filter on a range with a non-numeric value.');
  return n;
}

function filtersOf(q: Query): ImageFilters {
  const f: ImageFilters = {
    match: {},
    equal: {},
    ints: {},
    osHidden: flag(q, 'os_hidden') ?? false,
    protected: flag(q, 'protected'),
    sizeMin: range(q, 'size_min'),
    sizeMax: range(q, 'size_max'),
    times: [],
    tags: all(q, 'tag').map((t) => t.trim()),
    properties: new Map(),
  };
  for (const column of MATCH_FILTERS) {
    const value = first(q, column);
    if (value === undefined) continue;
    let m: Match;
    if (value.startsWith('in:')) m = { in: inList(value) };
    else if (column === 'status' && !STATUS_SET.has(value))
      throw new BadRequest(`Invalid status value: ${value}`);
    else if (column === 'id' && !isUuid(value)) m = { in: [] };
    else m = { eq: value };
    f.match[column] = m;
  }
  for (const column of EQUAL_FILTERS) {
    const value = first(q, column);
    if (value !== undefined) f.equal[column] = value;
  }
  for (const column of INT_FILTERS) {
    const raw = first(q, column);
    if (raw === undefined) continue;
    const n = queryInt(raw);
    if (n === null) throw new BadRequest(`${column} param must be an integer`);
    f.ints[column] = n;
  }
  for (const column of ['created_at', 'updated_at'] as const) {
    for (const value of all(q, column)) {
      const at = value.indexOf(':');
      const op = value.slice(0, at);
      const when = new Date(value.slice(at + 1));
      if (at < 0 || !Object.hasOwn(TIME_OPS, op) || Number.isNaN(when.getTime())) {
        throw new BadRequest(
          `Invalid ${column} filter: ${value}. Use <gt|gte|eq|neq|lt|lte>:<ISO 8601 time>.`,
        );
      }
      f.times.push({ column, op: op as TimeOp, at: when.toISOString() });
    }
  }
  // Any other key compares an extra property for equality: its name is client text.
  for (const key of Object.keys(q)) {
    if (!NOT_PROPERTIES.has(key)) f.properties.set(key, first(q, key)!);
  }
  return f;
}

/**
 * GET /v2/images query -> a checked ListQuery, with Glance's texts
 * (glance/api/v2/images.py RequestDeserializer.index and ImagesController.index).
 */
export function parseListQuery(q: Query): ListQuery {
  const limit = limitOf(first(q, 'limit'));
  const rawVisibility = first(q, 'visibility');
  // Glance ignores an empty visibility.
  const visibility = rawVisibility === '' ? undefined : rawVisibility;
  if (visibility !== undefined && !VISIBILITY_SET.has(visibility))
    throw new BadRequest(`Invalid visibility value: ${visibility}`);
  const memberStatus = first(q, 'member_status') ?? 'accepted';
  if (!MEMBER_STATUS_SET.has(memberStatus)) throw new BadRequest(`Invalid status: ${memberStatus}`);
  return {
    limit,
    marker: first(q, 'marker'),
    sort: sortOf(q),
    visibility: visibility as ListQuery['visibility'],
    memberStatus: memberStatus as MemberStatus | 'all',
    filters: filtersOf(q),
  };
}
