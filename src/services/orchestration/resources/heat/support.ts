import type { SupportStatus } from '../types.js';

/**
 * What the Heat types share: the abortable wait their long steps use, Heat's UpdateReplace,
 * and json.dumps as Python writes it (attributes that Heat serialises itself).
 */

/**
 * Thrown by `update` when Heat's plugin would raise UpdateReplace (a change it cannot make in
 * place although every changed property is update_allowed): the engine replaces the resource.
 */
export class UpdateReplace extends Error {
  constructor(readonly resourceName: string) {
    super(`The Resource ${resourceName} requires replacement.`);
  }
}

/**
 * Waits `ms` (forever when negative), giving up with the signal's reason when it aborts: the
 * one abortable wait of the Heat types and the engine's polls (engine/poll.ts).
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const timer = ms >= 0 ? setTimeout(done, ms) : undefined;
    function done(): void {
      signal.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted(): void {
      if (timer) clearTimeout(timer);
      reject(abortReason(signal));
    }
    signal.addEventListener('abort', aborted, { once: true });
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('The operation was aborted');
}

export function since(version: string): SupportStatus {
  return { status: 'SUPPORTED', version };
}

/**
 * Python's json.dumps with its defaults (", " and ": " separators, ASCII only), which
 * oslo's jsonutils.dumps is: the text of attributes Heat builds with it.
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
    return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
  }
  if (typeof value === 'string') return asciiJson(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const items = Object.entries(value).map(([k, v]) => `${asciiJson(k)}: ${pyJsonDumps(v)}`);
    return `{${items.join(', ')}}`;
  }
  return 'null';
}

function asciiJson(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}
