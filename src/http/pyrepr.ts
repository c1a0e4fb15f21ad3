/**
 * Python's repr() of a JSON value, as OpenStack's error texts print a client's value
 * ("None is not of type 'string'"). It never calls a method of the value, so an object whose
 * `toString` is not a function cannot break it, and it stops at a depth and a length, so a
 * hostile body cannot make it overflow the stack or build a huge message.
 */
export function pyRepr(value: unknown, maxLength = 4096): string {
  const out: string[] = [];
  let length = 0;
  const emit = (s: string): boolean => {
    out.push(s);
    length += s.length;
    return length < maxLength;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (depth > 32) return emit('...');
    if (v === null || v === undefined) return emit('None');
    if (v === true) return emit('True');
    if (v === false) return emit('False');
    if (typeof v === 'number') return emit(pyNumber(v));
    if (typeof v === 'string') return emit(pyString(v));
    if (Array.isArray(v)) {
      if (!emit('[')) return false;
      for (let i = 0; i < v.length; i++) {
        if (i > 0 && !emit(', ')) return false;
        if (!walk(v[i], depth + 1)) return false;
      }
      return emit(']');
    }
    if (typeof v === 'object') {
      if (!emit('{')) return false;
      let i = 0;
      for (const [k, item] of Object.entries(v)) {
        if (i++ > 0 && !emit(', ')) return false;
        if (!emit(pyString(k) + ': ') || !walk(item, depth + 1)) return false;
      }
      return emit('}');
    }
    return emit(typeof v);
  };
  walk(value, 0);
  const text = out.join('');
  return text.length > maxLength ? text.slice(0, maxLength) + '...' : text;
}

/** Python's str(): a string as it is, anything else as repr(). */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

function pyNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan';
  // Python writes exponents with a sign and at least two digits: 1e+20, 1e-05.
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** repr() of a str: single quotes unless the text holds one and no double quote. */
function pyString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let body = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') body += '\\\\';
    else if (ch === quote) body += '\\' + quote;
    else if (ch === '\n') body += '\\n';
    else if (ch === '\r') body += '\\r';
    else if (ch === '\t') body += '\\t';
    else if (c < 0x20 || c === 0x7f) body += '\\x' + c.toString(16).padStart(2, '0');
    else body += ch;
  }
  return quote + body + quote;
}
