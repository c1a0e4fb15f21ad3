/**
 * Resolving values: every function of a version evaluated against a Scope, with Heat's
 * semantics and messages (heat/engine/hot/functions.py, cfn/functions.py). Errors are
 * StackValidationFailed with the text of the Python exception Heat raises.
 */
import { createHash, getHashes } from 'node:crypto';
import { pyRepr } from '../../../http/pyrepr.js';
import { HeatFault, validationFailed } from '../errors.js';
import { asCall, checkMakeUrlArgs } from './check.js';
import { FnError, invalidReference, typeError, valueError } from './fnerror.js';
import { fromEntries, isMap, MAX_DEPTH, pyEquals, pyJsonDumps, pyScalarStr } from './pyvalue.js';
import { resolveCollectionFn } from './resolve-collections.js';
import type { Scope } from './types.js';
import type { FnKind } from './versions.js';

/** What `if` with two arguments yields when false (2021-04-16): the item is dropped. */
export const OMIT = Symbol('omit');

export interface ResolveContext {
  fns: ReadonlyMap<string, FnKind>;
  resources: ReadonlySet<string>;
  mappings: Record<string, unknown>;
  scope: Scope;
  /** A condition argument of `if`: a name, a boolean, or a condition expression. */
  condition(cond: unknown): boolean;
}

export function resolveExpr(expr: unknown, ctx: ResolveContext, depth = 0): unknown {
  try {
    return resolve(expr, ctx, depth);
  } catch (e) {
    if (e instanceof FnError) throw validationFailed(e.text());
    throw e;
  }
}

export function resolve(expr: unknown, ctx: ResolveContext, depth: number): unknown {
  if (depth > MAX_DEPTH) throw validationFailed('Template nesting is too deep.');
  const call = asCall(expr, ctx.fns);
  if (call) return callFn(call.kind, call.name, call.args, ctx, depth + 1);
  if (Array.isArray(expr)) {
    return expr.map((x) => resolve(x, ctx, depth + 1)).filter((x) => x !== OMIT);
  }
  if (isMap(expr)) {
    const out: Array<[string, unknown]> = [];
    for (const k of Object.keys(expr)) {
      const v = resolve(expr[k], ctx, depth + 1);
      if (v !== OMIT) out.push([k, v]);
    }
    return fromEntries(out);
  }
  return expr;
}

function callFn(
  kind: FnKind,
  name: string,
  raw: unknown,
  ctx: ResolveContext,
  depth: number,
): unknown {
  if (kind === 'if' || kind === 'if_nullable' || kind === 'cfn_if') {
    const [cond, yes, no] = raw as unknown[];
    if (ctx.condition(cond)) return resolve(yes, ctx, depth);
    if ((raw as unknown[]).length === 2) return OMIT;
    return resolve(no, ctx, depth);
  }
  const a = resolve(raw, ctx, depth);
  switch (kind) {
    case 'get_param':
      return getParam(name, a, ctx.scope);
    case 'cfn_param_ref':
      return paramRef(a, ctx.scope);
    case 'get_resource':
      if (typeof a !== 'string' || !ctx.resources.has(a)) {
        throw invalidReference(pyScalarStr(a), 'unknown');
      }
      return ctx.scope.resourceId(a);
    case 'cfn_ref':
      if (typeof a === 'string' && ctx.resources.has(a)) return ctx.scope.resourceId(a);
      return paramRef(a, ctx.scope);
    case 'get_attr_select':
    case 'get_attr':
    case 'get_attr_all':
    case 'cfn_getatt':
      return getAttr(kind, a as unknown[], ctx);
    case 'get_file':
      if (typeof a !== 'string') throw typeError(`Argument to "${name}" must be a string`);
      return getFile(name, a, ctx.scope);
    case 'str_replace':
    case 'str_replace_json':
    case 'str_replace_strict':
    case 'str_replace_vstrict': {
      const m = a as Record<string, unknown>;
      return strReplace(kind, name, m['template'], m['params']);
    }
    case 'cfn_replace': {
      const [params, template] = a as unknown[];
      return strReplace('str_replace', name, template, params);
    }
    case 'list_join':
    case 'cfn_join':
      return join(name, (a as unknown[])[0], [(a as unknown[])[1]], false);
    case 'list_join_multi':
      return join(name, (a as unknown[])[0], (a as unknown[]).slice(1), true);
    case 'cfn_base64':
      if (typeof a !== 'string') throw typeError(`"${name}" argument must be a string`);
      return a;
    case 'digest':
      return digest(name, a);
    case 'resource_facade':
    case 'cfn_resource_facade':
    case 'cfn_getazs':
    case 'yaql':
      throw new HeatFault('NotSupported', `${name} is not supported.`);
    case 'removed':
      throw validationFailed(
        `The template version is invalid: The function ${name} is not supported in this ` +
          'version of HOT.',
      );
    case 'equals':
    case 'cfn_equals': {
      const [x, y] = a as unknown[];
      return pyEquals(x, y);
    }
    case 'not':
      return !ctx.condition(a);
    case 'cfn_not':
      return !ctx.condition((a as unknown[])[0]);
    case 'and':
    case 'cfn_and':
      return (a as unknown[]).every((c) => ctx.condition(c));
    case 'or':
    case 'cfn_or':
      return (a as unknown[]).some((c) => ctx.condition(c));
    case 'make_url':
      return makeUrl(name, a as Record<string, unknown>);
    default:
      return resolveCollectionFn(kind, name, a, raw, ctx, depth);
  }
}

function getParam(name: string, args: unknown, scope: Scope): unknown {
  if (!args || (Array.isArray(args) && args.length === 0)) {
    throw valueError(`Function "${name}" must have arguments`);
  }
  let param: unknown;
  let path: unknown[] = [];
  if (typeof args === 'string') param = args;
  else if (Array.isArray(args)) [param, ...path] = args;
  else throw typeError(`Argument to "${name}" must be string or list`);
  if (typeof param !== 'string') throw typeError(`Parameter name in "${name}" must be string`);
  let v = scope.parameter(param);
  for (const key of path) {
    if (!Array.isArray(v) && !isMap(v) && typeof v !== 'string') {
      throw typeError(`"${name}" can't traverse path`);
    }
    if (typeof key !== 'string' && !(typeof key === 'number' && Number.isInteger(key))) {
      throw typeError(`Path components in "${name}" must be strings`);
    }
    if (Array.isArray(v) || typeof v === 'string') {
      const i = typeof key === 'number' ? key : /^\s*[+-]?\d+\s*$/.test(key) ? Number(key) : NaN;
      if (Number.isNaN(i)) {
        throw typeError(
          `Path components in '${name}' must be a string that can be parsed into an integer.`,
        );
      }
      const idx = i < 0 ? v.length + i : i;
      if (idx < 0 || idx >= v.length) return '';
      v = v[idx];
    } else {
      if (typeof key !== 'string' || !Object.hasOwn(v, key)) return '';
      v = (v as Record<string, unknown>)[key];
    }
  }
  return v;
}

function paramRef(name: unknown, scope: Scope): unknown {
  try {
    return scope.parameter(name as string);
  } catch (e) {
    if (e instanceof HeatFault && e.type === 'UserParameterMissing') {
      throw invalidReference(pyScalarStr(name), 'unknown');
    }
    throw e;
  }
}

function getAttr(kind: FnKind, a: unknown[], ctx: ResolveContext): unknown {
  const [res, attr, ...path] = a;
  if (typeof res !== 'string' || !ctx.resources.has(res)) {
    throw invalidReference(pyScalarStr(res), 'unknown');
  }
  if (kind === 'get_attr_all' && a.length === 1) return ctx.scope.attribute(res, null, []);
  return ctx.scope.attribute(res, attr as string, kind === 'cfn_getatt' ? [] : path);
}

function getFile(name: string, key: string, scope: Scope): string {
  const f = scope.file(key);
  if (f === undefined) {
    throw valueError(`No content found in the "files" section for ${name} path: ${key}`);
  }
  return f;
}

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

function strReplace(kind: FnKind, name: string, template: unknown, params: unknown): string {
  if (typeof template !== 'string') throw typeError(`"${name}" template must be a string`);
  if (!isMap(params)) throw typeError(`"${name}" params must be a map`);
  // Longer placeholders first; equal lengths in lexical order (Python's stable sorts).
  const keys = Object.keys(params)
    .sort()
    .sort((x, y) => y.length - x.length);
  const strict = kind === 'str_replace_strict' || kind === 'str_replace_vstrict';
  const unreplaced = new Set(keys);
  const values = keys.map((k) => replacement(kind, name, params[k], k));
  const replace = (s: string, i: number): string => {
    if (i >= keys.length) return s;
    const key = keys[i]!;
    if (key === '') throw valueError('empty separator');
    const parts = s.split(key);
    if (parts.length > 1) unreplaced.delete(key);
    return parts.map((p) => replace(p, i + 1)).join(values[i]!);
  };
  const out = replace(template, 0);
  if (strict && unreplaced.size > 0) {
    const missing = [...unreplaced].sort().sort((x, y) => y.length - x.length);
    throw valueError(`The following params were not found in the template: ${missing.join(',')}`);
  }
  return out;
}

function join(name: string, delim: unknown, lists: unknown[], multi: boolean): string {
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

function digest(name: string, a: unknown): string {
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

function makeUrl(name: string, a: Record<string, unknown>): string {
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

export { FnError };
