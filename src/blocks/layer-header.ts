import fsp from 'node:fs/promises';
import { EXT_BACKING_FORMAT, MAX_BACKING_NAME, QCOW2_MAGIC } from './qcow2.js';

/** The parts of a qcow2 header the layer store needs, read in-process (no qemu-img spawn). */
export interface Qcow2Header {
  version: 2 | 3;
  virtualSize: number;
  /** The backing file name exactly as written: relative names resolve against the file's directory. */
  backingFile: string | null;
  /** From the backing-format header extension; null when the header does not say. */
  backingFormat: string | null;
  /** The image keeps its data in another file (incompatible feature bit 2). */
  externalDataFile: boolean;
}

/** A file that should be a qcow2 image does not parse as one. */
export class CorruptLayer extends Error {}

const EXT_END = 0;
const EXT_DATA_FILE = 0x44415441;
const INCOMPAT_DATA_FILE = 1n << 2n;
// The header, its extensions and the backing file name (at most 1023 bytes) all live in the first
// cluster (at most 2 MiB); files qemu-img writes keep them in the first 4 KiB, so one read suffices.
const FIRST_READ = 4096;
const MAX_CLUSTER = 2 * 1024 * 1024;

/** Reads the header of a qcow2 file. Throws ENOENT as is, CorruptLayer for anything unparseable. */
export async function readQcow2Header(file: string): Promise<Qcow2Header> {
  const handle = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(FIRST_READ);
    const { bytesRead } = await handle.read(buf, 0, FIRST_READ, 0);
    const head = buf.subarray(0, bytesRead);
    if (head.length < 72 || head.readUInt32BE(0) !== QCOW2_MAGIC)
      throw new CorruptLayer(`${file}: not a qcow2 image`);
    const version = head.readUInt32BE(4);
    if (version !== 2 && version !== 3)
      throw new CorruptLayer(`${file}: unsupported qcow2 version ${version}`);
    const size = head.readBigUInt64BE(24);
    if (size > BigInt(Number.MAX_SAFE_INTEGER))
      throw new CorruptLayer(`${file}: virtual size out of range`);

    const backingOffset = head.readBigUInt64BE(8);
    const backingLength = head.readUInt32BE(16);
    let backingFile: string | null = null;
    if (backingOffset !== 0n && backingLength > 0) {
      if (
        backingLength > MAX_BACKING_NAME ||
        backingOffset + BigInt(backingLength) > BigInt(MAX_CLUSTER)
      ) {
        throw new CorruptLayer(`${file}: bad backing file name field`);
      }
      const at = Number(backingOffset);
      let name = head.subarray(at, at + backingLength);
      if (name.length < backingLength) {
        name = Buffer.alloc(backingLength);
        const r = await handle.read(name, 0, backingLength, at);
        if (r.bytesRead < backingLength)
          throw new CorruptLayer(`${file}: truncated backing file name`);
      }
      backingFile = name.toString('utf8');
    }

    let externalDataFile = false;
    let backingFormat: string | null = null;
    // Version 2 headers are 72 bytes; version 3 ones say their length at offset 100.
    let extAt = 72;
    if (version === 3) {
      if (head.length < 104) throw new CorruptLayer(`${file}: truncated header`);
      externalDataFile = (head.readBigUInt64BE(72) & INCOMPAT_DATA_FILE) !== 0n;
      extAt = head.readUInt32BE(100);
    }
    while (extAt + 8 <= head.length) {
      const type = head.readUInt32BE(extAt);
      const length = head.readUInt32BE(extAt + 4);
      if (type === EXT_END) break;
      const data = head.subarray(extAt + 8, extAt + 8 + length);
      if (type === EXT_BACKING_FORMAT) backingFormat = data.toString('utf8');
      if (type === EXT_DATA_FILE) externalDataFile = true;
      extAt += 8 + Math.ceil(length / 8) * 8;
    }
    return { version, virtualSize: Number(size), backingFile, backingFormat, externalDataFile };
  } finally {
    await handle.close();
  }
}
