import { randomInt } from 'node:crypto';

/**
 * The multi-part MIME text OS::Heat::MultipartMime stores, written as Python's email package
 * writes MIMEMultipart(_subparts=[MIMEText...]).as_string(), and read back as
 * email.message_from_string reads it, for parts that are themselves multi-part messages.
 */

export interface MimePart {
  text: string;
  /** `plain` when empty. */
  subtype: string;
  filename: string | null;
}

/** email.generator's boundary: 15 '=', a random 19-digit number, '=='. */
function boundary(): string {
  let digits = '';
  for (let i = 0; i < 19; i++) digits += String(randomInt(10));
  return '='.repeat(15) + digits + '==';
}

export function multipartMessage(parts: MimePart[]): string {
  const b = boundary();
  const texts = parts.map(partText);
  let out = `Content-Type: multipart/mixed; boundary="${b}"\nMIME-Version: 1.0\n\n`;
  out += `--${b}\n`;
  out += texts.join(`\n--${b}\n`);
  out += `\n--${b}--\n`;
  return out;
}

/** MIMEText(part, _subtype, _charset): us-ascii 7bit when it can be, else utf-8 base64. */
function partText(part: MimePart): string {
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(part.text);
  const subtype = part.subtype === '' ? 'plain' : part.subtype;
  const headers = [
    `Content-Type: text/${subtype}; charset="${ascii ? 'us-ascii' : 'utf-8'}"`,
    'MIME-Version: 1.0',
    `Content-Transfer-Encoding: ${ascii ? '7bit' : 'base64'}`,
  ];
  if (part.filename) headers.push(`Content-Disposition: attachment; filename="${part.filename}"`);
  const body = ascii ? part.text : base64Lines(part.text);
  return `${headers.join('\n')}\n\n${body}`;
}

/** email.base64mime.body_encode: lines of 76, each ending in a newline. */
function base64Lines(text: string): string {
  const b64 = Buffer.from(text, 'utf8').toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += 76) out += b64.slice(i, i + 76) + '\n';
  return out;
}

/**
 * The parts of a multi-part message, each with its payload as written (still encoded, as
 * get_payload() without decode gives it), its content subtype and filename; [] when the text is
 * not a multi-part message.
 */
export function parseMultipart(message: string): MimePart[] {
  const { headers, body } = splitHeaders(message);
  const type = headers.get('content-type') ?? '';
  if (!/^multipart\//i.test(type.trim())) return [];
  const b = param(type, 'boundary');
  if (!b) return [];
  const pieces = body.split(new RegExp(`(?:^|\\n)--${escape(b)}(?:--)?[ \\t]*(?:\\n|$)`));
  // The first piece is the preamble; the one after the closing boundary the epilogue.
  const inner = pieces.slice(1, body.includes(`--${b}--`) ? -1 : undefined);
  return inner.map((piece) => {
    const part = splitHeaders(piece);
    const ctype = part.headers.get('content-type') ?? 'text/plain';
    const subtype = (/^[^/;]+\/([^;\s]+)/.exec(ctype.trim())?.[1] ?? 'plain').toLowerCase();
    const disposition = part.headers.get('content-disposition') ?? '';
    const filename = param(disposition, 'filename') ?? param(ctype, 'name');
    return { text: part.body, subtype, filename };
  });
}

function splitHeaders(text: string): { headers: Map<string, string>; body: string } {
  const headers = new Map<string, string>();
  const lines = text.split('\n');
  let i = 0;
  let last: string | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      i++;
      break;
    }
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, `${headers.get(last)!} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) break;
    last = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(last)) headers.set(last, line.slice(colon + 1).trim());
  }
  return { headers, body: lines.slice(i).join('\n') };
}

function param(header: string, name: string): string | null {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(header);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
