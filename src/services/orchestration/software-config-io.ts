import { pyRepr } from '../../http/pyrepr.js';
import { HeatFault } from './errors.js';

/**
 * The inputs and outputs of a software config, checked and normalised as Heat's
 * heat/engine/software_config_io.py does (InputConfig/OutputConfig over a properties schema),
 * with its texts. What is stored is `as_dict()`: the keys that have a value, `replace_on_change`
 * only when true, an input's `value` when one was given.
 */

export const IO_TYPES = ['String', 'Number', 'CommaDelimitedList', 'Json', 'Boolean'] as const;

const INPUT_KEYS = ['name', 'description', 'type', 'default', 'replace_on_change'];
const OUTPUT_KEYS = ['name', 'description', 'type', 'error_output'];

export type IoConfig = Record<string, unknown>;

/** check_io_schema_list: a TypeError in Heat, which its API answers with the message. */
export function checkIoSchemaList(configs: unknown): IoConfig[] {
  if (!Array.isArray(configs)) throw ioTypeError('Software Config I/O Schema must be in a list');
  if (!configs.every(isMap)) throw ioTypeError('Software Config I/O Schema must be a dict');
  return configs as IoConfig[];
}

export function inputConfig(config: IoConfig): IoConfig {
  const { value, ...rest } = config;
  const hasValue = Object.hasOwn(config, 'value');
  const out = ioConfig(rest, INPUT_KEYS, (key, v) => {
    if (key === 'default') return typedDefault(rest, v);
    if (key === 'replace_on_change') return bool(key, v);
    return undefined;
  });
  if (out.replace_on_change !== true) delete out.replace_on_change;
  if (hasValue) out.value = value;
  return out;
}

export function outputConfig(config: IoConfig): IoConfig {
  return ioConfig(config, OUTPUT_KEYS, (key, v) =>
    key === 'error_output' ? bool(key, v) : undefined,
  );
}

/** Properties(schema, config).validate() then as_dict(), in the schema's key order. */
function ioConfig(
  config: IoConfig,
  keys: string[],
  special: (key: string, value: unknown) => unknown,
): IoConfig {
  for (const key of Object.keys(config)) {
    if (!keys.includes(key)) throw propertyError(`Unknown Property ${key}`);
  }
  const out: IoConfig = {};
  for (const key of keys) {
    const given = Object.hasOwn(config, key) ? config[key] : undefined;
    if (key === 'name' && (given === undefined || given === null)) {
      throw propertyError('Property name not assigned');
    }
    let value: unknown = given ?? defaultOf(key);
    if (value === undefined) continue;
    const converted = special(key, value);
    if (converted !== undefined) value = converted;
    else if (key !== 'default') value = str(key, value);
    if (key === 'type' && !(IO_TYPES as readonly unknown[]).includes(value)) {
      const allowed = IO_TYPES.map((t) => JSON.stringify(t)).join(', ');
      throw propertyError(`${JSON.stringify(value)} is not an allowed value [${allowed}]`, key);
    }
    out[key] = value;
  }
  return out;
}

function defaultOf(key: string): unknown {
  if (key === 'type') return 'String';
  if (key === 'replace_on_change' || key === 'error_output') return false;
  return undefined;
}

/** properties.Schema STRING: booleans and integers become text, anything else is refused. */
function str(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  throw propertyError(`Value must be a string; got ${pyRepr(value)}`, key);
}

/** Heat's _get_bool: only true/false or their words; other types are a TypeError. */
function bool(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const word = value.toLowerCase();
    if (word === 'true' || word === 'false') return word === 'true';
    throw propertyError(`"${word}" is not a valid boolean`, key);
  }
  throw ioTypeError(`"${pyRepr(value)}" is not a valid boolean`);
}

/**
 * An input's default is checked against its own type (parameters.Schema.from_dict), except the
 * legacy empty-string default of a non-String input, which Heat lets through unchecked.
 */
function typedDefault(config: IoConfig, value: unknown): unknown {
  const type = Object.hasOwn(config, 'type') ? config.type : undefined;
  if (type === undefined) return value;
  if (value === '' && type !== 'String') return value;
  switch (type) {
    case 'String':
      return str('default', value);
    case 'Number':
      return number(value);
    case 'Boolean':
      return bool('default', value);
    case 'CommaDelimitedList':
      if (typeof value === 'string') return value.split(',').map((s) => s.trim());
      if (Array.isArray(value)) return value;
      throw propertyError(`"${pyRepr(value)}" is not a list`, 'default');
    case 'Json':
      if (typeof value === 'string') return parseJson(value);
      if (isMap(value) || Array.isArray(value)) return value;
      throw propertyError(`"${pyRepr(value)}" is not a map`, 'default');
    default:
      return value;
  }
}

function number(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  throw propertyError(`could not convert string to float: ${pyRepr(value)}`, 'default');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw propertyError(`Value must be valid JSON: ${text}`, 'default');
  }
}

function isMap(v: unknown): v is IoConfig {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The ValueError IOConfig raises from StackValidationFailed: "Property error: [path: ]msg". */
function propertyError(message: string, path?: string): HeatFault {
  return new HeatFault('ValueError', `Property error: ${path ? `${path}: ` : ''}${message}`);
}

/**
 * Heat raises TypeError, which its fault map answers with a 500; a client's bad input gets a
 * 400 here with the same type and text (the codebase's rule: bad input is never a 5xx).
 */
function ioTypeError(message: string): HeatFault {
  return new HeatFault('TypeError', message, 400);
}
