/**
 * Resolving values: every function of a version evaluated against a Scope, with Heat's
 * semantics and messages (heat/engine/hot/functions.py, cfn/functions.py). Errors are
 * StackValidationFailed with the text of the Python exception Heat raises.
 */
import { HeatFault, validationFailed } from '../errors.js';
import { asCall } from './check.js';
import { digest, join, makeUrl, strReplace } from './resolve-strings.js';
import { FnError, invalidReference, typeError, valueError } from './fnerror.js';
import { fromEntries, isMap, MAX_DEPTH, pyEquals, pyScalarStr } from './pyvalue.js';
import { resolveCollectionFn } from './resolve-collections.js';
import type { Scope } from './types.js';
import type { FnKind } from './versions.js';

const FACADE = new Map<string, 'metadata' | 'deletion_policy' | 'update_policy'>([
  ['metadata', 'metadata'],
  ['deletion_policy', 'deletion_policy'],
  ['update_policy', 'update_policy'],
  ['Metadata', 'metadata'],
  ['DeletionPolicy', 'deletion_policy'],
  ['UpdatePolicy', 'update_policy'],
]);

/** What `if` with two arguments yields when false (2021-04-16): the item is dropped. */
export const OMIT = Symbol('omit');

export interface ResolveContext {
  fns: ReadonlyMap<string, FnKind>;
  resources: ReadonlySet<string>;
  /** Parameter names get_param may read (the template's and the pseudo ones), if known. */
  parameters?: ReadonlySet<string>;
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
      return getParam(name, a, ctx);
    case 'cfn_param_ref':
      return paramRef(a, ctx);
    case 'get_resource':
      if (typeof a !== 'string' || !ctx.resources.has(a)) {
        throw invalidReference(pyScalarStr(a), 'unknown');
      }
      return ctx.scope.resourceId(a);
    case 'cfn_ref':
      if (typeof a === 'string' && ctx.resources.has(a)) return ctx.scope.resourceId(a);
      return paramRef(a, ctx);
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
    case 'cfn_resource_facade': {
      const attr = FACADE.get(a as string);
      if (attr && ctx.scope.facade) return ctx.scope.facade(attr);
      throw new HeatFault('NotSupported', `${name} is not supported.`);
    }
    case 'yaql':
      throw new HeatFault('NotSupported', `${name} is not supported.`);
    case 'cfn_getazs':
      // Heat asks Nova for its zones; pocketstack has the one zone Nova names by default.
      return ['nova'];
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

function getParam(name: string, args: unknown, ctx: ResolveContext): unknown {
  if (!args || (Array.isArray(args) && args.length === 0)) {
    throw valueError(`Function "${name}" must have arguments`);
  }
  let param: unknown;
  let path: unknown[] = [];
  if (typeof args === 'string') param = args;
  else if (Array.isArray(args)) [param, ...path] = args;
  else throw typeError(`Argument to "${name}" must be string or list`);
  if (typeof param !== 'string') throw typeError(`Parameter name in "${name}" must be string`);
  if (ctx.parameters && !ctx.parameters.has(param)) {
    throw new HeatFault('UserParameterMissing', `The Parameter (${param}) was not provided.`);
  }
  let v = ctx.scope.parameter(param);
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

function paramRef(name: unknown, ctx: ResolveContext): unknown {
  if (ctx.parameters && (typeof name !== 'string' || !ctx.parameters.has(name))) {
    throw invalidReference(pyScalarStr(name), 'unknown');
  }
  try {
    return ctx.scope.parameter(name as string);
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
