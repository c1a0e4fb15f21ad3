import { BadRequest, NotFound } from '../../errors.js';
import type { SchemaViolation } from '../../http/schema.js';
import { pyStr } from '../../http/pyrepr.js';

/** Cinder's body for every error is Nova's fault body; the shared renderer draws it. */
export { renderFault as renderCinderFault } from '../../http/faults.js';

/**
 * A schema violation as cinder/api/validation/validators.py words it: the last key of the
 * path, the offending value as Python's str() prints it, and jsonschema's message. A schema
 * may carry `message` to keep a field's own Cinder text instead of jsonschema's.
 */
export function cinderViolation(v: SchemaViolation): BadRequest {
  const message = typeof v.schema.message === 'string' ? v.schema.message : v.message;
  if (v.path.length === 0) return new BadRequest(message);
  return new BadRequest(
    `Invalid input for field/attribute ${v.path.at(-1)!}. Value: ${pyStr(v.value)}. ${message}`,
  );
}

/** Cinder's InvalidInput: "Invalid input received: <reason>". */
export function invalidInput(reason: string): BadRequest {
  return new BadRequest(`Invalid input received: ${reason}`);
}

/** Cinder's InvalidVolume: "Invalid volume: <reason>". */
export function invalidVolume(reason: string): BadRequest {
  return new BadRequest(`Invalid volume: ${reason}`);
}

export function missingElement(key: string): BadRequest {
  return new BadRequest(`Missing required element '${key}' in request body.`);
}

export function volumeNotFound(id: string): NotFound {
  return new NotFound(`Volume ${id} could not be found.`);
}

export function snapshotNotFound(id: string): NotFound {
  return new NotFound(`Snapshot ${id} could not be found.`);
}

export function attachmentNotFound(id: string): NotFound {
  return new NotFound(`Volume attachment could not be found with filter: attachment_id = ${id}.`);
}

export function markerNotFound(marker: string): NotFound {
  return new NotFound(`Marker ${marker} could not be found.`);
}
