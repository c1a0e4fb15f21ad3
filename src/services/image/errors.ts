import { BadRequest, type DomainError } from '../../errors.js';
import { TITLES } from '../../http/titles.js';
import { pyRepr } from '../../http/pyrepr.js';
import type { SchemaViolation, ViolationRenderer } from '../../http/schema.js';

/**
 * Glance's errors are webob exceptions rendered as JSON: the message carries webob's body
 * template (`<explanation><br /><br />\n<detail>\n<comment>`), which clients print as-is.
 */
export function renderImageError(err: DomainError): unknown {
  const title = TITLES[err.status] ?? 'Error';
  return { message: `${err.message}<br /><br />\n\n\n`, code: `${err.status} ${title}`, title };
}

/**
 * Options a request schema may carry for Glance's wording: `message`, a text of the field's own
 * (Glance checks some bodies and queries by hand, each with its text; `%s` is the value as
 * Python's str() prints it); `missing`, its text when absent; `glanceEnum`, an enum's values and JSON types, which
 * jsonschema words as "is not of type" or "is not one of".
 */
export interface GlanceSchemaOptions {
  message?: string;
  /** The text when the property is absent (TypeBox reports that on the property's schema). */
  missing?: string;
  glanceEnum?: { values: readonly unknown[]; types: readonly string[] };
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function ownText(v: SchemaViolation): string | undefined {
  const { message, missing } = v.schema as GlanceSchemaOptions;
  if (missing !== undefined && v.message.endsWith(' is a required property')) return missing;
  if (typeof message !== 'string') return undefined;
  return message.replace('%s', typeof v.value === 'string' ? v.value : pyRepr(v.value));
}

/**
 * Glance's 400 for a body its jsonschema refused (glance/schema.py, InvalidObject):
 * "Provided object does not match schema '<name>': <jsonschema's message>". Glance appends
 * jsonschema's dump of the schema and instance; pocketstack sends the first line only.
 */
export function schemaViolation(name: string): ViolationRenderer {
  return (v) => {
    const own = ownText(v);
    if (own !== undefined) return new BadRequest(own);
    const { glanceEnum } = v.schema as GlanceSchemaOptions;
    let message = v.message;
    if (glanceEnum) {
      // jsonschema checks `type` before `enum`, and reports the first that fails.
      const { values, types } = glanceEnum;
      message = types.includes(jsonType(v.value))
        ? `${pyRepr(v.value)} is not one of ${pyRepr(values)}`
        : `${pyRepr(v.value)} is not of type ${types.map((t) => `'${t}'`).join(', ')}`;
    }
    return new BadRequest(`Provided object does not match schema '${name}': ${message}`);
  };
}

/** For inputs Glance checks by hand: each schema carries its text (`message`). */
export const ownViolation: ViolationRenderer = (v) => new BadRequest(ownText(v) ?? v.message);
