/** A parsed query string: a key given twice arrives as an array. */
export type Query = Record<string, string | string[] | undefined>;

export function first(query: Query, key: string): string | undefined {
  const v = query[key];
  return Array.isArray(v) ? v[0] : v;
}

export function all(query: Query, key: string): string[] {
  const v = query[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
