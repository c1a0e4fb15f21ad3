/**
 * Environments (heat/common/environment_format.py, heat/engine/environment.py): sections,
 * merging, and the resource registry that maps a type to a built-in type or a template file.
 */
import { HeatFault } from '../errors.js';
import { loadYaml } from './format.js';
import { fromEntries, isMap } from './pyvalue.js';

export interface Environment {
  parameters: Record<string, unknown>;
  parameter_defaults: Record<string, unknown>;
  resource_registry: Record<string, unknown>;
  event_sinks: unknown[];
  parameter_merge_strategies: Record<string, unknown>;
  encrypted_param_names: string[];
}

const SECTIONS = [
  'parameters',
  'resource_registry',
  'parameter_defaults',
  'encrypted_param_names',
  'event_sinks',
  'parameter_merge_strategies',
];

function bad(msg: string): HeatFault {
  return new HeatFault('HTTPBadRequest', `Environment not in valid format: ${msg}`, 400);
}

export function emptyEnvironment(): Environment {
  return {
    parameters: {},
    parameter_defaults: {},
    resource_registry: {},
    event_sinks: [],
    parameter_merge_strategies: {},
    encrypted_param_names: [],
  };
}

/**
 * Validate an environment (a map, or YAML text as environment_format.parse reads it) and fill
 * in the missing sections.
 */
export function parseEnvironment(body: unknown): Environment {
  if (typeof body === 'string') {
    try {
      body = loadYaml(body) ?? {};
    } catch (e) {
      throw bad((e as Error).message);
    }
  }
  if (body === null || body === undefined) return emptyEnvironment();
  if (!isMap(body)) throw bad('The environment is not a valid YAML mapping data type.');
  for (const k of Object.keys(body)) {
    if (!SECTIONS.includes(k)) throw bad(`environment has wrong section "${k}"`);
    if (body[k] === null || body[k] === undefined)
      throw bad(`environment has empty section "${k}"`);
  }
  const env = emptyEnvironment();
  const map = (k: string): Record<string, unknown> => (isMap(body[k]) ? { ...body[k] } : {});
  env.parameters = map('parameters');
  env.parameter_defaults = map('parameter_defaults');
  env.resource_registry = map('resource_registry');
  env.parameter_merge_strategies = map('parameter_merge_strategies');
  env.event_sinks = Array.isArray(body['event_sinks']) ? body['event_sinks'] : [];
  env.encrypted_param_names = Array.isArray(body['encrypted_param_names'])
    ? (body['encrypted_param_names'] as string[])
    : [];
  return env;
}

/**
 * Overlay one environment on another as heatclient does with `-e` files (deep_update): maps
 * merge key by key at every level, anything else replaces, and a null never erases a map.
 */
export function mergeEnvironments(base: Environment, overlay: Environment): Environment {
  const merged = deepUpdate(base, { ...overlay }, 0);
  return { ...emptyEnvironment(), ...merged } as Environment;
}

function deepUpdate(
  old: unknown,
  update: Record<string, unknown>,
  depth: number,
): Record<string, unknown> {
  if (depth > 50) throw bad('environment nesting is too deep');
  const out = new Map(isMap(old) ? Object.entries(old) : []);
  for (const k of Object.keys(update)) {
    const v = update[k];
    if (isMap(v)) out.set(k, deepUpdate(out.get(k) ?? {}, v, depth + 1));
    else if ((v === null || v === undefined) && isMap(out.get(k))) continue;
    else out.set(k, v);
  }
  return fromEntries(out);
}
