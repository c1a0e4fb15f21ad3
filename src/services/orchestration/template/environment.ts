/**
 * Environments (heat/common/environment_format.py, heat/engine/environment.py): sections,
 * merging, and the resource registry that maps a type to a built-in type or a template file.
 */
import { HeatFault } from '../errors.js';
import { isMap } from './pyvalue.js';

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

/** Validate a parsed environment body (a map) and fill in the missing sections. */
export function parseEnvironment(body: unknown): Environment {
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

/** The overlay's entries win; registry `resources` entries merge per resource. */
export function mergeEnvironments(base: Environment, overlay: Environment): Environment {
  const reg = { ...base.resource_registry, ...overlay.resource_registry };
  const br = base.resource_registry['resources'];
  const or = overlay.resource_registry['resources'];
  if (isMap(br) && isMap(or)) reg['resources'] = { ...br, ...or };
  return {
    parameters: { ...base.parameters, ...overlay.parameters },
    parameter_defaults: { ...base.parameter_defaults, ...overlay.parameter_defaults },
    resource_registry: reg,
    event_sinks: [...base.event_sinks, ...overlay.event_sinks],
    parameter_merge_strategies: {
      ...base.parameter_merge_strategies,
      ...overlay.parameter_merge_strategies,
    },
    encrypted_param_names: [...base.encrypted_param_names, ...overlay.encrypted_param_names],
  };
}

export type Lookup = { kind: 'builtin'; type: string } | { kind: 'template'; file: string };

const isTemplateName = (s: string): boolean => s.endsWith('.yaml') || s.endsWith('.template');

/** Type lookup: per-resource entries, exact entries, wildcards, then built-ins and files. */
export class ResourceRegistry {
  constructor(
    private readonly env: Record<string, unknown>,
    private readonly builtins: ReadonlySet<string>,
    private readonly files: ReadonlyMap<string, string>,
    private readonly global: Record<string, unknown> = {},
  ) {}

  lookup(type: string, resourceName: string): Lookup | null {
    const seen = new Set<string>();
    let t = type;
    for (let i = 0; i < 20; i++) {
      if (seen.has(t)) return null;
      seen.add(t);
      const mapped = this.entry(t, resourceName);
      if (mapped === undefined) break;
      if (isTemplateName(mapped) || this.files.has(mapped))
        return { kind: 'template', file: mapped };
      if (mapped === t) break;
      t = mapped;
    }
    if (this.builtins.has(t)) return { kind: 'builtin', type: t };
    if (this.files.has(t) || isTemplateName(t)) return { kind: 'template', file: t };
    return null;
  }

  private entry(type: string, resourceName: string): string | undefined {
    for (const reg of [this.env, this.global]) {
      const per = reg['resources'];
      if (isMap(per) && Object.hasOwn(per, resourceName) && isMap(per[resourceName])) {
        const r = per[resourceName] as Record<string, unknown>;
        if (Object.hasOwn(r, type) && typeof r[type] === 'string') return r[type] as string;
      }
      if (Object.hasOwn(reg, type) && typeof reg[type] === 'string') return reg[type] as string;
      for (const k of Object.keys(reg)) {
        if (k.endsWith('*') && type.startsWith(k.slice(0, -1))) {
          const v = reg[k];
          if (typeof v === 'string')
            return v.endsWith('*') ? v.slice(0, -1) + type.slice(k.length - 1) : v;
        }
      }
    }
    return undefined;
  }
}
