/**
 * The `conditions` section (heat/engine/conditions.py): each definition is a boolean or a
 * condition function; names refer to other conditions, evaluated once, cycles reported.
 */
import { validationFailed } from '../errors.js';
import { asCall } from './check.js';
import { resolveExpr, type ResolveContext } from './resolve.js';
import { isMap } from './pyvalue.js';
import type { Scope } from './types.js';
import type { FnKind, VersionInfo } from './versions.js';
import { pyRepr } from '../../../http/pyrepr.js';

const IN_PROGRESS = Symbol('in progress');

class Conditions {
  private readonly done = new Map<string, boolean | typeof IN_PROGRESS>();
  private readonly fns: ReadonlyMap<string, FnKind>;
  constructor(
    info: VersionInfo,
    private readonly defs: Record<string, unknown>,
    private readonly parameter: (name: string) => unknown,
  ) {
    const fns = new Map<string, FnKind>();
    for (const [n, k] of info.functions) if (k === 'removed') fns.set(n, k);
    for (const [n, k] of info.conditionFunctions ?? []) fns.set(n, k);
    this.fns = fns;
  }

  isEnabled(name: unknown): boolean {
    if (name === null || name === undefined) return true;
    if (typeof name === 'boolean') return name;
    if (typeof name !== 'string' || !Object.hasOwn(this.defs, name)) {
      throw validationFailed(
        `Invalid condition "${typeof name === 'string' ? name : pyRepr(name)}"`,
      );
    }
    const prior = this.done.get(name);
    if (prior === IN_PROGRESS) {
      throw validationFailed(
        `Condition validation error: Circular definition for condition "${name}"`,
      );
    }
    if (prior !== undefined) return prior;
    this.done.set(name, IN_PROGRESS);
    const def = this.defs[name];
    if (typeof def !== 'boolean' && !asCall(def, this.fns)) this.invalid(name, def);
    const value = this.value(def);
    if (typeof value !== 'boolean') this.invalid(name, value);
    this.done.set(name, value as boolean);
    return value as boolean;
  }

  private invalid(name: string, def: unknown): never {
    const text = typeof def === 'string' ? def : pyRepr(def);
    throw validationFailed(
      `Condition validation error: The definition of condition "${name}" is invalid: ${text}`,
    );
  }

  /** A condition argument: a boolean, a name, or an expression to evaluate. */
  value(c: unknown): unknown {
    if (typeof c === 'boolean' || typeof c === 'string' || c === null || c === undefined) {
      return this.isEnabled(c);
    }
    if (!isMap(c)) return this.isEnabled(c);
    const scope: Scope = {
      stackId: '',
      stackName: '',
      projectId: '',
      region: '',
      parameter: this.parameter,
      resourceId: () => null,
      attribute: () => null,
      condition: (n) => this.isEnabled(n),
      file: () => undefined,
    };
    const ctx: ResolveContext = {
      fns: this.fns,
      resources: new Set(),
      mappings: {},
      scope,
      condition: (x) => {
        const v = this.value(x);
        return typeof v === 'boolean' ? v : this.isEnabled(v);
      },
    };
    return resolveExpr(c, ctx);
  }
}

export function evaluateConditions(
  info: VersionInfo,
  defs: Record<string, unknown>,
  parameter: (name: string) => unknown,
): Map<string, boolean> {
  const c = new Conditions(info, defs, parameter);
  return new Map(Object.keys(defs).map((n) => [n, c.isEnabled(n)]));
}

/** The value of an `if` condition (a name, boolean or inline expression) while resolving. */
export function conditionValue(
  cond: unknown,
  info: VersionInfo,
  defs: Record<string, unknown>,
  parameter: (name: string) => unknown,
  byName: (name: string) => boolean,
): boolean {
  if (typeof cond === 'boolean') return cond;
  if (typeof cond === 'string') {
    if (!Object.hasOwn(defs, cond)) throw validationFailed(`Invalid condition "${cond}"`);
    return byName(cond);
  }
  // An expression yields a boolean or, through get_param, the name of a condition.
  const c = new Conditions(info, defs, parameter);
  const v = c.value(cond);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && Object.hasOwn(defs, v)) return byName(v);
  return c.isEnabled(v);
}
