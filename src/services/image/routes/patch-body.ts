import { BadRequest, Forbidden, UnsupportedMediaType } from '../../../errors.js';
import { isJsonObject } from '../../../http/input.js';
import { parse } from '../../../http/schema.js';
import { pyStr } from '../../../http/pyrepr.js';
import type { FieldValue } from '../model.js';
import type { PatchOp } from '../patch.js';
import { schemaViolation } from '../errors.js';
import { ImageBody } from './images.schemas.js';

export const PATCH_V21 = 'application/openstack-images-v2.1-json-patch';
export const PATCH_V20 = 'application/openstack-images-v2.0-json-patch';

const OPS = ['add', 'remove', 'replace'] as const;
const imageViolation = schemaViolation('image');

/** Base properties, and the read-only and reserved names Glance refuses before any value check. */
const READ_ONLY = new Set([
  'created_at',
  'updated_at',
  'status',
  'checksum',
  'size',
  'virtual_size',
  'direct_url',
  'self',
  'file',
  'schema',
  'id',
  'os_hash_algo',
  'os_hash_value',
]);

function operation(raw: Record<string, unknown>, v20: boolean): PatchOp['op'] {
  if (v20) {
    const found = OPS.filter((k) => Object.hasOwn(raw, k));
    if (found.length > 1)
      throw new BadRequest(
        'Operation objects must contain only one member named "add", "remove", or "replace".',
      );
    if (found.length === 0)
      throw new BadRequest(
        'Operation objects must contain exactly one member named "add", "remove", or "replace".',
      );
    return found[0]!;
  }
  const op = raw.op;
  if (op === undefined || op === null)
    throw new BadRequest(
      `Unable to find \`op\` in JSON Schema change. It must be one of the following: ${OPS.join(', ')}.`,
    );
  if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op))
    throw new BadRequest(
      `Invalid operation: \`${pyStr(op)}\`. It must be one of the following: ${OPS.join(', ')}.`,
    );
  return op as PatchOp['op'];
}

/** RequestDeserializer._validate_json_pointer and _decode_json_pointer, one level deep. */
function pointerName(pointer: string): string {
  const bad = (why: string): never => {
    throw new BadRequest(`Pointer \`${pointer}\` ${why}`);
  };
  if (!pointer.startsWith('/')) bad('does not start with "/".');
  if (/\/\s*?\//.test(pointer.slice(1))) bad('contains adjacent "/".');
  if (pointer.length > 1 && pointer.endsWith('/')) bad('end with "/".');
  if (pointer.slice(1).trim() === '/') bad('does not contains valid token.');
  if (/~[^01]/.test(pointer) || pointer.endsWith('~'))
    bad('contains "~" not part of a recognized escape sequence.');
  const parts = pointer
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~').trim());
  if (parts[0] === 'locations')
    throw new Forbidden("It's not allowed to update locations if locations are invisible.");
  if (parts.length !== 1)
    throw new BadRequest(`Invalid JSON pointer for this resource: '/${parts.join('/')}'`);
  return parts[0]!;
}

/**
 * A PATCH body in either of Glance's media types: v2.1 (RFC 6902 style
 * `{"op":"replace","path":"/name","value":...}`) or the deprecated v2.0 (`{"replace":"/name"}`),
 * which Tempest still sends. Values of base properties are checked against the image schema,
 * as Glance's `_validate_change` does; the domain checks the rest.
 */
export function parsePatch(
  contentType: string | undefined,
  body: unknown,
): { ops: PatchOp[]; v20: boolean } {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== PATCH_V21 && type !== PATCH_V20) {
    throw new UnsupportedMediaType(
      `Unsupported Content-Type. Use one of: ${PATCH_V21}, ${PATCH_V20}`,
    );
  }
  const v20 = type === PATCH_V20;
  if (body === undefined) throw new BadRequest('Body expected in request.');
  if (!Array.isArray(body))
    throw new BadRequest('Request body must be a JSON array of operation objects.');
  const ops = body.map((raw: unknown): PatchOp => {
    if (!isJsonObject(raw)) throw new BadRequest('Operations must be JSON objects.');
    const op = operation(raw, v20);
    const path = v20 ? raw[op] : raw.path;
    if (path === undefined && !v20)
      throw new BadRequest("Unable to find 'path' in JSON Schema change");
    if (typeof path !== 'string')
      throw new BadRequest(`Pointer \`${pyStr(path)}\` does not start with "/".`);
    const name = pointerName(path);
    if (op === 'remove') return { op, name };
    if (!Object.hasOwn(raw, 'value'))
      throw new BadRequest(`Operation "${op}" requires a member named "value".`);
    if (READ_ONLY.has(name)) throw new Forbidden(`Attribute '${name}' is read-only.`);
    // The partial image {name: value} against the whole schema: a base property gets its type
    // checked, any other name must be a string.
    parse(ImageBody, { [name]: raw.value }, imageViolation);
    return { op, name, value: raw.value as FieldValue };
  });
  return { ops, v20 };
}
