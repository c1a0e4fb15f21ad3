/**
 * Read-only answers over Heat's tables: `stack list` filters, sorting and markers, and event
 * lists with their filters and markers, as heat/db/sqlalchemy/api.py pages them. Pure over the
 * rows StackStore returns; StackStore stays the only writer.
 */
import type { EventRow as StackEventRow } from './views/event.view.js';
import { HeatFault } from './errors.js';
import type { Stack } from './engine/stack-store.js';

export type SortDir = 'asc' | 'desc';

/** oslo.db paginate_query: the directions it takes (nulls placement is ignored here). */
export function sortDirection(value: string | null): SortDir | null {
  if (value === null) return null;
  if (value === 'asc' || value === 'asc-nullsfirst' || value === 'asc-nullslast') return 'asc';
  if (value === 'desc' || value === 'desc-nullsfirst' || value === 'desc-nullslast') return 'desc';
  throw new HeatFault(
    'ValueError',
    'Unknown sort direction, must be one of: asc-nullsfirst, asc-nullslast, desc-nullsfirst, desc-nullslast',
  );
}

export interface StackListQuery {
  /** Filter column -> accepted values (any of them). */
  filters: Map<string, string[]>;
  limit: number | null;
  marker: string | null;
  sortKeys: string[];
  sortDir: string | null;
  tags: string[] | null;
  tagsAny: string[] | null;
  notTags: string[] | null;
  notTagsAny: string[] | null;
  showHidden: boolean;
}

/** Heat's hidden_stack_tags default: stacks so tagged stay out of lists unless asked for. */
export const HIDDEN_STACK_TAGS = ['data-processing-cluster'];

const ACTIONS = new Set([
  'INIT',
  'CREATE',
  'DELETE',
  'UPDATE',
  'ROLLBACK',
  'SUSPEND',
  'RESUME',
  'ADOPT',
  'SNAPSHOT',
  'CHECK',
  'RESTORE',
]);

/** A filter name (the old ones and STACK_KEYS, as translate_filters maps them) -> the value. */
const STACK_FIELDS = new Map<string, (s: Stack) => unknown>([
  ['id', (s) => s.id],
  ['name', (s) => s.name],
  ['stack_name', (s) => s.name],
  ['action', (s) => s.action],
  ['stack_action', (s) => s.action],
  ['status_reason', (s) => s.statusReason],
  ['stack_status_reason', (s) => s.statusReason],
  ['tenant', (s) => s.projectId],
  ['username', (s) => s.userId],
  ['stack_owner', (s) => s.userId],
  ['owner_id', (s) => s.ownerId],
  ['parent', (s) => s.ownerId],
  ['disable_rollback', (s) => s.disableRollback],
  ['timeout_mins', (s) => s.timeoutMins],
  ['stack_user_project_id', (s) => s.projectId],
]);

/** The filter keys `GET /stacks` reads; any other query key is ignored. */
export const STACK_FILTER_KEYS = new Set([...STACK_FIELDS.keys(), 'status', 'stack_status']);

const SORT_FIELDS = new Map<string, (s: Stack) => string | null>([
  ['stack_name', (s) => s.name],
  ['stack_status', (s) => s.status],
  ['creation_time', (s) => s.createdAt],
  ['updated_time', (s) => s.updatedAt],
]);

function matches(value: unknown, wanted: string[]): boolean {
  if (typeof value === 'boolean') {
    return wanted.some((w) => ['1', 'true'].includes(w.toLowerCase()) === value);
  }
  const text = value === null || value === undefined ? null : String(value);
  return wanted.some((w) => w === text);
}

/** status=CREATE_FAILED means action CREATE and status FAILED (_parse_object_status). */
function statusMatches(stack: Stack, wanted: string[]): boolean {
  return wanted.some((w) => {
    const cut = w.indexOf('_');
    const head = cut > 0 ? w.slice(0, cut) : '';
    if (ACTIONS.has(head)) return stack.action === head && stack.status === w.slice(cut + 1);
    return stack.status === w;
  });
}

function tagged(stack: Stack, q: StackListQuery): boolean {
  const tags = new Set(stack.tags ?? []);
  if (q.tags && !q.tags.every((t) => tags.has(t))) return false;
  if (q.tagsAny && !q.tagsAny.some((t) => tags.has(t))) return false;
  if (q.notTags && q.notTags.length > 0 && q.notTags.every((t) => tags.has(t))) return false;
  if (q.notTagsAny && q.notTagsAny.some((t) => tags.has(t))) return false;
  if (!q.showHidden && HIDDEN_STACK_TAGS.some((t) => tags.has(t))) return false;
  return true;
}

/** The stacks a list's filters and tags keep (before sorting and paging): also its count. */
export function filterStacks(stacks: Stack[], q: StackListQuery): Stack[] {
  return stacks.filter((s) => {
    for (const [key, wanted] of q.filters) {
      if (key === 'status' || key === 'stack_status') {
        if (!statusMatches(s, wanted)) return false;
      } else if (!matches(STACK_FIELDS.get(key)!(s), wanted)) return false;
    }
    return tagged(s, q);
  });
}

type Key<T> = (x: T) => string | number | null;

function compare<T>(a: T, b: T, keys: Key<T>[], dir: SortDir): number {
  for (const key of keys) {
    const x = key(a);
    const y = key(b);
    if (x === y) continue;
    // SQLite puts NULL first in ascending order.
    const c = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
    return dir === 'asc' ? c : -c;
  }
  return 0;
}

/** Sorts and pages as _paginate_query: default created_at desc, then id; unknown keys dropped. */
export function pageStacks(stacks: Stack[], q: StackListQuery, marker?: Stack): Stack[] {
  const valid = q.sortKeys.filter((k) => SORT_FIELDS.has(k));
  let dir = sortDirection(q.sortDir);
  const keys: Key<Stack>[] = valid.map((k) => SORT_FIELDS.get(k)!);
  if (valid.length === 0) {
    keys.push((s) => s.createdAt);
    dir ??= 'desc';
  }
  keys.push((s) => s.id);
  const d = dir ?? 'asc';
  let sorted = [...stacks].sort((a, b) => compare(a, b, keys, d));
  if (marker) sorted = sorted.filter((s) => compare(s, marker, keys, d) > 0);
  return q.limit === null ? sorted : sorted.slice(0, q.limit);
}

export interface EventListQuery {
  filters: Map<string, string[]>;
  limit: number | null;
  marker: string | null;
  sortKeys: string[];
  sortDir: string | null;
}

export const EVENT_FILTER_KEYS = new Set([
  'resource_status',
  'resource_action',
  'resource_name',
  'resource_type',
]);

const EVENT_SORT_FIELDS = new Map<string, Key<StackEventRow>>([
  ['event_time', (e) => e.created_at],
  ['resource_type', (e) => e.resource_type],
]);

const EVENT_FIELDS = new Map<string, (e: StackEventRow) => string>([
  ['resource_status', (e) => e.status],
  ['resource_action', (e) => e.action],
  ['resource_name', (e) => e.resource_name],
  ['resource_type', (e) => e.resource_type],
  ['uuid', (e) => e.id],
]);

/** Events filtered, sorted (default created_at desc, then their order) and paged by marker. */
export function pageEvents(events: StackEventRow[], q: EventListQuery): StackEventRow[] {
  const kept = events.filter((e) => {
    for (const [key, wanted] of q.filters) {
      if (!wanted.includes(EVENT_FIELDS.get(key)!(e))) return false;
    }
    return true;
  });
  const valid = q.sortKeys.filter((k) => EVENT_SORT_FIELDS.has(k));
  let dir = sortDirection(q.sortDir);
  const keys: Key<StackEventRow>[] = valid.map((k) => EVENT_SORT_FIELDS.get(k)!);
  if (valid.length === 0) {
    keys.push((e) => e.created_at);
    dir ??= 'desc';
  }
  keys.push((e) => e.seq);
  const d = dir ?? 'asc';
  let sorted = kept.sort((a, b) => compare(a, b, keys, d));
  const marker = q.marker === null ? undefined : events.find((e) => e.id === q.marker);
  if (marker) sorted = sorted.filter((e) => compare(e, marker, keys, d) > 0);
  return q.limit === null ? sorted : sorted.slice(0, q.limit);
}
