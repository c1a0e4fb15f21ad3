/**
 * Merging `environment_files` into a stack's environment on the server, as
 * heat/common/environment_util.py merge_environments does: each file parsed in order, its
 * `parameters` and `parameter_defaults` merged per `parameter_merge_strategies` (overwrite,
 * merge, deep_merge), the other sections merged key by key.
 */
import { HeatFault } from '../errors.js';
import { type Environment, parseEnvironment } from './environment.js';
import { fromEntries, isMap, pyJsonDumps } from './pyvalue.js';
import type { ParameterSchema } from './types.js';

type Strategy = 'overwrite' | 'merge' | 'deep_merge';
const STRATEGIES: readonly string[] = ['overwrite', 'merge', 'deep_merge'];

function valueError(message: string): HeatFault {
  return new HeatFault('ValueError', message, 400);
}

function strategyFor(
  inFile: Record<string, unknown>,
  key: string,
  known: Map<string, Strategy>,
): Strategy {
  const def = typeof inFile['default'] === 'string' ? inFile['default'] : 'overwrite';
  const s = Object.hasOwn(inFile, key) ? inFile[key] : (known.get(key) ?? def);
  return (STRATEGIES.includes(s as string) ? s : def) as Strategy;
}

function mergeList(old: unknown, v: unknown): unknown {
  if (!old || (Array.isArray(old) && old.length === 0)) return v;
  if (Array.isArray(v)) return Array.isArray(old) ? [...old, ...v] : v;
  return `${typeof old === 'string' ? old : pyJsonDumps(old)},${typeof v === 'string' ? v : pyJsonDumps(v)}`;
}

export function mergeMap(
  old: unknown,
  update: Record<string, unknown>,
  deep = false,
): Record<string, unknown> {
  if (!isMap(old) || Object.keys(old).length === 0) return update;
  const out = new Map(Object.entries(old));
  for (const k of Object.keys(update)) {
    const v = update[k];
    if (v === null || v === undefined) continue;
    const prev = out.get(k);
    if (!deep) out.set(k, v);
    else if (isMap(v)) out.set(k, prev ? mergeMap(prev, v, true) : v);
    else if (Array.isArray(v)) out.set(k, prev ? mergeList(prev, v) : v);
    else if (typeof v === 'string') out.set(k, (typeof prev === 'string' ? prev : '') + v);
    else out.set(k, v);
  }
  return fromEntries(out);
}

function parseParam(v: unknown, s: ParameterSchema): unknown {
  if (s.type === 'json') {
    try {
      return typeof v === 'string' ? (v ? JSON.parse(v) : v) : v;
    } catch (e) {
      throw valueError(`Invalid parameter in environment ${(e as Error).message}.`);
    }
  }
  if (typeof v !== 'string' && !Array.isArray(v))
    throw valueError('Invalid parameter in environment .');
  return v;
}

function mergeParameters(
  old: Record<string, unknown>,
  update: Record<string, unknown>,
  schemata: ReadonlyMap<string, ParameterSchema>,
  inFile: Record<string, unknown>,
  known: Map<string, Strategy>,
  file: string,
): Record<string, unknown> {
  for (const k of Object.keys(update)) {
    if (!schemata.has(k) || update[k] === null || update[k] === undefined) continue;
    const s = strategyFor(inFile, k, known);
    if (!known.has(k)) known.set(k, s);
    else if (known.get(k) !== s) {
      throw new HeatFault(
        'ConflictingMergeStrategyForParam',
        `Conflicting merge strategy '${s}' for parameter '${k}' in file '${file}'.`,
        400,
      );
    }
  }
  if (Object.keys(old).length === 0) return update;
  const out = new Map(Object.entries(old));
  for (const k of Object.keys(update)) {
    const schema = schemata.get(k);
    const v = update[k];
    if (!schema || v === null || v === undefined) continue;
    const s = known.get(k)!;
    if (s === 'overwrite') {
      out.set(k, v);
      continue;
    }
    const p = parseParam(v, schema);
    const prev = out.get(k);
    if (schema.type === 'json')
      out.set(k, mergeMap(prev ?? {}, p as Record<string, unknown>, s === 'deep_merge'));
    else if (schema.type === 'comma_delimited_list') out.set(k, mergeList(prev, p));
    else if (schema.type === 'string')
      out.set(k, (typeof prev === 'string' ? prev : '') + (p as string));
    else {
      throw new HeatFault(
        'InvalidMergeStrategyForParam',
        `Invalid merge strategy 'merge' for parameter '${k}'.`,
        400,
      );
    }
  }
  return fromEntries(out);
}

/** Merge each named file of `files` into `base`, in order. */
export function mergeEnvironmentFiles(
  names: readonly string[],
  files: ReadonlyMap<string, string>,
  base: Environment,
  schemata: readonly ParameterSchema[],
): Environment {
  const bySchema = new Map(schemata.map((s) => [s.name, s]));
  const known = new Map<string, Strategy>();
  let env: Environment = { ...base };
  for (const name of names) {
    const text = files.get(name);
    if (text === undefined) throw valueError(`No content found in the "files" section for ${name}`);
    let parsed: Environment;
    try {
      parsed = parseEnvironment(text);
    } catch (e) {
      throw e instanceof HeatFault
        ? valueError(e.message.replace(/^Environment not in valid format: /, ''))
        : e;
    }
    const inFile = parsed.parameter_merge_strategies;
    const next = { ...env };
    if (Object.keys(parsed.parameters).length) {
      next.parameters = mergeParameters(
        env.parameters,
        parsed.parameters,
        bySchema,
        inFile,
        known,
        name,
      );
    }
    if (Object.keys(parsed.parameter_defaults).length) {
      next.parameter_defaults = mergeParameters(
        env.parameter_defaults,
        parsed.parameter_defaults,
        bySchema,
        inFile,
        known,
        name,
      );
    }
    if (Object.keys(parsed.resource_registry).length) {
      next.resource_registry = mergeMap(env.resource_registry, parsed.resource_registry);
    }
    if (parsed.event_sinks.length) next.event_sinks = parsed.event_sinks;
    if (parsed.encrypted_param_names.length)
      next.encrypted_param_names = parsed.encrypted_param_names;
    env = next;
  }
  return env;
}
