import { BadRequest, Forbidden, type DomainError } from '../../errors.js';
import { TITLES } from '../../http/titles.js';
import { pyRepr, pyStr } from '../../http/pyrepr.js';
import type { SchemaViolation } from '../../http/schema.js';

/** Keystone's error body: {"error": {"code", "title", "message"}}. */
export function renderIdentityError(err: DomainError): unknown {
  return {
    error: { code: err.status, title: TITLES[err.status] ?? 'Error', message: err.message },
  };
}

/**
 * A schema violation in Keystone's words (keystone/common/validation/validators.py):
 * "Invalid input for field '<path joined by />': <jsonschema message>", or the bare message when
 * the path is empty. Keystone prints str(ValidationError), whose further lines repeat the schema
 * and the instance; only the first line is kept (see README).
 */
export function invalidInput(v: SchemaViolation): BadRequest {
  const custom = (v.schema as { message?: unknown }).message;
  let message = typeof custom === 'string' ? custom : v.message;
  if (typeof custom !== 'string') {
    const schema = v.schema as { pattern?: unknown; minLength?: unknown };
    // jsonschema writes the pattern as Python's repr ('[\\S]+'), and a newer jsonschema words
    // an empty string against minLength 1 as "should be non-empty".
    if (/ does not match /.test(message) && typeof schema.pattern === 'string') {
      message = `${pyRepr(v.value)} does not match ${pyRepr(schema.pattern)}`;
    } else if (v.value === '' && schema.minLength === 1) {
      message = "'' should be non-empty";
    }
  }
  if (v.path.length === 0) return new BadRequest(message);
  return new BadRequest(`Invalid input for field '${v.path.join('/')}': ${message}`);
}

/** keystone.exception.ValidationError's text, for checks Keystone makes outside its schemas. */
export function expecting(attribute: unknown, target: string): BadRequest {
  return new BadRequest(
    `Expecting to find ${pyStr(attribute)} in ${target}. The server could not comply with the ` +
      'request since it is either malformed or otherwise incorrect. The client is assumed to ' +
      'be in error.',
  );
}

/** Keystone's policy refusal. */
export function notAuthorized(action: string): Forbidden {
  return new Forbidden(
    `You are not authorized to perform the requested action: identity:${action}.`,
  );
}
