import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * The documented way for tests to reach a server's root disk until real guests exist (issue 9:
 * "tests may write into the disk's current head with qemu-io"). An image-backed server's root
 * disk is a qcow2 head in the layer store, `<data dir>/layers/<servers.root_layer>.qcow2`; an
 * instance snapshot seals that head and moves the server onto a new one, so the path is read
 * again after every snapshot. The fake driver holds no file open, so qemu-io may write while
 * the server runs; nothing else may touch the head at that moment (no snapshot under way).
 */
export function rootDiskPath(dataDir: string, serverId: string): string {
  // Read-only and short-lived: the server keeps the database in WAL mode, which allows it.
  const db = new SQLite(path.join(dataDir, 'pocketstack.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT root_layer FROM servers WHERE id = ?').get(serverId) as
      { root_layer: string | null } | undefined;
    if (!row?.root_layer) throw new Error(`server ${serverId} has no local root disk`);
    return path.join(dataDir, 'layers', `${row.root_layer}.qcow2`);
  } finally {
    db.close();
  }
}

/** Writes `len` bytes of `pattern` at `offset` into a qcow2 file (qemu-io, as a guest would). */
export function writePattern(file: string, pattern: number, offset: number, len: number): void {
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P ${pattern} ${offset} ${len}`, file]);
}

/**
 * True when `len` bytes at `offset` of an image file all equal `pattern` (qemu-io `read -P`
 * through the whole backing chain). `-U`: the file may be a live server's disk.
 */
export function hasPattern(
  file: string,
  format: 'qcow2' | 'raw',
  pattern: number,
  offset: number,
  len: number,
): boolean {
  const r = spawnSync('qemu-io', [
    '-U',
    '-r',
    '-f',
    format,
    '-c',
    `read -P ${pattern} ${offset} ${len}`,
    file,
  ]);
  const out = `${r.stdout.toString()}${r.stderr.toString()}`;
  if (/Pattern verification failed/.test(out)) return false;
  if (r.status !== 0) throw new Error(`qemu-io read of ${file} failed: ${out}`);
  return true;
}

/** A volume's disk: the head of its layer chain, `<data dir>/layers/<volumes.head_layer>.qcow2`. */
export function volumeDiskPath(dataDir: string, volumeId: string): string {
  const db = new SQLite(path.join(dataDir, 'pocketstack.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT head_layer FROM volumes WHERE id = ?').get(volumeId) as
      { head_layer: string | null } | undefined;
    if (!row?.head_layer) throw new Error(`volume ${volumeId} has no disk`);
    return path.join(dataDir, 'layers', `${row.head_layer}.qcow2`);
  } finally {
    db.close();
  }
}
