/**
 * Resource and output definitions (heat/engine/template_common.py _rsrc_defn_args and
 * outputs, hot/template.py validate_section): field types, depends_on, deletion policy,
 * conditions, and the resources each definition requires, with Heat's texts.
 */
import { pyRepr } from '../../../http/pyrepr.js';
import { HeatFault, validationFailed } from '../errors.js';
import { asCall, checkCondition, checkExpr, type CheckContext } from './check.js';
import { invalidReference } from './fnerror.js';
import { failedAt, pyTypeName } from './heat-path.js';
import { isMap } from './pyvalue.js';
import type { DeletionPolicy, Expr, OutputDefinition, ResourceDefinition } from './types.js';
import type { VersionInfo } from './versions.js';

export interface DefnContext {
  info: VersionInfo;
  names: ReadonlySet<string>;
  conditionNames: ReadonlySet<string>;
  check(onRef: CheckContext['onRef']): CheckContext;
}

const HOT_KEYS = {
  type: 'type',
  props: 'properties',
  meta: 'metadata',
  deps: 'depends_on',
  del: 'deletion_policy',
  upd: 'update_policy',
  desc: 'description',
  cond: 'condition',
  ext: 'external_id',
  sect: 'resources',
};
const CFN_KEYS = {
  type: 'Type',
  props: 'Properties',
  meta: 'Metadata',
  deps: 'DependsOn',
  del: 'DeletionPolicy',
  upd: 'UpdatePolicy',
  desc: 'Description',
  cond: 'Condition',
  ext: '',
  sect: 'Resources',
};
const POLICIES = ['Delete', 'Retain', 'Snapshot'];

const refName = (ref: unknown): string => (typeof ref === 'string' ? ref : pyRepr(ref));

export function loadResource(
  name: string,
  def: Record<string, unknown>,
  c: DefnContext,
): ResourceDefinition {
  const hot = c.info.type === 'hot';
  const K = hot ? HOT_KEYS : CFN_KEYS;
  const hasConds = c.info.conditionFunctions !== null;
  if (!Object.hasOwn(def, K.type))
    throw validationFailed(`Resource ${name} is missing "${K.type}"`);
  const parseOnly = c.check(() => {});
  const field = (key: string, ok: (v: unknown) => boolean, typename: string): Expr => {
    if (!key || !Object.hasOwn(def, key)) return null;
    const v = def[key];
    checkExpr(v, `${K.sect}.${name}.${key}`, parseOnly);
    if (!ok(v)) throw validationFailed(`Resource ${name} ${key} type must be ${typename}`);
    return v;
  };
  const isFn = (v: unknown): boolean => asCall(v, c.info.functions) !== null;
  const objectOk = (v: unknown): boolean => isMap(v);
  const type = field(K.type, (v) => typeof v === 'string', 'string') as string;
  const properties = field(K.props, objectOk, 'object') ?? {};
  const metadata = field(K.meta, objectOk, 'object') ?? {};
  const dependsOn = dependsOnList(name, K.deps, def[K.deps]);
  const deletionPolicy = policy(def, K.del, hot && hasConds, isFn);
  const updatePolicy = field(K.upd, objectOk, 'object') ?? {};
  if (Object.hasOwn(def, K.desc) && typeof def[K.desc] !== 'string') {
    throw validationFailed(`Resource ${name} ${K.desc} type must be string`);
  }
  const externalId =
    hasConds && hot ? field(K.ext, (v) => typeof v === 'string' || isFn(v), 'string') : null;
  let condition: Expr = null;
  if (hasConds && Object.hasOwn(def, K.cond)) {
    condition = def[K.cond];
    const path = `${K.sect}.${name}.${K.cond}`;
    checkCondition(condition, path, parseOnly);
    const cfnFn = asCall(condition, c.info.conditionFunctions!) !== null;
    if (typeof condition !== 'string' && typeof condition !== 'boolean' && !cfnFn) {
      const typename = hot ? 'string_or_boolean' : 'string or boolean';
      throw validationFailed(`Resource ${name} ${K.cond} type must be ${typename}`);
    }
    if (typeof condition === 'string' && !c.conditionNames.has(condition)) {
      throw failedAt('', [K.sect, name, K.cond], `Invalid condition "${condition}"`);
    }
  }
  // The resources this one needs; references report the path as rsrc_defn builds it.
  const requires = new Set<string>();
  for (const [key, label] of [
    [K.props, 'Properties'],
    [K.meta, 'Metadata'],
  ] as const) {
    if (!Object.hasOwn(def, key)) continue;
    const prefix = `${K.sect}.${name}.${key}`;
    const ctx = c.check((ref, path) => {
      // A name given by a function is only known once parameters are; Heat resolves it then.
      if (typeof ref !== 'string') return;
      if (!c.names.has(ref)) {
        throw invalidReference(ref, `${name}.${label}${path.slice(prefix.length)}`);
      }
      requires.add(ref);
    });
    checkExpr(def[key], prefix, ctx);
  }
  for (const d of dependsOn) {
    if (!c.names.has(d)) throw invalidReference(d, name);
    requires.add(d);
  }
  return {
    name,
    type,
    properties,
    metadata,
    dependsOn,
    deletionPolicy,
    updatePolicy,
    condition,
    externalId,
    requires,
  };
}

function dependsOnList(name: string, key: string, v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v))
    throw validationFailed(`Resource ${name} ${key} type must be list or string`);
  if (!v.every((x) => typeof x === 'string')) {
    throw validationFailed(`Resource ${name} ${key} must be a list of strings`);
  }
  return v as string[];
}

/** DeletionPolicy: Delete, Retain or Snapshot; 2016-10-14+ also takes them in lower case. */
function policy(
  def: Record<string, unknown>,
  key: string,
  lowerToo: boolean,
  isFn: (v: unknown) => boolean,
): DeletionPolicy {
  if (!Object.hasOwn(def, key) || def[key] === null || def[key] === undefined) return 'Delete';
  const v = def[key];
  if (isFn(v)) {
    throw new HeatFault('NotSupported', 'A deletion policy given by a function is not supported.');
  }
  if (typeof v === 'string') {
    if (POLICIES.includes(v)) return v as DeletionPolicy;
    const cap = v.charAt(0).toUpperCase() + v.slice(1);
    if (lowerToo && v === v.toLowerCase() && POLICIES.includes(cap)) return cap as DeletionPolicy;
  }
  throw validationFailed(`Invalid deletion policy "${typeof v === 'string' ? v : pyRepr(v)}"`);
}

export function loadOutput(name: string, def: unknown, c: DefnContext): OutputDefinition {
  const hot = c.info.type === 'hot';
  const sect = hot ? 'outputs' : 'Outputs';
  const valueKey = hot ? 'value' : 'Value';
  const error = 'Output validation error';
  if (!isMap(def)) {
    throw failedAt(
      error,
      [sect, name],
      `Output definitions must be a map. Found a ${pyTypeName(def)} instead`,
    );
  }
  if (!Object.hasOwn(def, valueKey)) {
    throw failedAt(error, [sect, name], `Each output definition must contain a ${valueKey} key.`);
  }
  const ck = hot ? 'condition' : 'Condition';
  const condition = c.info.conditionFunctions && Object.hasOwn(def, ck) ? def[ck] : null;
  if (condition !== null) {
    checkCondition(
      condition,
      `${sect}.${name}.${ck}`,
      c.check(() => {}),
    );
    if (typeof condition === 'string' && !c.conditionNames.has(condition)) {
      throw failedAt('', [sect, name, ck], `Invalid condition "${condition}"`);
    }
  }
  const requires = new Set<string>();
  const path = `${sect}.${name}.${valueKey}`;
  const ctx = c.check((ref, at) => {
    if (typeof ref !== 'string') return;
    if (!c.names.has(ref)) {
      // get_attr's validate() finds the missing resource; function.validate adds the path.
      const fn = Object.keys(findCallAt(def[valueKey], at.slice(path.length)) ?? {})[0] ?? '';
      throw failedAt('', [`${at}.${fn}`], invalidReference(refName(ref), 'unknown').message);
    }
    requires.add(ref);
  });
  checkExpr(def[valueKey], path, ctx);
  const d = def[hot ? 'description' : 'Description'];
  const description = d === undefined || d === null ? null : typeof d === 'string' ? d : pyRepr(d);
  return { name, value: def[valueKey], description, condition, requires };
}

/** The call found at a relative path like ".a[0].b" inside an expression. */
function findCallAt(expr: unknown, rel: string): Record<string, unknown> | null {
  let cur: unknown = expr;
  for (const m of rel.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    else cur = isMap(cur) && Object.hasOwn(cur, m[1]!) ? cur[m[1]!] : undefined;
  }
  return isMap(cur) ? cur : null;
}
