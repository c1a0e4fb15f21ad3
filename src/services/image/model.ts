import type { ImageRow } from '../../store/schema.js';
import { BadRequest, Forbidden, OverLimit } from '../../errors.js';

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

/** Glance's image_property_quota and image_tag_quota defaults. */
export const PROPERTY_QUOTA = 128;
export const TAG_QUOTA = 128;

/** An image as the domain sees it: the row plus its extra properties and tags. */
export interface Image {
  row: ImageRow;
  properties: Record<string, string>;
  tags: string[];
}

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

/**
 * Glance's allowed status transitions (glance/domain/__init__.py Image.valid_state_targets).
 * Every status change goes through `transition`, so an illegal move is a 409, never an overwrite.
 */
const VALID_TARGETS: Record<string, readonly string[]> = {
  queued: ['saving', 'uploading', 'importing', 'active', 'deleted'],
  saving: ['active', 'killed', 'deleted', 'queued'],
  uploading: ['importing', 'queued', 'deleted'],
  importing: ['active', 'deleted', 'queued'],
  active: ['pending_delete', 'deleted', 'deactivated'],
  killed: ['deleted'],
  pending_delete: ['deleted', 'active'],
  deactivated: ['active', 'deleted'],
  deleted: [],
};

export function canTransition(from: string, to: string): boolean {
  return VALID_TARGETS[from]?.includes(to) ?? false;
}

/** A value of a writable base property, checked against Glance's image schema. */
export function checkBaseValue(name: string, value: unknown): unknown {
  const bad = (why: string): never => {
    throw new BadRequest(`Provided object does not match schema 'image': ${why}`);
  };
  switch (name) {
    case 'name':
      if (value !== null && typeof value !== 'string')
        bad(`${JSON.stringify(value)} is not of type 'null', 'string'`);
      if (typeof value === 'string' && value.length > 255) bad(`'${value}' is too long`);
      return value;
    case 'visibility':
      if (!VISIBILITIES.includes(value as never))
        bad(`${JSON.stringify(value)} is not one of ${JSON.stringify(VISIBILITIES)}`);
      return value;
    case 'protected':
    case 'os_hidden':
      if (typeof value !== 'boolean') bad(`${JSON.stringify(value)} is not of type 'boolean'`);
      return value;
    case 'container_format':
      if (value !== null && !CONTAINER_FORMATS.includes(value as never)) {
        bad(
          `${JSON.stringify(value)} is not one of ${JSON.stringify([...CONTAINER_FORMATS, null])}`,
        );
      }
      return value;
    case 'disk_format':
      if (value !== null && !DISK_FORMATS.includes(value as never)) {
        bad(`${JSON.stringify(value)} is not one of ${JSON.stringify([...DISK_FORMATS, null])}`);
      }
      return value;
    case 'min_disk':
    case 'min_ram':
      if (typeof value !== 'number' || !Number.isInteger(value))
        bad(`${JSON.stringify(value)} is not of type 'integer'`);
      if ((value as number) < 0) bad(`${value} is less than the minimum of 0`);
      if ((value as number) > 2 ** 31 - 1)
        bad(`${value} is greater than the maximum of 2147483647`);
      return value;
    case 'owner':
      if (value !== null && typeof value !== 'string')
        bad(`${JSON.stringify(value)} is not of type 'null', 'string'`);
      if (typeof value === 'string' && value.length > 255) bad(`'${value}' is too long`);
      return value;
    case 'tags':
      return checkTags(value);
    default:
      throw new Error(`not a writable base property: ${name}`);
  }
}

export function checkTags(value: unknown): string[] {
  if (!Array.isArray(value))
    throw new BadRequest(
      `Provided object does not match schema 'image': ${JSON.stringify(value)} is not of type 'array'`,
    );
  for (const t of value) checkTag(t);
  const unique = [...new Set(value as string[])];
  if (unique.length > TAG_QUOTA)
    throw new OverLimit(
      `Maximum number of tags exceeded. Attempted: ${unique.length}, Maximum: ${TAG_QUOTA}`,
    );
  return unique;
}

export function checkTag(tag: unknown): string {
  if (typeof tag !== 'string')
    throw new BadRequest(
      `Provided object does not match schema 'image': ${JSON.stringify(tag)} is not of type 'string'`,
    );
  if (tag.length > 255)
    throw new BadRequest(`Provided object does not match schema 'image': '${tag}' is too long`);
  return tag;
}

/** An extra (additional) property: a string value under a name that is not reserved. */
export function checkExtra(name: string, value: unknown): string {
  if (name.startsWith('os_glance')) throw new Forbidden(`Attribute '${name}' is reserved.`);
  if (name.length > 255)
    throw new BadRequest(`Provided object does not match schema 'image': '${name}' is too long`);
  if (name === '')
    throw new BadRequest(
      `Provided object does not match schema 'image': property name must not be empty`,
    );
  if (typeof value !== 'string') {
    throw new BadRequest(
      `Provided object does not match schema 'image': ${JSON.stringify(value)} is not of type 'string'`,
    );
  }
  if (value.length > 65535)
    throw new BadRequest(
      `Provided object does not match schema 'image': value of '${name}' is too long`,
    );
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
