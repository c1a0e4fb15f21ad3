/**
 * A loaded template: version, sections and resource/output definitions, validated as Heat does
 * at stack create and validate (heat/engine/template.py, template_common.py, hot/template.py,
 * cfn/template.py), with resolution of values against a Scope.
 */
import { pyRepr } from '../../../http/pyrepr.js';
import { HeatFault, validationFailed } from '../errors.js';
import { checkCondition, type CheckContext } from './check.js';
import { evaluateConditions, conditionValue } from './conditions.js';
import { invalidVersion } from './fnerror.js';
import { loadOutput, loadResource, type DefnContext } from './definitions.js';
import { pyClass, pyTypeName } from './heat-path.js';
import { validateHotResources, validateParameterGroups } from './sections.js';
import { parseParameterSchemas } from './parameter-schema.js';
import { assertDepth, isMap } from './pyvalue.js';
import { resolveExpr, type ResolveContext } from './resolve.js';
import type {
  AttributeRef,
  Expr,
  OutputDefinition,
  ParameterSchema,
  ResourceDefinition,
  Scope,
} from './types.js';
import { functionList, VERSIONS, type VersionInfo } from './versions.js';
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
    // Parameter schemas are read when the stack is built, before Template.validate.
    this.parameters = parseParameterSchemas(sec('parameters', 'Parameters'), info);
    const sections = [...(hot ? HOT_SECTIONS : CFN_SECTIONS)];
    if (info.conditionFunctions) sections.push(hot ? 'conditions' : 'Conditions');
    for (const k of Object.keys(raw)) {
      if (!sections.includes(k)) {
        throw new HeatFault('InvalidTemplateSection', `The template section is invalid: ${k}`);
      }
    }
    const res = sec('resources', 'Resources') || {};
    if (!isMap(res)) {
      throw validationFailed(`Resources must contain Resource. Found a [${pyClass(res)}] instead`);
    }
    if (hot) validateHotResources(res, info);
    for (const n of Object.keys(res)) {
      const r = res[n];
      if (!isMap(r) && r) {
        throw validationFailed(`Resources must contain Resource. Found a [${pyClass(r)}] instead`);
      }
      if (!isMap(r) || !r[hot ? 'type' : 'Type']) {
        throw validationFailed('Each Resource must contain a Type key.');
      }
    }
    const desc = sec('description', 'Description');
    this.description =
      typeof desc === 'string' && desc ? desc : desc ? pyRepr(desc) : 'No description';
    this.parameterGroups = Array.isArray(raw['parameter_groups']) ? raw['parameter_groups'] : [];
    validateParameterGroups(raw['parameter_groups'], this.parameters, hot);
    this.mappings = isMap(raw['Mappings']) ? raw['Mappings'] : {};
    const ckey = hot ? 'conditions' : 'Conditions';
    const conds = Object.hasOwn(raw, ckey) ? raw[ckey] : {};
    if (!isMap(conds)) {
      throw validationFailed(
        'Conditions validation error: Condition definitions must be a map. ' +
          `Found a ${pyTypeName(conds)} instead`,
      );
    }
    this.conditionDefs = conds;
    this.names = new Set(Object.keys(res));
    const dc: DefnContext = {
      info,
      names: this.names,
      conditionNames: new Set(Object.keys(conds)),
      check: (onRef) => this.checkContext(onRef),
    };
    for (const name of Object.keys(conds)) {
      const path = `${hot ? 'conditions' : 'Conditions'}.${name}`;
      checkCondition(
        conds[name],
        path,
        this.checkContext(() => {}),
      );
    }
    this.resources = Object.keys(res).map((n) =>
      loadResource(n, res[n] as Record<string, unknown>, dc),
    );
    const dup = this.parameters.map((p) => p.name).filter((n) => this.names.has(n));
    if (dup.length) {
      throw validationFailed(`Duplicate names {${dup.map((n) => pyRepr(n)).join(', ')}}`);
    }
    const outs = sec('outputs', 'Outputs') || {};
    this.outputs = isMap(outs) ? Object.keys(outs).map((n) => loadOutput(n, outs[n], dc)) : [];
  }

  /** Validate `body` as Heat does at stack create/validate time. */
  static load(body: unknown, _files: ReadonlyMap<string, string>): Template {
    if (!isMap(body)) {
      throw validationFailed('The template is not a JSON object or YAML mapping.');
    }
    assertDepth(body);
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

  /** Resolve a value fully, HOT and CFN functions per the version. */
  resolve(expr: Expr, scope: Scope): unknown {
    const ctx: ResolveContext = {
      fns: this.info.functions,
      resources: this.names,
      parameters: this.parameterNames(),
      mappings: this.mappings,
      scope,
      condition: (c) =>
        conditionValue(
          c,
          this.info,
          this.conditionDefs,
          this.guard((n) => scope.parameter(n)),
          (n) => scope.condition(n),
        ),
    };
    return resolveExpr(expr, ctx);
  }

  /** A parameter reader that refuses names the template does not have, as Heat's map does. */
  private guard(parameter: (name: string) => unknown): (name: string) => unknown {
    const names = this.parameterNames();
    return (n) => {
      if (!names.has(n)) {
        throw new HeatFault('UserParameterMissing', `The Parameter (${n}) was not provided.`);
      }
      return parameter(n);
    };
  }

  /** Names get_param can read: the template's parameters and the version's pseudo ones. */
  private parameterNames(): ReadonlySet<string> {
    const pseudo =
      this.info.type === 'hot'
        ? ['OS::stack_id', 'OS::stack_name', 'OS::project_id']
        : ['AWS::StackId', 'AWS::StackName', 'AWS::Region'];
    return new Set([...pseudo, ...this.parameters.map((p) => p.name)]);
  }

  /** Whether a resource's or output's `condition` (a name, boolean or expression) holds. */
  conditionEnabled(condition: Expr, scope: Scope): boolean {
    if (condition === null || condition === undefined) return true;
    return conditionValue(
      condition,
      this.info,
      this.conditionDefs,
      this.guard((n) => scope.parameter(n)),
      (n) => scope.condition(n),
    );
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
    return evaluateConditions(this.info, this.conditionDefs, this.guard(parameter));
  }

  functionList(withConditions: boolean): Array<{ functions: string; description: string }> {
    return functionList(this.info, withConditions);
  }
}

/** Waves of resource names: each wave needs only resources of earlier waves. */
export function dependencyWaves(
  resources: readonly ResourceDefinition[],
  enabled?: ReadonlySet<string>,
): string[][] {
  // A resource whose condition is false is not in the stack; needing it is no edge (Heat).
  const inStack = resources.filter((r) => !enabled || enabled.has(r.name));
  const names = new Set(inStack.map((r) => r.name));
  const remaining = new Map(
    inStack.map((r) => [r.name, new Set([...r.requires].filter((n) => names.has(n)))]),
  );
  // Kahn's algorithm by waves: each name is looked at once per edge, not once per wave (a
  // chain of n resources is n waves).
  const order = new Map(inStack.map((r, i) => [r.name, i]));
  const dependents = new Map<string, string[]>();
  for (const [n, req] of remaining) {
    for (const r of req) {
      const list = dependents.get(r);
      if (list) list.push(n);
      else dependents.set(r, [n]);
    }
  }
  const waves: string[][] = [];
  let wave = [...remaining].filter(([, req]) => req.size === 0).map(([n]) => n);
  while (wave.length) {
    for (const n of wave) remaining.delete(n);
    const next: string[] = [];
    for (const n of wave) {
      for (const d of dependents.get(n) ?? []) {
        const req = remaining.get(d)!;
        req.delete(n);
        if (req.size === 0) next.push(d);
      }
    }
    waves.push(wave);
    wave = next.sort((a, b) => order.get(a)! - order.get(b)!);
  }
  if (remaining.size) {
    // Heat prints what is left of its graph, each resource as str(Resource) before the
    // stack is stored: '<Class> "<name>"'; the class is named after the type's last part.
    const types = new Map(inStack.map((r) => [r.name, r.type]));
    const show = (n: string): string => {
      const type = types.get(n) ?? '';
      return `${type.slice(type.lastIndexOf(':') + 1).replace(/\.(yaml|template)$/, '')} "${n}"`;
    };
    const text = [...remaining]
      .map(([n, req]) => `${show(n)}: {${[...req].map(show).join(', ')}}`)
      .join(', ');
    throw new HeatFault('CircularDependencyException', `Circular Dependency Found: {${text}}`);
  }
  return waves;
}
