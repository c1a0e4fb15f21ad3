/**
 * Load-time checks of function calls: what Heat's function constructors and validate() reject
 * before anything is resolved (heat/engine/hot/functions.py, cfn/functions.py, function.py).
 * Errors carry Heat's path ("resources.server.properties.name.list_join: ...").
 */
import { pyRepr } from '../../../http/pyrepr.js';
import { checkCall } from './check-args.js';
import { validationFailed } from '../errors.js';
import { FnError, invalidVersion, withPath } from './fnerror.js';
import { isMap, MAX_DEPTH } from './pyvalue.js';
import type { FnKind } from './versions.js';

/** A call found in an expression: its table entry, name and raw arguments. */
export function asCall(
  expr: unknown,
  fns: ReadonlyMap<string, FnKind>,
): { kind: FnKind; name: string; args: unknown } | null {
  if (!isMap(expr)) return null;
  const keys = Object.keys(expr);
  if (keys.length !== 1) return null;
  const name = keys[0]!;
  const kind = fns.get(name);
  return kind ? { kind, name, args: expr[name] } : null;
}

export interface CheckContext {
  fns: ReadonlyMap<string, FnKind>;
  /** Functions in condition context: condition functions, others invalid. */
  conditionFns: ReadonlyMap<string, FnKind> | null;
  resources: ReadonlySet<string>;
  conditions: ReadonlySet<string>;
  /** Called for each resource a value needs (get_resource, get_attr, Ref), with its path. */
  onRef(name: unknown, path: string, viaAttr: boolean): void;
  /** Names that are functions of the version but invalid here (condition context). */
  invalidFns?: ReadonlySet<string>;
}

/** Walk a value as `parse` does: functions are checked, maps and lists recursed. */
export function checkExpr(expr: unknown, path: string, ctx: CheckContext, depth = 0): void {
  if (depth > MAX_DEPTH) throw validationFailed(`${path}: Template nesting is too deep.`);
  if (ctx.invalidFns && isMap(expr) && Object.keys(expr).length === 1) {
    const name = Object.keys(expr)[0]!;
    if (ctx.invalidFns.has(name)) {
      throw withPath(`${path}.${name}`, `The function "${name}" is invalid in this context`);
    }
  }
  const call = asCall(expr, ctx.fns);
  if (call) {
    const fpath = `${path}.${call.name}`;
    if (call.kind === 'if' || call.kind === 'if_nullable' || call.kind === 'cfn_if') {
      checkIf(call, fpath, ctx, depth);
      return;
    }
    checkExpr(call.args, fpath, ctx, depth + 1);
    try {
      checkCall(call.kind, call.name, call.args, ctx);
    } catch (e) {
      if (e instanceof FnError) throw withPath(fpath, e.text());
      throw e;
    }
    if (call.kind === 'removed') {
      // validate() of Removed, which function.validate wraps with the path and name.
      const exp = `The function ${call.name} is not supported in this version of HOT.`;
      throw withPath(fpath, invalidVersion(exp).message);
    }
    refsOf(call, path, ctx);
    return;
  }
  if (Array.isArray(expr)) {
    expr.forEach((x, i) => checkExpr(x, `${path}[${i}]`, ctx, depth + 1));
  } else if (isMap(expr)) {
    for (const k of Object.keys(expr)) checkExpr(expr[k], `${path}.${k}`, ctx, depth + 1);
  }
}

/** Check a condition expression (`conditions:`, `condition:`, the first item of `if`). */
export function checkCondition(expr: unknown, path: string, ctx: CheckContext, depth = 0): void {
  if (!ctx.conditionFns) return;
  const fns = new Map<string, FnKind>();
  const invalid = new Set<string>();
  for (const [n, k] of ctx.fns) {
    if (k === 'removed') fns.set(n, k);
    else invalid.add(n);
  }
  for (const [n, k] of ctx.conditionFns) {
    fns.set(n, k);
    invalid.delete(n);
  }
  checkExpr(expr, path, { ...ctx, fns, invalidFns: invalid }, depth);
}

function checkIf(
  call: { kind: FnKind; name: string; args: unknown },
  fpath: string,
  ctx: CheckContext,
  depth: number,
): void {
  const a = call.args;
  const n = Array.isArray(a) ? a.length : -1;
  const ok = call.kind === 'if_nullable' ? n === 2 || n === 3 : n === 3;
  if (!ok) {
    throw withPath(
      fpath,
      `Arguments to "${call.name}" must be of the form: ` +
        '[condition_name, value_if_true, value_if_false]',
    );
  }
  const [cond, ...values] = a as unknown[];
  checkCondition(cond, call.name, ctx, depth + 1);
  if (typeof cond === 'string' && !ctx.conditions.has(cond)) {
    throw withPath(fpath, `Invalid condition "${cond}"`);
  }
  if (typeof cond !== 'string' && typeof cond !== 'boolean' && !isMap(cond)) {
    throw withPath(fpath, `Invalid condition "${pyRepr(cond)}"`);
  }
  values.forEach((x) => checkExpr(x, fpath, ctx, depth + 1));
}

function refsOf(call: { kind: FnKind; args: unknown }, path: string, ctx: CheckContext): void {
  const a = call.args;
  switch (call.kind) {
    case 'get_resource':
      ctx.onRef(a, path, false);
      break;
    case 'cfn_ref':
      if (typeof a === 'string' && ctx.resources.has(a)) ctx.onRef(a, path, false);
      break;
    case 'get_attr_select':
    case 'get_attr':
    case 'get_attr_all':
    case 'cfn_getatt':
      if (Array.isArray(a)) ctx.onRef(a[0], path, true);
      else if (typeof a === 'string') ctx.onRef(a, path, true);
      break;
    default:
  }
}
