/**
 * Python's view of JSON values where Heat's functions depend on it: `json.dumps` (Heat's
 * jsonutils, with its ", " and ": " separators), `str()` of numbers and booleans, `==`
 * between values (True == 1 in Python) and container checks.
 */
import { pyRepr } from '../../../http/pyrepr.js';
import { validationFailed } from '../errors.js';

export const MAX_DEPTH = 100;

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Python str() of a scalar as str_replace and list_join print it. */
export function pyScalarStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  return pyRepr(v);
}

/** json.dumps(value[, sort_keys]) with Python's separators and escaping of non-ASCII. */
export function pyJsonDumps(value: unknown, sortKeys = false, depth = 0): string {
  if (depth > MAX_DEPTH) throw validationFailed('Template nesting is too deep.');
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Number.isInteger(value) ? String(value) : pyRepr(value);
  }
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) {
    return '[' + value.map((x) => pyJsonDumps(x, sortKeys, depth + 1)).join(', ') + ']';
  }
  if (isMap(value)) {
    const keys = Object.keys(value);
    if (sortKeys) keys.sort();
    const parts = keys.map(
      (k) => jsonString(k) + ': ' + pyJsonDumps(value[k], sortKeys, depth + 1),
    );
    return '{' + parts.join(', ') + '}';
  }
  return 'null';
}

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) {
      if (c > 0xffff) {
        const hi = Math.floor((c - 0x10000) / 0x400) + 0xd800;
        const lo = ((c - 0x10000) % 0x400) + 0xdc00;
        out += '\\u' + hi.toString(16).padStart(4, '0') + '\\u' + lo.toString(16).padStart(4, '0');
      } else out += '\\u' + c.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

/** Python `==` between JSON values: numbers and booleans compare by value. */
export function pyEquals(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const num = (x: unknown): number | null =>
    typeof x === 'number' ? x : typeof x === 'boolean' ? Number(x) : null;
  const na = num(a);
  const nb = num(b);
  if (na !== null || nb !== null) return na !== null && na === nb;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => pyEquals(x, b[i], depth + 1));
  }
  if (isMap(a) || isMap(b)) {
    if (!isMap(a) || !isMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k], depth + 1));
  }
  return (a ?? null) === (b ?? null);
}

/** A shallow copy of a client map that cannot carry `__proto__` magic. */
export function ownEntries(m: Record<string, unknown>): Array<[string, unknown]> {
  return Object.keys(m).map((k) => [k, m[k]]);
}

/** Build an object from entries with define semantics (a `__proto__` key stays data). */
export function fromEntries(
  entries: Iterable<readonly [string, unknown]>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(out, k, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Refuse values nested deeper than `max`, walking with an explicit stack (no recursion). */
export function assertDepth(value: unknown, max = MAX_DEPTH): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) throw validationFailed('Template nesting is too deep.');
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else if (isMap(v)) for (const k of Object.keys(v)) stack.push([v[k], d + 1]);
  }
}

/** A pattern as Python's re reads it, in JS syntax (named groups differ). */
export function pyRegExp(p: string): RegExp {
  const js = p
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>');
  return new RegExp(`^(?:${js})`);
}
