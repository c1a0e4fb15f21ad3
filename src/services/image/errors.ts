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
 * Python's str() prints it); `missing`, its text when absent; `glanceEnum`, the values of a nullable enum, which jsonschema
 * lists in its "is not one of" message.
 */
export interface GlanceSchemaOptions {
  message?: string;
  /** The text when the property is absent (TypeBox reports that on the property's schema). */
  missing?: string;
  glanceEnum?: readonly unknown[];
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
    const message =
      glanceEnum && typeof v.value === 'string'
        ? `${pyRepr(v.value)} is not one of ${pyRepr(glanceEnum)}`
        : v.message;
    return new BadRequest(`Provided object does not match schema '${name}': ${message}`);
  };
}

/** For inputs Glance checks by hand: each schema carries its text (`message`). */
export const ownViolation: ViolationRenderer = (v) => new BadRequest(ownText(v) ?? v.message);
