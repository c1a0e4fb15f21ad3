/**
 * A loaded template: version, sections and resource/output definitions, validated as Heat does
 * at stack create and validate (heat/engine/template.py, template_common.py, hot/template.py,
 * cfn/template.py), with resolution of values against a Scope.
 */
import { pyRepr } from '../../../http/pyrepr.js';
import { HeatFault, validationFailed } from '../errors.js';
import { checkCondition, checkExpr, type CheckContext } from './check.js';
import { evaluateConditions, conditionValue } from './conditions.js';
import { invalidReference, invalidVersion } from './fnerror.js';
import { parseParameterSchemas } from './parameter-schema.js';
import { isMap } from './pyvalue.js';
import { resolveExpr, type ResolveContext } from './resolve.js';
import type {
  AttributeRef,
  DeletionPolicy,
  Expr,
  OutputDefinition,
  ParameterSchema,
  ResourceDefinition,
  Scope,
} from './types.js';
import { describeFunction, VERSIONS, type VersionInfo } from './versions.js';
import { asCall } from './check.js';

const HOT_SECTIONS = [
  'heat_template_version',
  'description',
  'parameter_groups',
  'parameters',
  'resources',
  'outputs',
];
const CFN_SECTIONS = [
  'AWSTemplateFormatVersion',
  'HeatTemplateFormatVersion',
  'Description',
  'Mappings',
  'Parameters',
  'Resources',
  'Outputs',
];
const POLICIES = new Map<string, DeletionPolicy>([
  ['Delete', 'Delete'],
  ['Retain', 'Retain'],
  ['Snapshot', 'Snapshot'],
]);

function findVersion(body: Record<string, unknown>): VersionInfo {
  const keys = ['AWSTemplateFormatVersion', 'HeatTemplateFormatVersion', 'heat_template_version'];
  const present = keys.filter((k) => Object.hasOwn(body, k) && typeof body[k] === 'string');
  if (present.length > 1) throw invalidVersion(`Ambiguous versions (${present.join(', ')})`);
  if (present.length === 0) throw invalidVersion('Template version was not provided');
  const key = present[0]!;
  const value = body[key] as string;
  const found = VERSIONS.find(
    (x) => x.key === key && (x.value === value || x.aliases.includes(value)),
  );
  if (found) return found;
  const names = VERSIONS.filter((x) => x.key === key)
    .flatMap((x) => [x.value, ...x.aliases])
    .sort();
  const verb = names.length > 1 ? 'should be one of' : 'should be';
  throw invalidVersion(`"${key}: ${value}". "${key}" ${verb}: ${names.join(', ')}`);
}

export class Template {
  readonly version: { key: string; value: string };
  readonly description: string;
  readonly parameters: ParameterSchema[];
  readonly parameterGroups: unknown[];
  readonly resources: ResourceDefinition[];
  readonly outputs: OutputDefinition[];
  readonly raw: Record<string, unknown>;
  readonly info: VersionInfo;
  private readonly names: ReadonlySet<string>;
  private readonly conditionDefs: Record<string, unknown>;
  private readonly mappings: Record<string, unknown>;

  private constructor(raw: Record<string, unknown>, info: VersionInfo) {
    this.raw = raw;
    this.info = info;
    this.version = { key: info.key, value: raw[info.key] as string };
    const hot = info.type === 'hot';
    const sec = (h: string, c: string): unknown => raw[hot ? h : c];
    const sections = hot
      ? [...HOT_SECTIONS, ...(info.conditionFunctions ? ['conditions'] : [])]
      : [...CFN_SECTIONS, ...(info.conditionFunctions ? ['Conditions'] : [])];
    for (const k of Object.keys(raw)) {
      if (!sections.includes(k)) {
        throw new HeatFault('InvalidTemplateSection', `The template section is invalid: ${k}`);
      }
    }
    const desc = sec('description', 'Description');
    this.description =
      typeof desc === 'string' && desc ? desc : desc ? pyRepr(desc) : 'No description';
    const groups = raw['parameter_groups'];
    this.parameterGroups = Array.isArray(groups) ? groups : [];
    this.mappings = isMap(raw['Mappings']) ? raw['Mappings'] : {};
    const conds = sec('conditions', 'Conditions') ?? {};
    if (!isMap(conds)) {
      throw validationFailed(
        `Conditions validation error: Condition definitions must be a map. Found a ${pyTypeName(conds)} instead`,
      );
    }
    this.conditionDefs = conds;
    this.parameters = parseParameterSchemas(sec('parameters', 'Parameters'), info);
    const res = sec('resources', 'Resources') ?? {};
    if (!isMap(res)) {
      throw validationFailed(`Resources must contain Resource. Found a [${pyClass(res)}] instead`);
    }
    this.names = new Set(Object.keys(res));
    this.resources = Object.keys(res).map((n) => this.loadResource(n, res[n]));
    const outs = sec('outputs', 'Outputs') ?? {};
    this.outputs = isMap(outs) ? Object.keys(outs).map((n) => this.loadOutput(n, outs[n])) : [];
    for (const name of Object.keys(conds)) {
      checkCondition(
        conds[name],
        `${hot ? 'conditions' : 'Conditions'}.${name}`,
        this.checkContext(() => {}),
      );
    }
  }

  /** Validate `body` as Heat does at stack create/validate time. */
  static load(body: unknown, _files: ReadonlyMap<string, string>): Template {
    if (!isMap(body)) throw validationFailed('The template is not a JSON object or YAML mapping.');
    const t = new Template(body, findVersion(body));
    dependencyWaves(t.resources);
    return t;
  }

  private checkContext(onRef: CheckContext['onRef']): CheckContext {
    return {
      fns: this.info.functions,
      conditionFns: this.info.conditionFunctions,
      resources: this.names,
      conditions: new Set(Object.keys(this.conditionDefs)),
      onRef,
    };
  }

  private loadResource(name: string, def: unknown): ResourceDefinition {
    const hot = this.info.type === 'hot';
    const K = hot
      ? {
          type: 'type',
          props: 'properties',
          meta: 'metadata',
          deps: 'depends_on',
          del: 'deletion_policy',
          upd: 'update_policy',
          cond: 'condition',
          ext: 'external_id',
          sect: 'resources',
        }
      : {
          type: 'Type',
          props: 'Properties',
          meta: 'Metadata',
          deps: 'DependsOn',
          del: 'DeletionPolicy',
          upd: 'UpdatePolicy',
          cond: 'Condition',
          ext: '',
          sect: 'Resources',
        };
    if (!isMap(def)) {
      if (!def) throw validationFailed('Each Resource must contain a Type key.');
      throw validationFailed(`Resources must contain Resource. Found a [${pyClass(def)}] instead`);
    }
    if (hot) {
      const valid = [
        'type',
        'properties',
        'metadata',
        'depends_on',
        'deletion_policy',
        'update_policy',
        'description',
      ];
      if (this.info.conditionFunctions) valid.push('external_id', 'condition');
      const invalid = Object.keys(def).filter((k) => !valid.includes(k));
      if (invalid.length) {
        throw validationFailed(
          `Invalid keyword(s) inside a resource definition: ${invalid.join(', ')}`,
        );
      }
    }
    if (!Object.hasOwn(def, K.type))
      throw validationFailed(`Resource ${name} is missing "${K.type}"`);
    const type = def[K.type];
    if (typeof type !== 'string')
      throw validationFailed(`Resource ${name} ${K.type} type must be string`);
    if (!type) throw validationFailed('Each Resource must contain a Type key.');
    const requires = new Set<string>();
    const ctx = this.checkContext(() => {});
    const field = (key: string, what: 'object' | 'string'): Expr => {
      if (!key || !Object.hasOwn(def, key)) return null;
      const v = def[key];
      const base = `${K.sect}.${name}.${key}`;
      checkExpr(v, base, ctx);
      const ok =
        what === 'object' ? isMap(v) : typeof v === 'string' || asCall(v, this.info.functions);
      if (!ok && v !== null) throw validationFailed(`Resource ${name} ${key} type must be ${what}`);
      return v;
    };
    const properties = field(K.props, 'object') ?? {};
    const metadata = field(K.meta, 'object') ?? {};
    const updatePolicy = field(K.upd, 'object') ?? {};
    // Paths of references start at "<name>.Properties" as rsrc_defn names them.
    const depCtx = (section: string): CheckContext =>
      this.checkContext((ref, path) => {
        if (typeof ref !== 'string' || !this.names.has(ref)) {
          const at = path.replace(
            `${K.sect}.${name}.${section}`,
            `${name}.${section === K.props ? 'Properties' : 'Metadata'}`,
          );
          throw invalidReference(typeof ref === 'string' ? ref : pyRepr(ref), at);
        }
        requires.add(ref);
      });
    if (Object.hasOwn(def, K.props))
      checkExpr(def[K.props], `${K.sect}.${name}.${K.props}`, depCtx(K.props));
    if (Object.hasOwn(def, K.meta))
      checkExpr(def[K.meta], `${K.sect}.${name}.${K.meta}`, depCtx(K.meta));
    const dependsOn = this.dependsOn(name, def[K.deps]);
    for (const d of dependsOn) {
      if (!this.names.has(d)) throw invalidReference(d, name);
      requires.add(d);
    }
    const delRaw = Object.hasOwn(def, K.del) ? def[K.del] : null;
    let deletionPolicy: DeletionPolicy = 'Delete';
    if (delRaw !== null && delRaw !== undefined) {
      const key =
        typeof delRaw === 'string' && this.info.conditionFunctions && hot
          ? delRaw[0]!.toUpperCase() + delRaw.slice(1)
          : delRaw;
      const p =
        typeof key === 'string' && (key === delRaw || this.info.conditionFunctions)
          ? POLICIES.get(key)
          : undefined;
      if (!p)
        throw validationFailed(
          `Invalid deletion policy "${typeof delRaw === 'string' ? delRaw : pyRepr(delRaw)}"`,
        );
      deletionPolicy = p;
    }
    let condition: Expr = null;
    if (K.cond && Object.hasOwn(def, K.cond) && this.info.conditionFunctions) {
      condition = def[K.cond];
      checkCondition(condition, `${K.sect}.${name}.${K.cond}`, ctx);
      if (typeof condition === 'string' && !Object.hasOwn(this.conditionDefs, condition)) {
        throw validationFailed(`${K.sect}.${name}.${K.cond}: Invalid condition "${condition}"`);
      }
    }
    const externalId = K.ext && Object.hasOwn(def, K.ext) ? def[K.ext] : null;
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

  private dependsOn(name: string, v: unknown): string[] {
    if (v === null || v === undefined) return [];
    if (typeof v === 'string') return [v];
    const deps = this.info.type === 'hot' ? 'depends_on' : 'DependsOn';
    if (!Array.isArray(v))
      throw validationFailed(`Resource ${name} ${deps} type must be list or string`);
    if (!v.every((x) => typeof x === 'string')) {
      throw validationFailed(`Resource ${name} ${deps} must be a list of strings`);
    }
    return v as string[];
  }

  private loadOutput(name: string, def: unknown): OutputDefinition {
    const hot = this.info.type === 'hot';
    const sect = hot ? 'outputs' : 'Outputs';
    const valueKey = hot ? 'value' : 'Value';
    if (!isMap(def)) {
      throw validationFailed(
        `Output validation error: ${sect}.${name}: Output definitions must be a map. Found a ${pyTypeName(def)} instead`,
      );
    }
    if (!Object.hasOwn(def, valueKey)) {
      throw validationFailed(
        `Output validation error: ${sect}.${name}: Each output definition must contain a ${valueKey} key.`,
      );
    }
    const requires = new Set<string>();
    const ctx = this.checkContext((ref) => {
      if (typeof ref !== 'string' || !this.names.has(ref))
        throw invalidReference(typeof ref === 'string' ? ref : pyRepr(ref), 'unknown');
      requires.add(ref);
    });
    try {
      checkExpr(def[valueKey], `${sect}.${name}.${valueKey}`, ctx);
    } catch (e) {
      if (e instanceof HeatFault && e.type === 'StackValidationFailed') {
        throw validationFailed(`Output validation error: ${e.message}`);
      }
      throw e;
    }
    const dk = hot ? 'description' : 'Description';
    const ck = hot ? 'condition' : 'Condition';
    const d = def[dk];
    return {
      name,
      value: def[valueKey],
      description: d === undefined || d === null ? null : typeof d === 'string' ? d : pyRepr(d),
      condition: Object.hasOwn(def, ck) ? def[ck] : null,
      requires,
    };
  }

  /** Resolve a value fully, HOT and CFN functions per the version. */
  resolve(expr: Expr, scope: Scope): unknown {
    const ctx: ResolveContext = {
      fns: this.info.functions,
      resources: this.names,
      mappings: this.mappings,
      scope,
      condition: (c) =>
        conditionValue(c, this.info, this.conditionDefs, scope.parameter.bind(scope), (n) =>
          scope.condition(n),
        ),
    };
    return resolveExpr(expr, ctx);
  }

  /** Attributes a value reads (get_attr / Fn::GetAtt with a literal resource name). */
  attributeRefs(expr: Expr): AttributeRef[] {
    const out: AttributeRef[] = [];
    const seen = new Set<string>();
    const walk = (e: unknown, depth: number): void => {
      if (depth > 100) return;
      const call = asCall(e, this.info.functions);
      if (
        call &&
        ['get_attr_select', 'get_attr', 'get_attr_all', 'cfn_getatt'].includes(call.kind) &&
        Array.isArray(call.args)
      ) {
        const [r, a] = call.args;
        if (typeof r === 'string') {
          const attribute = typeof a === 'string' ? a : null;
          const key = `${r}\u0000${attribute}`;
          if (!seen.has(key)) {
            seen.add(key);
            out.push({ resource: r, attribute });
          }
        }
      }
      if (Array.isArray(e)) e.forEach((x) => walk(x, depth + 1));
      else if (isMap(e)) Object.keys(e).forEach((k) => walk(e[k], depth + 1));
    };
    walk(expr, 0);
    return out;
  }

  evaluateConditions(parameter: (name: string) => unknown): Map<string, boolean> {
    return evaluateConditions(this.info, this.conditionDefs, parameter);
  }

  functionList(withConditions: boolean): Array<{ functions: string; description: string }> {
    const all = new Map(this.info.functions);
    if (withConditions && this.info.conditionFunctions) {
      for (const [n, k] of this.info.conditionFunctions) all.set(n, k);
    }
    return [...all]
      .filter(([, k]) => k !== 'removed')
      .map(([n, k]) => ({ functions: n, description: describeFunction(k) }));
  }
}

/** Python's type(x).__name__ for a JSON value. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (isMap(v)) return 'dict';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return 'str';
}

function pyClass(v: unknown): string {
  return `<class '${pyTypeName(v)}'>`;
}

/** Waves of resource names: each wave needs only resources of earlier waves. */
export function dependencyWaves(resources: readonly ResourceDefinition[]): string[][] {
  const remaining = new Map(resources.map((r) => [r.name, new Set(r.requires)]));
  const waves: string[][] = [];
  while (remaining.size) {
    const wave = [...remaining].filter(([, req]) => req.size === 0).map(([n]) => n);
    if (!wave.length) {
      const text = [...remaining].map(([n, req]) => `${n}: {${[...req].join(', ')}}`).join(', ');
      throw new HeatFault('CircularDependencyException', `Circular Dependency Found: {${text}}`);
    }
    for (const n of wave) remaining.delete(n);
    for (const req of remaining.values()) for (const n of wave) req.delete(n);
    waves.push(wave);
  }
  return waves;
}
