import { gzipSync } from 'node:zlib';

/** One member of an initramfs: a folder, a file (with its bytes) or a symbolic link. */
export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Buffer; mode?: number }
  | { kind: 'symlink'; path: string; target: string };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

function header(ino: number, mode: number, nlink: number, size: number, name: string): Buffer {
  const fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, Buffer.byteLength(name) + 1, 0];
  const text = '070701' + fields.map((f) => f.toString(16).padStart(8, '0')).join('');
  const nameBytes = Buffer.from(`${name}\0`);
  return Buffer.concat([Buffer.from(text), nameBytes, Buffer.alloc(pad4(110 + nameBytes.length))]);
}

/**
 * The cpio "newc" archive the kernel unpacks as its initramfs (the kernel's
 * Documentation/driver-api/early-userspace/buffer-format.rst), gzipped. Everything is owned by
 * root, times are 0 so the same inputs give the same bytes, and parents must come before their
 * children.
 */
export function initramfs(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  for (const e of entries) {
    const name = e.path.replace(/^\/+/, '');
    if (e.kind === 'dir') {
      parts.push(header(ino++, S_IFDIR | (e.mode ?? 0o755), 2, 0, name));
      continue;
    }
    const data = e.kind === 'file' ? e.data : Buffer.from(e.target);
    const mode = e.kind === 'file' ? S_IFREG | (e.mode ?? 0o644) : S_IFLNK | 0o777;
    parts.push(header(ino++, mode, 1, data.length, name), data, Buffer.alloc(pad4(data.length)));
  }
  parts.push(header(ino, 0, 1, 0, 'TRAILER!!!'));
  return gzipSync(Buffer.concat(parts), { level: 6 });
}
