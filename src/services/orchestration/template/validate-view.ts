/**
 * What `POST /validate` answers for a template that passed validation (heat/engine/service.py
 * validate_template with api.format_validate_parameter): CFN-style parameter descriptions,
 * the parameter groups, and the user's environment.
 */
import type { Environment } from './environment.js';
import { fromEntries, isMap } from './pyvalue.js';
import type { Template } from './template.js';
import type { ParameterSchema } from './types.js';

const API_TYPES: Record<ParameterSchema['type'], string> = {
  string: 'String',
  number: 'Number',
  comma_delimited_list: 'CommaDelimitedList',
  json: 'Json',
  boolean: 'Boolean',
};

/** Python's truth of a value (`if param.user_value:`). */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

function pick(o: Record<string, unknown>, k: string): unknown {
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

export function formatValidateParameter(
  s: ParameterSchema,
  userValue: unknown,
  userDefault: unknown,
): Record<string, unknown> {
  const res: Array<[string, unknown]> = [
    ['Type', API_TYPES[s.type]],
    ['Description', s.description ?? ''],
    ['NoEcho', s.hidden ? 'true' : 'false'],
    ['Label', s.label ?? s.name],
  ];
  const def = userDefault ?? s.default;
  if (def !== null && def !== undefined) res.push(['Default', def]);
  if (truthy(userValue)) res.push(['Value', userValue]);
  if (s.tags.length) res.push(['Tags', s.tags]);
  const descriptions: string[] = [];
  for (const c of s.constraints) {
    const v = c.value as Record<string, number>;
    if (c.kind === 'length') {
      if (v['min'] !== undefined) res.push(['MinLength', v['min']]);
      if (v['max'] !== undefined) res.push(['MaxLength', v['max']]);
    } else if (c.kind === 'range') {
      if (v['min'] !== undefined) res.push(['MinValue', v['min']]);
      if (v['max'] !== undefined) res.push(['MaxValue', v['max']]);
    } else if (c.kind === 'modulo') {
      res.push(['Step', v['step']], ['Offset', v['offset']]);
    } else if (c.kind === 'allowed_values') res.push(['AllowedValues', c.value]);
    else if (c.kind === 'allowed_pattern') res.push(['AllowedPattern', c.value]);
    else res.push(['CustomConstraint', c.value]);
    if (c.description) descriptions.push(c.description);
  }
  if (descriptions.length) res.push(['ConstraintDescription', descriptions.join(' ')]);
  return fromEntries(res);
}

/** The body of a successful validate: Description, Parameters, ParameterGroups, Environment. */
export function validateView(t: Template, env: Environment): Record<string, unknown> {
  const params = t.parameters.map(
    (s) =>
      [
        s.name,
        formatValidateParameter(
          s,
          pick(env.parameters, s.name),
          pick(env.parameter_defaults, s.name),
        ),
      ] as const,
  );
  const out: Array<[string, unknown]> = [
    ['Description', t.description],
    ['Parameters', fromEntries(params)],
  ];
  if (t.parameterGroups.length) out.push(['ParameterGroups', t.parameterGroups]);
  const registry = fromEntries([
    ['resources', {}],
    ...Object.keys(env.resource_registry).map((k) => [k, env.resource_registry[k]] as const),
  ]);
  out.push([
    'Environment',
    {
      parameters: env.parameters,
      resource_registry: registry,
      parameter_defaults: env.parameter_defaults,
      event_sinks: env.event_sinks,
    },
  ]);
  return fromEntries(out);
}

/** The environment as stored (env_as_dict): the user's sections plus encrypted_param_names. */
export function environmentAsDict(env: Environment): Record<string, unknown> {
  const registry = fromEntries([
    ['resources', {}],
    ...Object.keys(env.resource_registry).map((k) => [k, env.resource_registry[k]] as const),
  ]);
  return {
    resource_registry: registry,
    parameters: env.parameters,
    parameter_defaults: env.parameter_defaults,
    event_sinks: env.event_sinks,
    encrypted_param_names: env.encrypted_param_names,
  };
}

/** `stack environment show`: the stored environment, hidden parameters' values as '******'. */
export function environmentForShow(t: Template, env: Environment): Record<string, unknown> {
  const hidden = new Set(t.parameters.filter((p) => p.hidden).map((p) => p.name));
  const mask = (m: Record<string, unknown>): Record<string, unknown> =>
    fromEntries(Object.keys(m).map((k) => [k, hidden.has(k) ? '******' : m[k]] as const));
  return {
    ...environmentAsDict(env),
    parameters: mask(env.parameters),
    parameter_defaults: mask(env.parameter_defaults),
  };
}
