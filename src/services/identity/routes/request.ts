import { boolFromString, isJsonObject } from '../../../http/input.js';
import { parse, type Static, type TSchema } from '../../../http/schema.js';
import { invalidInput } from '../errors.js';

/**
 * The `{"<key>": {...}}` member of a create or update body, checked against its schema as
 * Keystone checks it: `request_body_json.get(key, {})`, so a missing member is checked as `{}`
 * ("'name' is a required property") and a null one fails the schema's type.
 */
export function member<S extends TSchema>(schema: S, body: unknown, key: string): Static<S> {
  const inner = isJsonObject(body) && Object.hasOwn(body, key) ? body[key] : {};
  return parse(schema, inner, invalidInput);
}

/** A request's query checked against its declared schema. */
export function query<S extends TSchema>(schema: S, value: unknown): Static<S> {
  return parse(schema, value ?? {}, invalidInput);
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
