import { pyRepr, pyStr } from '../../../http/pyrepr.js';
import { HeatFault } from '../errors.js';
import type {
  PropertyConstraint,
  PropertySchema,
  Props,
  ResourceContext,
  ResourceType,
  Translation,
} from '../resources/types.js';

/** A custom constraint check over the services: null, or Heat's message for the value. */
export type ConstraintChecker = (
  name: string,
  value: unknown,
  rc: ResourceContext,
) => Promise<string | null>;

type Check = (name: string, value: unknown) => Promise<string | null>;

/**
 * A resource's resolved properties checked and converted as heat/engine/properties.py does:
 * deprecated names translated, unknown keys refused, defaults filled, types converted, then
 * each constraint. Errors are StackValidationFailed with Heat's path:
 * "Property error: resources.<r>.properties.<p>[0].<q>: <message>".
 */
export async function validateProperties(
  type: ResourceType,
  raw: unknown,
  resourceName: string,
  check: Check,
): Promise<Props> {
  const data = translate(raw ?? {}, type.translations ?? []);
  const prefix = ['resources', resourceName, 'properties'];
  if (!isMap(data)) throw propertyError(prefix, `"${pyStr(data)}" is not a map`);
  if (type.acceptsAnyProperties) return data;
  return (await mapValue(type.properties, data, prefix, check)) as Props;
}

async function mapValue(
  schema: Record<string, PropertySchema>,
  data: Record<string, unknown>,
  path: (string | number)[],
  check: Check,
): Promise<Record<string, unknown>> {
  for (const key of Object.keys(data)) {
    if (!Object.hasOwn(schema, key)) throw propertyError(path, `Unknown Property ${key}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema)) {
    const given = Object.hasOwn(data, key) ? data[key] : undefined;
    if (given === undefined) {
      if (prop.default !== undefined) out[key] = prop.default;
      else if (prop.required) throw propertyError(path, `Property ${key} not assigned`);
      else out[key] = null;
      continue;
    }
    out[key] = await value(prop, given, [...path, key], check);
  }
  return out;
}

async function value(
  prop: PropertySchema,
  given: unknown,
  path: (string | number)[],
  check: Check,
): Promise<unknown> {
  let v = given;
  if (v === null) v = prop.default ?? null;
  const converted = await convert(prop, v, path, check);
  if (converted !== null) {
    for (const c of prop.constraints ?? []) {
      const message = await constraintError(c, converted, check);
      if (message !== null) throw propertyError(path, message);
    }
  }
  return converted;
}

async function convert(
  prop: PropertySchema,
  v: unknown,
  path: (string | number)[],
  check: Check,
): Promise<unknown> {
  switch (prop.type) {
    case 'any':
      return v;
    case 'string':
      if (v === null) return prop.required ? '' : null;
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return pyStr(v);
      throw propertyError(path, `Value must be a string; got ${pyRepr(v)}`);
    case 'integer': {
      if (v === null) return null;
      const n = typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v) ? Number(v) : v;
      if (typeof n === 'number' && Number.isInteger(n)) return n;
      throw propertyError(path, `Value '${pyStr(v)}' is not an integer`);
    }
    case 'number': {
      if (v === null) return null;
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n === 'number' && Number.isFinite(n)) return n;
      throw propertyError(path, `Value "${pyStr(v)}" is invalid for data type "number".`);
    }
    case 'boolean':
      if (v === null) return null;
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') {
        const word = v.toLowerCase();
        if (word === 'true' || word === 'false') return word === 'true';
        throw propertyError(path, `"${word}" is not a valid boolean`);
      }
      throw propertyError(path, `"${pyStr(v)}" is not a valid boolean`);
    case 'map':
      if (v === null) return null;
      if (!isMap(v)) throw propertyError(path, `"${pyStr(v)}" is not a map`);
      return prop.schema ? mapValue(prop.schema, v, path, check) : v;
    case 'list': {
      if (v === null) return null;
      if (!Array.isArray(v)) throw propertyError(path, `"${pyRepr(v)}" is not a list`);
      const item = prop.schema?.['*'];
      if (!item) return v;
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) out.push(await value(item, v[i], [...path, i], check));
      return out;
    }
  }
}

/** constraints.py's messages; a constraint's own description replaces them. */
async function constraintError(
  c: PropertyConstraint,
  v: unknown,
  check: Check,
): Promise<string | null> {
  const fail = (message: string) => c.description ?? message;
  const bound = (x: number | undefined) => (x === undefined ? 'None' : pyStr(x));
  switch (c.kind) {
    case 'allowed_values':
      return c.values.some((a) => a === v || pyStr(a) === pyStr(v))
        ? null
        : fail(
            `"${pyStr(v)}" is not an allowed value [${c.values.map((a) => pyStr(a)).join(', ')}]`,
          );
    case 'range': {
      const n = Number(v);
      return (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max)
        ? null
        : fail(`${pyStr(v)} is out of range (min: ${bound(c.min)}, max: ${bound(c.max)})`);
    }
    case 'length': {
      const len =
        typeof v === 'string' || Array.isArray(v) ? v.length : Object.keys(v as object).length;
      return (c.min === undefined || len >= c.min) && (c.max === undefined || len <= c.max)
        ? null
        : fail(`length (${len}) is out of range (min: ${bound(c.min)}, max: ${bound(c.max)})`);
    }
    case 'allowed_pattern': {
      const s = pyStr(v);
      const m = new RegExp(c.pattern).exec(s);
      return m && m.index === 0 && m[0] === s
        ? null
        : fail(`"${s}" does not match pattern "${c.pattern}"`);
    }
    case 'modulo': {
      const n = Number(v);
      return n % c.step === c.offset
        ? null
        : fail(`${pyStr(v)} is not a multiple of ${c.step} with an offset of ${c.offset})`);
    }
    case 'custom_constraint': {
      const message = await check(c.name, v);
      if (message === null) return null;
      return c.description ?? `Error validating value '${pyStr(v)}': ${message}`;
    }
  }
}

/** Deprecated names moved to their replacements, at any depth (`fixed_ips.*.subnet_id`). */
function translate(data: unknown, rules: Translation[]): unknown {
  let out = data;
  for (const rule of rules) out = move(out, rule.from, rule.to);
  return out;
}

function move(data: unknown, from: string[], to: string): unknown {
  const [head, ...rest] = from;
  if (head === undefined) return data;
  if (head === '*') {
    return Array.isArray(data) ? data.map((item) => move(item, rest, to)) : data;
  }
  if (!isMap(data) || !Object.hasOwn(data, head)) return data;
  if (rest.length > 0) return { ...data, [head]: move(data[head], rest, to) };
  const copy: Record<string, unknown> = { ...data };
  const old = copy[head];
  delete copy[head];
  if (!Object.hasOwn(copy, to) || copy[to] === null || copy[to] === undefined) copy[to] = old;
  return copy;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** HeatExceptionWithPath's text: list indexes as [n], keys joined with dots. */
function propertyError(path: (string | number)[], message: string): HeatFault {
  let text = '';
  for (const item of path) {
    if (typeof item === 'number') text += `[${item}]`;
    else text += text === '' ? item : `.${item}`;
  }
  return new HeatFault('StackValidationFailed', `Property error: ${text}: ${message}`);
}
