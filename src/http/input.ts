import type { DomainError } from '../errors.js';

/** A JSON object as a body or an envelope holds it: never an array, never null. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `{"<key>": {...}}` envelope of a create or update body. Every service checks it the same
 * way and words the failure its own way (`missing`).
 */
export function envelope(body: unknown, key: string, missing: () => DomainError): JsonObject {
  const inner = isJsonObject(body) ? body[key] : undefined;
  if (!isJsonObject(inner)) throw missing();
  return inner;
}

const TRUE_STRINGS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_STRINGS = ['0', 'f', 'false', 'off', 'n', 'no'];

/**
 * The words OpenStack's JSON schemas take for a boolean (Nova's and Cinder's
 * parameter_types.boolean): narrower than oslo's bool_from_string, which is what reads them.
 */
export const PARAMETER_BOOLEAN_WORDS = [
  'True',
  'TRUE',
  'true',
  '1',
  'ON',
  'On',
  'on',
  'YES',
  'Yes',
  'yes',
  'y',
  't',
  'False',
  'FALSE',
  'false',
  '0',
  'OFF',
  'Off',
  'off',
  'NO',
  'No',
  'no',
  'n',
  'f',
] as const;

/**
 * oslo_utils.strutils.bool_from_string, which every OpenStack service uses for flags in bodies
 * and query strings: a boolean as it is; a string or number compared, trimmed and lower-cased,
 * with the true and false words. Anything else is null: a strict caller refuses it with its
 * own text, a lenient one takes its default.
 */
export function boolFromString(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const word = String(value).trim().toLowerCase();
  if (TRUE_STRINGS.includes(word)) return true;
  if (FALSE_STRINGS.includes(word)) return false;
  return null;
}

/**
 * A query-string integer, as Python's int() reads one: optional sign and digits, spaces around;
 * null when it is not one. Beyond 2^53 it is clamped (Python has no limit, and a limit or an
 * offset that large means "all"), so that no client value reaches SQL as a float.
 */
export function queryInt(value: string): number | null {
  if (!/^\s*[+-]?\d+\s*$/.test(value)) return null;
  const n = Number(value);
  return Math.max(Math.min(n, Number.MAX_SAFE_INTEGER), -Number.MAX_SAFE_INTEGER);
}
