import { BadRequest } from '../../errors.js';
import { pyStr } from '../../http/pyrepr.js';
import type { SchemaViolation, TSchema } from '../../http/schema.js';

/**
 * A schema option: the text a field gives instead of jsonschema's, for the fields whose text
 * pocketstack fixed before it had schemas (given the offending value).
 */
export interface NovaText {
  novaMessage?: (value: unknown) => string;
}

/** A missing or unexpected property is about its object, not the field's own text. */
const OBJECT_MESSAGE = /is a required property$|^Additional properties are not allowed/;

function messageOf(v: SchemaViolation): string {
  const custom = (v.schema as TSchema & NovaText).novaMessage;
  return typeof custom === 'function' && !OBJECT_MESSAGE.test(v.message)
    ? custom(v.value)
    : v.message;
}

/**
 * Nova's wording of a body violation (nova/api/validation/validators.py): the last key of the
 * path, str() of the offending value, jsonschema's message; a violation at the root is the
 * message alone.
 */
export function invalidBody(v: SchemaViolation): BadRequest {
  const message = messageOf(v);
  const field = v.path.at(-1);
  if (field === undefined) return new BadRequest(message);
  return invalidField(field, v.value, message);
}

/** "Invalid input for field/attribute X. Value: V. msg", for checks made after the schema. */
export function invalidField(field: string, value: unknown, message: string): BadRequest {
  return new BadRequest(
    `Invalid input for field/attribute ${field}. Value: ${pyStr(value)}. ${message}`,
  );
}

/**
 * Nova's wording of a query violation: query values are lists (webob's dict_of_lists), so the
 * first key of the path is the parameter's name and the value is the offending item.
 */
export function invalidQuery(v: SchemaViolation): BadRequest {
  const message = messageOf(v);
  const param = v.path[0];
  if (param === undefined) return new BadRequest(message);
  return new BadRequest(
    `Invalid input for query parameters ${param}. Value: ${pyStr(v.value)}. ${message}`,
  );
}
