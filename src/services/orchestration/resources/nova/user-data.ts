import { randomInt } from 'node:crypto';

/**
 * nova.py `build_userdata`: RAW passes the text as it is; the other formats wrap it in a
 * multipart MIME message as Python's email package writes one. Heat adds its own in-instance
 * agent parts (cloud-config, boothook, part-handler, loguserdata, cfn metadata and boto
 * settings); pocketstack runs no such agent, so only the user's part goes in: as
 * `cfn-userdata` (text/x-cfninitdata) for HEAT_CFNTOOLS, as an unnamed text/plain part (or the
 * parts of a multipart text) for SOFTWARE_CONFIG.
 */
export function buildUserData(text: string, format: string): string {
  if (format === 'RAW') return text;
  const parts: Array<[string, string, string]> =
    format === 'HEAT_CFNTOOLS' ? [[text, 'cfn-userdata', 'x-cfninitdata']] : [[text, '', 'plain']];
  // email.generator's boundary: 15 '=', a zero-padded 19-digit random number, '=='.
  const token = String(randomInt(0, 2 ** 47)).padStart(19, '0');
  const boundary = `===============${token}==`;
  const out = [`Content-Type: multipart/mixed; boundary="${boundary}"`, 'MIME-Version: 1.0', ''];
  for (const [content, filename, subtype] of parts) {
    // email.mime.text: us-ascii as 7bit, anything else as utf-8 in base64 (76-char lines).
    const ascii = !/[\u0080-\uffff]/.test(content);
    const body = ascii
      ? content
      : (
          Buffer.from(content, 'utf8')
            .toString('base64')
            .match(/.{1,76}/g) ?? []
        ).join('\n');
    out.push(
      `--${boundary}`,
      `Content-Type: text/${subtype}; charset="${ascii ? 'us-ascii' : 'utf-8'}"`,
      'MIME-Version: 1.0',
      `Content-Transfer-Encoding: ${ascii ? '7bit' : 'base64'}`,
      `Content-Disposition: attachment; filename="${filename}"`,
      '',
      body,
    );
  }
  out.push(`--${boundary}--`, '');
  return out.join('\n');
}
