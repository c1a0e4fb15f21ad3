import type { SnapshotRow, VolumeRow } from '../../store/schema.js';
import { BadRequest } from '../../errors.js';

export const GiB = 1024 ** 3;
export const AVAILABILITY_ZONE = 'nova';
export const DEFAULT_TYPE_NAME = '__DEFAULT__';
/** The name Cinder's scheduler gives the one backend pool, as `host@backend#pool`. */
export const BACKEND_HOST = 'pocketstack@layers#layers';

export interface Volume {
  row: VolumeRow;
  metadata: Record<string, string>;
  /** Glance metadata copied from the image the volume (or its snapshot's volume) came from. */
  imageMetadata: Record<string, string>;
}

export interface Snapshot {
  row: SnapshotRow;
  metadata: Record<string, string>;
}

/** Statuses from which a volume may be deleted without force (cinder/volume/api.py). */
export const DELETABLE = [
  'available',
  'error',
  'error_restoring',
  'error_extending',
  'error_managing',
];

/** Cinder Zed's one message for every reason a plain delete is refused. */
export const VOLUME_DELETE_REFUSED =
  'Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.';

export const SNAPSHOT_DELETE_REFUSED =
  'Invalid snapshot: Snapshot status must be available or error and must not be part of a group.';

export function invalidInput(reason: string): BadRequest {
  return new BadRequest(`Invalid input received: ${reason}`);
}

/** A size in GiB as Cinder accepts it: a positive integer, or a string of one. */
export function parseSize(value: unknown): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw invalidInput(`Volume size '${String(value)}' must be an integer and greater than 0`);
  }
  return n;
}

/** Metadata as Cinder's schema takes it: string keys of 1-255 characters, string values up to 255. */
export function parseMetadata(value: unknown, field = 'metadata'): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequest(
      `Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. ${JSON.stringify(value)} is not of type 'object'`,
    );
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.length === 0 || k.length > 255) {
      throw new BadRequest(
        `Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. Metadata property key must be 1 to 255 characters long.`,
      );
    }
    if (typeof v !== 'string') {
      throw new BadRequest(
        `Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. ${JSON.stringify(v)} is not of type 'string'`,
      );
    }
    if (v.length > 255) {
      throw new BadRequest(
        `Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. Metadata property value must be at most 255 characters long.`,
      );
    }
    out[k] = v;
  }
  return out;
}

export function optText(value: unknown, field: string, max = 255): string | null | undefined {
  if (value === undefined || value === null) return value as null | undefined;
  if (typeof value !== 'string') {
    throw new BadRequest(
      `Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. ${JSON.stringify(value)} is not of type 'string'`,
    );
  }
  if (value.length > max) {
    throw new BadRequest(
      `Invalid input for field/attribute ${field}. Value: ${value}. '${value}' is too long`,
    );
  }
  return value;
}

export function parseBool(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.toLowerCase();
    if (['true', '1', 't', 'yes', 'y', 'on'].includes(v)) return true;
    if (['false', '0', 'f', 'no', 'n', 'off'].includes(v)) return false;
  }
  throw invalidInput(`${field} must be a boolean: ${JSON.stringify(value)}`);
}
