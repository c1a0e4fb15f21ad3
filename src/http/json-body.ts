import { BadRequest } from '../errors.js';

/**
 * The deepest nesting a JSON body may have. OpenStack's Python services stop at the interpreter's
 * recursion limit; no OpenStack body nests more than a few levels, and Heat templates sent inline
 * stay far below this. A deeper body would overflow the stack of any recursive walk over it
 * (message builders, views), so it is refused before it is parsed.
 */
export const MAX_JSON_DEPTH = 200;

/** Nesting depth of a JSON text, counting brackets outside strings; stops past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Parses a JSON request body: empty means none, as Keystone and Glance take it (clients send
 * `Content-Type: application/json` with no body on calls that take none). `__proto__` and
 * `constructor.prototype` keys are refused, so that no body can reach an object's prototype.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new BadRequest('Malformed request body: the JSON nests too deeply.');
  }
  try {
    return JSON.parse(text, (key, value: unknown) => {
      const poisoned =
        key === '__proto__' ||
        (key === 'constructor' &&
          typeof value === 'object' &&
          value !== null &&
          Object.hasOwn(value, 'prototype'));
      if (poisoned) throw new SyntaxError('Object contains forbidden prototype property');
      return value;
    });
  } catch (err) {
    throw new BadRequest(`Malformed request body: ${(err as Error).message}`);
  }
}
