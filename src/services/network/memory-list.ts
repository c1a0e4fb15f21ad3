import type { ListQuery, Page } from './listing.js';

/**
 * A list query over rows held in memory (agents, availability zones): filters (any of the
 * values), sort keys then id, and a page after the marker. The marker must be one of `rows`;
 * `onMissingMarker` makes the resource's NotFound.
 */
export function pageInMemory<T extends Record<string, unknown>>(
  rows: readonly T[],
  q: ListQuery,
  onMissingMarker: (id: string) => Error,
): Page<T> {
  let out = rows.filter((row) =>
    [...q.filters].every(([attr, values]) => values.length === 0 || values.includes(row[attr])),
  );
  const keys = [...q.sort, { key: 'id', dir: 'asc' as const }];
  const compare = (a: T, b: T): number => {
    for (const { key, dir } of keys) {
      const x = String(a[key] ?? '');
      const y = String(b[key] ?? '');
      if (x !== y) return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1);
    }
    return 0;
  };
  out = [...out].sort(compare);
  if (q.marker !== null) {
    const at = rows.find((r) => r.id === q.marker);
    if (!at) throw onMissingMarker(q.marker);
    out = q.pageReverse
      ? out.filter((r) => compare(r, at) < 0)
      : out.filter((r) => compare(r, at) > 0);
  }
  if (q.limit === null) return { rows: out };
  return { rows: q.pageReverse ? out.slice(-q.limit) : out.slice(0, q.limit) };
}
