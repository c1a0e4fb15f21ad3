import { Kind } from '../../../vendor/typebox.js';
import { BadRequest } from '../../../errors.js';
import { boolFromString, isJsonObject } from '../../../http/input.js';
import { parse, type SchemaViolation, type Static, type TSchema } from '../../../http/schema.js';
import { invalidInput } from '../errors.js';

/**
 * Parses as Keystone's jsonschema would report it: when a value breaks several rules, the first
 * in jsonschema's order is named. Keystone's object schemas list `properties` before `required`
 * and `minProperties`, so a bad property is reported before a missing one; TypeBox reports the
 * missing one first. On failure, properties are checked one by one, in schema order, before
 * the object's own rules.
 */
export function keystoneParse<S extends TSchema>(schema: S, value: unknown): Static<S> {
  try {
    return parse(schema, value, invalidInput);
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    const first = firstViolation(schema, value);
    throw first ? invalidInput(first) : err;
  }
}

function violationOf(schema: TSchema, value: unknown): SchemaViolation | undefined {
  let found: SchemaViolation | undefined;
  try {
    parse(schema, value, (v) => {
      found = v;
      return new BadRequest(v.message);
    });
  } catch {
    // found holds it
  }
  return found;
}

function firstViolation(schema: TSchema, value: unknown): SchemaViolation | undefined {
  if (schema[Kind] === 'Union' && isJsonObject(value)) {
    const objects = (schema.anyOf as TSchema[]).filter((o) => o[Kind] === 'Object');
    if (objects.length === 1) return firstViolation(objects[0]!, value);
  }
  if (schema[Kind] === 'Object' && isJsonObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, TSchema>;
    for (const [key, sub] of Object.entries(properties)) {
      if (!Object.hasOwn(value, key)) continue;
      const inner = firstViolation(sub, value[key]);
      if (inner) return { ...inner, path: [key, ...inner.path] };
    }
  }
  if (schema[Kind] === 'Array' && Array.isArray(value)) {
    // jsonschema checks items before maxItems and uniqueItems.
    for (let i = 0; i < value.length; i++) {
      const inner = firstViolation(schema.items as TSchema, value[i]);
      if (inner) return { ...inner, path: [String(i), ...inner.path] };
    }
  }
  return violationOf(schema, value);
}

/**
 * The `{"<key>": {...}}` member of a create or update body, checked against its schema as
 * Keystone checks it: `request_body_json.get(key, {})`, so a missing member is checked as `{}`
 * ("'name' is a required property") and a null one fails the schema's type.
 */
export function member<S extends TSchema>(schema: S, body: unknown, key: string): Static<S> {
  const inner = isJsonObject(body) && Object.hasOwn(body, key) ? body[key] : {};
  return keystoneParse(schema, inner);
}

/** A request's query checked against its declared schema. */
export function query<S extends TSchema>(schema: S, value: unknown): Static<S> {
  return keystoneParse(schema, value ?? {});
}

/** A filter given once or repeated: Keystone applies each; the first is enough here. */
export function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A boolean filter as Keystone's SQL driver reads it (keystone.common.utils.attr_as_boolean):
 * oslo's false words are false, anything else, an empty value included, is true.
 */
export function boolFilter(value: string | string[] | undefined): boolean | undefined {
  const v = one(value);
  return v === undefined ? undefined : (boolFromString(v) ?? true);
}
