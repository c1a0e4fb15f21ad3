import fs from 'node:fs';

/** The serial console file's text so far ('' before QEMU has made it). */
export function readConsole(file: string, fromByte = 0): string {
  try {
    return fs.readFileSync(file).subarray(fromByte).toString('utf8');
  } catch {
    return '';
  }
}

/** The console file's size now: where this boot's lines will start (the file is appended to). */
export function consoleSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Waits until the console file holds a line matching `pattern` (any complete line when null),
 * polling: QEMU writes the file itself, so there is nothing to subscribe to. Resolves with the
 * line, or null after `timeoutMs` or once `gone` resolves (the process ended). `fromByte` skips
 * what earlier boots wrote (`consoleSize` before the start).
 */
export async function waitForConsoleLine(
  file: string,
  pattern: RegExp | null,
  timeoutMs: number,
  gone?: Promise<unknown>,
  fromByte = 0,
): Promise<string | null> {
  let ended = false;
  void gone?.then(() => (ended = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = readConsole(file, fromByte).split('\n');
    lines.pop(); // a line is complete only once its newline is written
    const hit = lines.find((l) => (pattern ? pattern.test(l) : l.trim() !== ''));
    if (hit !== undefined) return hit;
    if (ended || Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The last `lines` lines of the console (all of it when undefined), as `console log show`. */
export function consoleTail(file: string, lines?: number): string {
  const text = readConsole(file);
  if (lines === undefined) return text;
  const all = text.split('\n');
  const trailing = all[all.length - 1] === '' ? 1 : 0;
  return all.slice(Math.max(0, all.length - trailing - lines)).join('\n');
}
