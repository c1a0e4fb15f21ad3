import { boolFromString, queryInt } from '../../../http/input.js';
import { pyStr } from '../../../http/pyrepr.js';
import { formatCidr, parseAddress, parseCidr } from '../ip.js';
import { invalidInput } from '../errors.js';

/**
 * neutron_lib's validators and converters (neutron_lib/api/validators, converters), with their
 * texts. A validator returns the reason a value is refused (framed by the caller as "Invalid
 * input for <attr>. Reason: <reason>."), a converter throws InvalidInput.
 */
export type Validator = (value: unknown) => string | undefined;

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

export function string(maxLen?: number): Validator {
  return (v) => {
    if (typeof v !== 'string') return `'${pyStr(v)}' is not a valid string`;
    if (maxLen !== undefined && v.length > maxLen) {
      return `'${pyStr(v)}' exceeds maximum length of ${maxLen}`;
    }
    return undefined;
  };
}

export function stringOrNone(maxLen?: number): Validator {
  const check = string(maxLen);
  return (v) => (v === null ? undefined : check(v));
}

export const uuid: Validator = (v) =>
  typeof v === 'string' && UUID.test(v) ? undefined : `'${pyStr(v)}' is not a valid UUID`;

export const uuidOrNone: Validator = (v) => (v === null ? undefined : uuid(v));

export function uuidList(v: unknown): string | undefined {
  if (!Array.isArray(v)) return `'${pyStr(v)}' is not a list`;
  for (const item of v) {
    const reason = uuid(item);
    if (reason) return reason;
  }
  const seen = new Set<unknown>();
  for (const item of v) {
    if (seen.has(item)) return `Duplicate items in the list: '${pyStr(item)}'`;
    seen.add(item);
  }
  return undefined;
}

export function values(allowed: readonly unknown[]): Validator {
  return (v) =>
    // neutron-lib 3.1 prints the literal "valid_values" when an attribute gives no display text.
    allowed.includes(v) ? undefined : `${pyStr(v)} is not in valid_values`;
}

export function range(min: number, max: number): Validator {
  return (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return `'${pyStr(v)}' is not an integer`;
    if (v < min) return `'${v}' is too small - must be at least '${min}'`;
    if (v > max) return `'${v}' is too large - must be no larger than '${max}'`;
    return undefined;
  };
}

export const ipAddress: Validator = (v) =>
  parseAddress(v) ? undefined : `'${pyStr(v)}' is not a valid IP address`;

export const ipAddressOrNone: Validator = (v) => (v === null ? undefined : ipAddress(v));

/** validate_subnet: a CIDR; host bits are refused with the network CIDR as the hint. */
export const subnetCidr: Validator = (v) => {
  const c = parseCidr(v);
  if (!c) return `'${pyStr(v)}' is not a valid IP subnet`;
  if (c.hostBits)
    return `'${pyStr(v)}' isn't a recognized IP subnet cidr, '${formatCidr(c)}' is recommended`;
  return undefined;
};

export function listOf(each: Validator): Validator {
  return (v) => {
    if (!Array.isArray(v)) return `'${pyStr(v)}' is not a list`;
    for (const item of v) {
      const reason = each(item);
      if (reason) return reason;
    }
    return undefined;
  };
}

/** convert_to_boolean: JSON booleans and oslo's words; anything else is InvalidInput. */
export function toBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  const b = typeof v === 'string' ? boolFromString(v) : null;
  if (b === null) throw invalidInput(`'${pyStr(v)}' cannot be converted to boolean`);
  return b;
}

/** convert_to_int: integers and strings of digits. */
export function toInt(v: unknown): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) {
    const n = queryInt(v.trim());
    if (n !== null) return n;
  }
  throw invalidInput(`'${pyStr(v)}' is not an integer`);
}

export function toIntOrNone(v: unknown): number | null {
  return v === null ? null : toInt(v);
}

/** convert_none_to_empty_list. */
export function noneToEmptyList(v: unknown): unknown {
  return v === null ? [] : v;
}

/** Query filters: a boolean word, as convert_to_boolean reads it. */
export function boolFilter(text: string): boolean {
  return toBoolean(text);
}

export function intFilter(text: string): number {
  return toInt(text);
}

export function textFilter(text: string): string {
  return text;
}
