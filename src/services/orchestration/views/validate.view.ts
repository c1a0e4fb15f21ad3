/** `POST /validate`'s answer: heat/engine/service.py validate_template and api.py's format. */
import type { Environment, ParameterSchema, Template } from '../template/index.js';

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
  if (given !== undefined && given !== null && given !== '') out.Value = given;
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

export function validateView(
  t: Template,
  env: Environment,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const pick = (o: Record<string, unknown>, k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);
  const parameters: Record<string, unknown> = {};
  for (const p of t.parameters) {
    const value = pick(given, p.name) ?? pick(env.parameters, p.name);
    Object.defineProperty(parameters, p.name, {
      value: parameterView(p, value),
      enumerable: true,
      writable: true,
    });
  }
  const out: Record<string, unknown> = {
    Description: t.description,
    Parameters: parameters,
  };
  if (t.parameterGroups.length) out.ParameterGroups = t.parameterGroups;
  out.Environment = userEnvironment(env);
  return out;
}
