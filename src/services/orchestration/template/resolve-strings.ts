/** The string functions: str_replace (all four), list_join, digest and make_url. */
import { createHash, getHashes } from 'node:crypto';
import { pyRepr } from '../../../http/pyrepr.js';
import { checkMakeUrlArgs } from './check-args.js';
import { typeError, valueError } from './fnerror.js';
import { isMap, pyJsonDumps, pyScalarStr } from './pyvalue.js';
import type { FnKind } from './versions.js';

function replacement(kind: FnKind, name: string, value: unknown, param: string): string {
  const empty = (): never => {
    throw valueError(
      `${name} has an undefined or empty value for param ${param}, must be a defined ` +
        'non-empty value',
    );
  };
  const allowEmpty = kind !== 'str_replace_vstrict';
  if (value === null || value === undefined) return allowEmpty ? '' : empty();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const s = pyScalarStr(value);
    if (!allowEmpty && !s) empty();
    return s;
  }
  if (kind === 'str_replace') {
    throw typeError(`"${name}" params must be strings or numbers, param ${param} is not valid`);
  }
  if (Array.isArray(value) || isMap(value)) {
    if (!allowEmpty && (Array.isArray(value) ? value : Object.keys(value)).length === 0) empty();
    return pyJsonDumps(value, true);
  }
  throw typeError(`"${name}" params must be strings, numbers, list or map.`);
}

export function strReplace(kind: FnKind, name: string, template: unknown, params: unknown): string {
  if (typeof template !== 'string') throw typeError(`"${name}" template must be a string`);
  if (!isMap(params)) throw typeError(`"${name}" params must be a map`);
  // Longer placeholders first; equal lengths in lexical order (Python's stable sorts).
  const keys = Object.keys(params)
    .sort()
    .sort((x, y) => y.length - x.length);
  const strict = kind === 'str_replace_strict' || kind === 'str_replace_vstrict';
  const unreplaced = new Set(keys);
  const values = keys.map((k) => replacement(kind, name, params[k], k));
  // Heat recurses key by key; pieces already replaced are never searched again. Done as a
  // loop so a template with thousands of params cannot exhaust the stack.
  let pieces: Array<{ text: string; done: boolean }> = [{ text: template, done: false }];
  keys.forEach((key, i) => {
    if (key === '') throw valueError('empty separator');
    const next: typeof pieces = [];
    for (const p of pieces) {
      if (p.done) {
        next.push(p);
        continue;
      }
      const parts = p.text.split(key);
      if (parts.length > 1) unreplaced.delete(key);
      parts.forEach((t, j) => {
        if (j > 0) next.push({ text: values[i]!, done: true });
        next.push({ text: t, done: false });
      });
    }
    pieces = next;
  });
  const out = pieces.map((p) => p.text).join('');
  if (strict && unreplaced.size > 0) {
    const missing = [...unreplaced].sort().sort((x, y) => y.length - x.length);
    throw valueError(`The following params were not found in the template: ${missing.join(',')}`);
  }
  return out;
}

export function join(name: string, delim: unknown, lists: unknown[], multi: boolean): string {
  const strings: unknown[] = [];
  for (const l of lists) {
    if (multi && !l) continue;
    const list = l ?? [];
    if (!Array.isArray(list)) throw typeError(`"${name}" must operate on a list`);
    strings.push(...list);
  }
  if (typeof delim !== 'string') throw typeError(`"${name}" delimiter must be a string`);
  return strings
    .map((s) => {
      if (s === null || s === undefined) return '';
      if (typeof s === 'string') return s;
      if (multi && (Array.isArray(s) || isMap(s))) return pyJsonDumps(s, true);
      const r = pyRepr(s).slice(0, 200);
      throw typeError(
        multi
          ? `Items to join must be string, map or list not ${r}`
          : `Items to join must be strings not ${r}`,
      );
    })
    .join(delim);
}

export function digest(name: string, a: unknown): string {
  if (!Array.isArray(a) || !a.every((x) => typeof x === 'string')) {
    throw typeError(`Argument to function "${name}" must be a list of strings`);
  }
  if (a.length !== 2) throw valueError(`Function "${name}" usage: ["<algorithm>", "<value>"]`);
  const algo = (a[0] as string).toLowerCase();
  const known = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
  if (!known.includes(algo) || !getHashes().includes(algo)) {
    const set = known.map((x) => `'${x}'`).join(', ');
    throw valueError(`Algorithm must be one of {${set}}`);
  }
  return createHash(algo)
    .update(Buffer.from(a[1] as string, 'latin1'))
    .digest('hex');
}

function quote(s: string, safe: string): string {
  const keep = /[A-Za-z0-9_.\-~]/;
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    out +=
      b < 128 && (keep.test(ch) || safe.includes(ch))
        ? ch
        : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function makeUrl(name: string, a: Record<string, unknown>): string {
  checkMakeUrlArgs(name, a, () => false);
  const str = (k: string): string => (typeof a[k] === 'string' ? (a[k] as string) : '');
  const scheme = str('scheme');
  if (scheme.includes(':')) throw valueError(`URL "scheme" should not contain ':'`);
  const user = quote(str('username'), '');
  const pass = quote(str('password'), '');
  let netloc = '';
  if (user || pass) netloc += user + (pass ? ':' + pass : '') + '@';
  let host = str('host');
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  host = quote(host, ':');
  netloc += host.includes(':') ? `[${host}]` : host;
  const port = a['port'];
  if (port !== undefined && port !== null && port !== '' && port !== 0)
    netloc += ':' + pyScalarStr(port);
  const path = quote(str('path'), '/');
  const q = isMap(a['query']) ? (a['query'] as Record<string, unknown>) : {};
  const query = Object.keys(q)
    .map((k) => quotePlus(k) + '=' + quotePlus(pyScalarStr(q[k])))
    .join('&')
    .replace(/%2F/g, '/');
  const fragment = quote(str('fragment'), '/');
  let url = scheme ? scheme + ':' : '';
  if (netloc || (scheme && ['http', 'https', 'ftp', 'file'].includes(scheme))) url += '//' + netloc;
  url += path && !path.startsWith('/') && netloc ? '/' + path : path;
  if (query) url += '?' + query;
  if (fragment) url += '#' + fragment;
  return url;
}

function quotePlus(s: string): string {
  return quote(s, ' ').replace(/ /g, '+');
}
