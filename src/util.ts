import { randomUUID } from 'node:crypto';

/** Current time as stored in the database: ISO-8601 UTC with milliseconds. */
export function isoNow(): string {
  return new Date().toISOString();
}

/** Keystone-style id: a UUID4 as 32 hex digits. */
export function hexId(): string {
  return randomUUID().replaceAll('-', '');
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** Stored timestamp -> `2024-05-01T12:00:00Z`, the second-precision form Glance and Nova print. */
export function isoSeconds(stored: string): string {
  return stored.slice(0, 19) + 'Z';
}

/** Stored timestamp -> `2024-05-01T12:00:00.000000Z`, the microsecond form Keystone prints. */
export function isoMicros(stored: string): string {
  return stored.slice(0, 23) + '000Z';
}

/** Stored timestamp -> `2024-05-01T12:00:00.000000`, the naive-UTC form Cinder prints. */
export function isoCinder(stored: string): string {
  return stored.slice(0, 23) + '000';
}
