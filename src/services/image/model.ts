import type { ImageRow } from '../../store/schema.js';
import { BadRequest, Forbidden, OverLimit } from '../../errors.js';
import { pyRepr } from '../../http/pyrepr.js';

export const CONTAINER_FORMATS = [
  'ami',
  'ari',
  'aki',
  'bare',
  'ovf',
  'ova',
  'docker',
  'compressed',
] as const;
export const DISK_FORMATS = [
  'ami',
  'ari',
  'aki',
  'vhd',
  'vhdx',
  'vmdk',
  'raw',
  'qcow2',
  'vdi',
  'iso',
  'ploop',
] as const;
export const VISIBILITIES = ['community', 'public', 'private', 'shared'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const MEMBER_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export type ImageStatus = (typeof STATUSES)[number];
export const STATUSES = [
  'queued',
  'saving',
  'active',
  'killed',
  'deleted',
  'pending_delete',
  'deactivated',
  'uploading',
  'importing',
] as const;

/** Glance's image id pattern, as its schema (and so its 400s) print it. */
export const UUID_PATTERN =
  '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$';

/** Glance's image_property_quota and image_tag_quota defaults. */
export const PROPERTY_QUOTA = 128;
export const TAG_QUOTA = 128;

/** An image as the domain sees it: the row plus its extra properties and tags. */
export interface Image {
  row: ImageRow;
  /** Null-prototype (`noProto()`): names are client text, `__proto__` included. */
  properties: Record<string, string>;
  tags: string[];
}

/**
 * Objects whose prototype chain holds nothing, Object.prototype included: `__proto__`,
 * `constructor` or `toString` are keys like any other. Made with `new`, not
 * `Object.create(null)`, so V8 keeps them in its fast object shape (the list page makes 25).
 */
function PropertyBag(): void {}
PropertyBag.prototype = Object.create(null) as object;

/** An empty map for client-named keys (property names): no name is special. */
export function noProto<T>(): Record<string, T> {
  return new (PropertyBag as unknown as new () => Record<string, T>)();
}

/**
 * A new image's fields, as Glance's ImageFactory takes them. Formats and visibility are plain
 * strings so that other services (Cinder's upload-to-image) can pass what their clients sent;
 * `create` checks them against Glance's lists with Glance's texts.
 */
export interface NewImage {
  id?: string;
  name?: string | null;
  visibility?: string;
  protected?: boolean;
  os_hidden?: boolean;
  container_format?: string | null;
  disk_format?: string | null;
  min_disk?: number;
  min_ram?: number;
  tags?: string[];
  owner?: string | null;
  /** Extra properties by name; a null-prototype record or a Map (names are client text). */
  properties?: Record<string, string> | Map<string, string>;
}

/** A value a JSON-patch operation sets, already of the type its property's schema declares. */
export type FieldValue = string | number | boolean | null | string[];

/** Base properties a client may set (at create, or through PATCH). */
export const WRITABLE = [
  'name',
  'visibility',
  'protected',
  'os_hidden',
  'container_format',
  'disk_format',
  'min_disk',
  'min_ram',
  'tags',
  'owner',
] as const;
/** Base properties only the server sets. */
export const READ_ONLY = [
  'status',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'size',
  'virtual_size',
  'created_at',
  'updated_at',
  'self',
  'file',
  'schema',
  'direct_url',
  'locations',
  'stores',
] as const;

function schemaError(why: string): BadRequest {
  return new BadRequest(`Provided object does not match schema 'image': ${why}`);
}

/** The integer range Glance's database columns hold. */
const INT_MAX = 2 ** 31 - 1;

/**
 * A writable base property's value, checked as Glance's image schema and domain check it. Routes
 * have checked the wire types already; this keeps the domain's rules for every caller.
 */
export function checkBaseValue(name: (typeof WRITABLE)[number], value: unknown): FieldValue {
  const list = (values: readonly unknown[]): string => pyRepr(values);
  switch (name) {
    case 'name':
    case 'owner':
      if (value !== null && typeof value !== 'string')
        throw schemaError(`${pyRepr(value)} is not of type 'null', 'string'`);
      if (typeof value === 'string' && value.length > 255)
        throw schemaError(`${pyRepr(value)} is too long`);
      return value;
    case 'visibility':
      if (typeof value !== 'string' || !VISIBILITIES.includes(value as Visibility))
        throw schemaError(`${pyRepr(value)} is not one of ${list(VISIBILITIES)}`);
      return value;
    case 'protected':
    case 'os_hidden':
      if (typeof value !== 'boolean')
        throw schemaError(`${pyRepr(value)} is not of type 'boolean'`);
      return value;
    case 'container_format':
    case 'disk_format': {
      const allowed: readonly string[] =
        name === 'container_format' ? CONTAINER_FORMATS : DISK_FORMATS;
      if (value !== null && (typeof value !== 'string' || !allowed.includes(value)))
        throw schemaError(`${pyRepr(value)} is not one of ${list([null, ...allowed])}`);
      return value;
    }
    case 'min_disk':
    case 'min_ram':
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw schemaError(`${pyRepr(value)} is not of type 'integer'`);
      if (value < 0) throw schemaError(`${value} is less than the minimum of 0`);
      if (value > INT_MAX) throw schemaError(`${value} is greater than the maximum of ${INT_MAX}`);
      return value;
    case 'tags':
      return checkTags(value);
  }
}

export function checkTags(value: unknown): string[] {
  if (!Array.isArray(value)) throw schemaError(`${pyRepr(value)} is not of type 'array'`);
  for (const t of value) checkTag(t);
  const unique = [...new Set(value as string[])];
  if (unique.length > TAG_QUOTA)
    throw new OverLimit(
      `Maximum number of tags exceeded. Attempted: ${unique.length}, Maximum: ${TAG_QUOTA}`,
    );
  return unique;
}

export function checkTag(tag: unknown): string {
  if (typeof tag !== 'string') throw schemaError(`${pyRepr(tag)} is not of type 'string'`);
  if (tag.length > 255) throw schemaError(`${pyRepr(tag)} is too long`);
  return tag;
}

/** Glance's reserved names (glance/api/v2/images.py RequestDeserializer). */
const RESERVED = new Set(['location', 'deleted', 'deleted_at']);

export function isReserved(name: string): boolean {
  return RESERVED.has(name) || name.startsWith('os_glance');
}

/** An extra (additional) property: a string value under a name that is not reserved. */
export function checkExtra(name: string, value: unknown): string {
  if (name.length > 255)
    throw new BadRequest('Custom property should not be greater than 255 characters.');
  if (isReserved(name)) throw new Forbidden(`Attribute '${name}' is reserved.`);
  if (name === '') throw schemaError('property name must not be empty');
  if (typeof value !== 'string') throw schemaError(`${pyRepr(value)} is not of type 'string'`);
  if (value.length > 65535) throw schemaError(`value of ${pyRepr(name)} is too long`);
  return value;
}

export function checkPropertyQuota(properties: Record<string, string>): void {
  const n = Object.keys(properties).length;
  if (n > PROPERTY_QUOTA) {
    throw new OverLimit(
      `Maximum number of properties exceeded. Attempted: ${n}, Maximum: ${PROPERTY_QUOTA}`,
    );
  }
}
