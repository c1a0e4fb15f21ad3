/** `POST /validate`'s answer: heat/engine/service.py validate_template and api.py's format. */
import { HeatFault } from '../errors.js';
import {
  parseTemplateText,
  Template,
  type Environment,
  type ParameterSchema,
} from '../template/index.js';
import { isMap } from '../template/pyvalue.js';

const API_TYPES: Record<ParameterSchema['type'], string> = {
  string: 'String',
  number: 'Number',
  comma_delimited_list: 'CommaDelimitedList',
  json: 'Json',
  boolean: 'Boolean',
};

/** format_validate_parameter: type, description, NoEcho, label, default, value, constraints. */
function parameterView(p: ParameterSchema, given: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Type: API_TYPES[p.type],
    Description: p.description ?? '',
    NoEcho: p.hidden ? 'true' : 'false',
    Label: p.label ?? p.name,
  };
  if (p.default !== undefined && p.default !== null) out.Default = p.default;
  if (pyTruthy(given)) out.Value = given;
  if (p.tags.length) out.Tags = p.tags;
  const descriptions: string[] = [];
  for (const c of p.constraints) {
    const v = c.value as Record<string, unknown>;
    if (c.kind === 'length') {
      if (v.min !== undefined && v.min !== null) out.MinLength = v.min;
      if (v.max !== undefined && v.max !== null) out.MaxLength = v.max;
    } else if (c.kind === 'range') {
      if (v.min !== undefined && v.min !== null) out.MinValue = v.min;
      if (v.max !== undefined && v.max !== null) out.MaxValue = v.max;
    } else if (c.kind === 'modulo') {
      out.Step = v.step;
      out.Offset = v.offset;
    } else if (c.kind === 'allowed_values') out.AllowedValues = c.value;
    else if (c.kind === 'allowed_pattern') out.AllowedPattern = c.value;
    else if (c.kind === 'custom_constraint') out.CustomConstraint = c.value;
    if (c.description) descriptions.push(c.description);
  }
  if (descriptions.length) out.ConstraintDescription = descriptions.join(' ');
  return out;
}

/** user_env_as_dict: the environment as the user gave it, without encrypted_param_names. */
function userEnvironment(env: Environment): Record<string, unknown> {
  return {
    parameters: env.parameters,
    resource_registry: { resources: {}, ...env.resource_registry },
    parameter_defaults: env.parameter_defaults,
    event_sinks: env.event_sinks,
  };
}

/** A resource type that names a template: a file given in `files` or a .yaml/.template name. */
function isTemplateType(type: string, files: Record<string, string>): boolean {
  return Object.hasOwn(files, type) || type.endsWith('.yaml') || type.endsWith('.template');
}

function loadChecked(
  raw: Record<string, unknown>,
  files: Record<string, string>,
  known: (type: string) => boolean,
): Template {
  const t = Template.load(raw, new Map(Object.entries(files)));
  for (const res of t.resources) {
    if (!known(res.type) && !isTemplateType(res.type, files)) {
      throw new HeatFault(
        'StackValidationFailed',
        `Failed to validate: resources.${res.name}: The Resource Type (${res.type}) could not be found.`,
      );
    }
  }
  return t;
}

function parametersOf(t: Template, values: (name: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of t.parameters) {
    Object.defineProperty(out, p.name, {
      value: parameterView(p, values(p.name)),
      enumerable: true,
      writable: true,
    });
  }
  return out;
}

/** A property as the nested stack gets it: literals, and get_param of the parent's values. */
function propertyValue(v: unknown, parent: (name: string) => unknown): unknown {
  if (isMap(v) && Object.keys(v).length === 1 && typeof v.get_param === 'string') {
    return parent(v.get_param);
  }
  return isMap(v) || Array.isArray(v) ? undefined : v;
}

/** show_nested: each template resource's description, parameters and its own nested ones. */
function nestedParameters(
  t: Template,
  files: Record<string, string>,
  known: (type: string) => boolean,
  values: (name: string) => unknown,
  depth: number,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const res of t.resources) {
    if (known(res.type) || !Object.hasOwn(files, res.type) || depth > 10) continue;
    const nested = loadChecked(
      parseTemplateText(files[res.type]!) as Record<string, unknown>,
      files,
      known,
    );
    const props = isMap(res.properties) ? res.properties : {};
    const given = (name: string) =>
      Object.hasOwn(props, name) ? propertyValue(props[name], values) : undefined;
    const entry: Record<string, unknown> = {
      Description: nested.description,
      Parameters: parametersOf(nested, given),
    };
    const deeper = nestedParameters(
      nested,
      files,
      known,
      (n) => given(n) ?? defaultOf(nested, n),
      depth + 1,
    );
    if (deeper) entry.NestedParameters = deeper;
    entry.Type = res.type;
    Object.defineProperty(out, res.name, { value: entry, enumerable: true, writable: true });
  }
  return Object.keys(out).length ? out : null;
}

function defaultOf(t: Template, name: string): unknown {
  return t.parameters.find((p) => p.name === name)?.default;
}

/** What `POST /validate` is given. */
export interface ValidateInput {
  template: Record<string, unknown>;
  environment: Environment;
  files: Record<string, string>;
  parameters: Record<string, unknown>;
  showNested: boolean;
}

/** validate_template's answer for a template, its environment, files and parameters. */
export function validateView(
  input: ValidateInput,
  known: (type: string) => boolean,
): Record<string, unknown> {
  const { environment: env, files } = input;
  const t = loadChecked(input.template, files, known);
  const pick = (o: Record<string, unknown>, k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);
  const given = (name: string) => pick(input.parameters, name) ?? pick(env.parameters, name);
  const out: Record<string, unknown> = {
    Description: t.description,
    Parameters: parametersOf(t, given),
  };
  if (t.parameterGroups.length) out.ParameterGroups = t.parameterGroups;
  if (input.showNested) {
    const nested = nestedParameters(t, files, known, (n) => given(n) ?? defaultOf(t, n), 0);
    if (nested) out.NestedParameters = nested;
  }
  // Template resources join the registry, as loading them registers each file under its name.
  const registry: Record<string, unknown> = { ...env.resource_registry };
  for (const res of t.resources) {
    if (!known(res.type) && isTemplateType(res.type, files) && !Object.hasOwn(registry, res.type)) {
      Object.defineProperty(registry, res.type, {
        value: res.type,
        enumerable: true,
        writable: true,
      });
    }
  }
  out.Environment = userEnvironment({ ...env, resource_registry: registry });
  return out;
}

/** Python's truth of a JSON value (format_validate_parameter shows a Value only when truthy). */
function pyTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}
