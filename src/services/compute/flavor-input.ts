import { randomUUID } from 'node:crypto';
import type { FlavorRow } from '../../store/schema.js';
import { BadRequest } from '../../errors.js';
import { isoNow } from '../../util.js';

// How Nova's JSON schema for flavors (nova/api/openstack/compute/schemas/flavor_manage.py) takes
// a create body: numbers may come as strings, ids are strings or integers or generated.
const MAX_INT = 2147483647;
const ID_PATTERN = /^(?! )[a-zA-Z0-9. _-]+(?<! )$/;
export const TRUE_WORDS = ['true', '1', 'on', 'yes', 't', 'y'];
export const FALSE_WORDS = ['false', '0', 'off', 'no', 'f', 'n'];

export function invalid(field: string, value: unknown, why: string): BadRequest {
  return new BadRequest(
    `Invalid input for field/attribute ${field}. Value: ${typeof value === 'string' ? value : JSON.stringify(value)}. ${why}`,
  );
}

/** An integer given as a number or a string of digits, as Nova's flavor schema takes it. */
function flavorInt(
  body: Record<string, unknown>,
  field: string,
  min: number,
  fallback?: number,
): number {
  const value = body[field];
  if (value === undefined || value === '') {
    if (fallback !== undefined) return fallback;
    throw new BadRequest(
      `Invalid input for field/attribute flavor. Value: ${JSON.stringify(body)}. '${field}' is a required property`,
    );
  }
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw invalid(field, value, `${JSON.stringify(value)} is not of type 'integer', 'string'`);
  if (n < min) throw invalid(field, value, `${n} is less than the minimum of ${min}`);
  if (n > MAX_INT) throw invalid(field, value, `${n} is greater than the maximum of ${MAX_INT}`);
  return n;
}

/** oslo's bool_from_string in strict mode: the words Nova accepts for a boolean. */
function parseBool(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).toLowerCase();
  if (TRUE_WORDS.includes(text)) return true;
  if (FALSE_WORDS.includes(text)) return false;
  throw invalid(field, value, `${JSON.stringify(value)} is not one of the accepted boolean values`);
}

export function checkDescription(description: unknown): void {
  if (description !== null && (typeof description !== 'string' || description.length > 65535)) {
    throw invalid(
      'description',
      description,
      'The description must be a string of at most 65535 characters.',
    );
  }
}

/** The row a create body asks for; 400 with Nova's schema texts for anything it would refuse. */
export function parseFlavor(body: Record<string, unknown>, allowDescription: boolean): FlavorRow {
  const name = body.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 255 || name.trim() !== name) {
    throw invalid(
      'name',
      name,
      'The name must be a string of 1 to 255 characters without leading or trailing whitespace.',
    );
  }
  let id = body.id;
  if (id === undefined || id === null || id === 'auto') id = randomUUID();
  if (typeof id === 'number' && Number.isInteger(id)) id = String(id);
  if (typeof id !== 'string' || id.length > 255 || !ID_PATTERN.test(id))
    throw invalid('id', body.id, `'${String(body.id)}' does not match '${ID_PATTERN.source}'`);
  const given = body.rxtx_factor;
  const rxtx =
    given === undefined
      ? 1
      : typeof given === 'number' || typeof given === 'string'
        ? Number(given)
        : NaN;
  if (!Number.isFinite(rxtx) || rxtx <= 0)
    throw invalid('rxtx_factor', given, 'rxtx_factor must be a number greater than 0.');
  const description = body.description;
  if (description !== undefined && description !== null) {
    if (!allowDescription)
      throw invalid(
        'flavor',
        body,
        "Additional properties are not allowed ('description' was unexpected)",
      );
    checkDescription(description);
  }
  return {
    id,
    name,
    memory_mb: flavorInt(body, 'ram', 1),
    vcpus: flavorInt(body, 'vcpus', 1),
    root_gb: flavorInt(body, 'disk', 0),
    ephemeral_gb: flavorInt(body, 'OS-FLV-EXT-DATA:ephemeral', 0, 0),
    swap: flavorInt(body, 'swap', 0, 0),
    rxtx_factor: rxtx,
    is_public:
      body['os-flavor-access:is_public'] === undefined
        ? 1
        : parseBool(body['os-flavor-access:is_public'], 'os-flavor-access:is_public')
          ? 1
          : 0,
    disabled: 0,
    description: typeof description === 'string' ? description : null,
    created_at: isoNow(),
  };
}
