import v8 from 'node:v8';

let linear = false;
const cache = new Map<string, RegExp | null>();

/**
 * A client's regular expression (Nova's `name` filter is one), compiled for V8's linear-time
 * engine so that no pattern can make matching take exponential time. Null for a pattern that
 * is invalid or needs backtracking (back-references, lookaround).
 */
export function clientRegex(pattern: string): RegExp | null {
  if (!linear) {
    v8.setFlagsFromString('--enable-experimental-regexp-engine');
    linear = true;
  }
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      // 'l': V8's linear engine, enabled above; ESLint does not know the flag.
      // eslint-disable-next-line no-invalid-regexp
      re = new RegExp(pattern, 'l');
    } catch {
      re = null;
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** SQLite's `x REGEXP p` is `regexp(p, x)`: Python's re.search semantics, as Nova's DB filter. */
export function sqlRegexp(pattern: unknown, value: unknown): number {
  if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
  return clientRegex(pattern)?.test(value) ? 1 : 0;
}
