/** HeatExceptionWithPath's text: "<error>: <path>: <message>", the path joined as Heat does. */
import { validationFailed } from '../errors.js';
import type { HeatFault } from '../errors.js';

/** Items that are integers or digit strings become "[n]", the rest join with dots. */
export function heatPath(parts: ReadonlyArray<string | number>): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number' || /^\d+$/.test(p)) out += `[${p}]`;
    else if (out.length > 0) out += `.${p}`;
    else out = p;
  }
  return out;
}

export function failedAt(
  error: string,
  parts: ReadonlyArray<string | number>,
  message: string,
): HeatFault {
  const path = heatPath(parts);
  return validationFailed(`${error ? `${error}: ` : ''}${path ? `${path}: ` : ''}${message}`);
}

/** Python's type(x).__name__ for a JSON value. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'dict';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return 'str';
}

export function pyClass(v: unknown): string {
  return `<class '${pyTypeName(v)}'>`;
}
