import { BadRequest } from '../../../errors.js';
import { Type } from '../../../http/schema.js';
import { isJsonObject, PARAMETER_BOOLEAN_WORDS } from '../../../http/input.js';
import { pyRepr, pyStr } from '../../../http/pyrepr.js';
import { badSize } from '../volume-create.js';
import { emptyMetadata, type Metadata } from '../types.js';

/** Cinder's ['string', 'null'] with a maximum length. */
export const NullableText = (maxLength: number) =>
  Type.Union([Type.String({ maxLength }), Type.Null()]);

/** parameter_types.boolean: a boolean or one of these words (not oslo's full set). */
const BOOL_WORDS = PARAMETER_BOOLEAN_WORDS;
export const CinderBoolean = Type.Union([
  Type.Boolean(),
  ...BOOL_WORDS.map((w) => Type.Literal(w)),
]);
/** parameter_types.optional_boolean; flat, so that a bad value gets jsonschema's oneOf text. */
export const OptionalBoolean = Type.Union([
  Type.Null(),
  Type.Boolean(),
  ...BOOL_WORDS.map((w) => Type.Literal(w)),
]);

/** A size in GiB as Cinder accepts it: a positive integer, or a string of one. */
export function sizeFrom(value: unknown): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) throw badSize(pyStr(value));
  return n;
}

function metadataError(field: string, value: unknown, message: string): BadRequest {
  return new BadRequest(
    `Invalid input for field/attribute ${field}. Value: ${pyStr(value)}. ${message}`,
  );
}

/** Metadata as Cinder's schema takes it: string keys of 1-255 characters, string values up to 255. */
export function metadataFrom(value: unknown, field = 'metadata'): Metadata {
  const out = emptyMetadata();
  if (value === undefined || value === null) return out;
  if (!isJsonObject(value))
    throw metadataError(field, value, `${pyRepr(value)} is not of type 'object'`);
  for (const [k, v] of Object.entries(value)) {
    if (k.length === 0 || k.length > 255)
      throw metadataError(field, value, 'Metadata property key must be 1 to 255 characters long.');
    if (typeof v !== 'string')
      throw metadataError(field, value, `${pyRepr(v)} is not of type 'string'`);
    if (v.length > 255)
      throw metadataError(
        field,
        value,
        'Metadata property value must be at most 255 characters long.',
      );
    out[k] = v;
  }
  return out;
}
