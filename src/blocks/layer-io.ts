import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { InvalidSize, LayerSealed, OutOfRange } from './layer-errors.js';
import { inspectExternal, isDiskSize, SECTOR, syncFile, type LayerFiles } from './layer-files.js';
import { optValue } from './qemu-img.js';

/**
 * The bytes of a layer's virtual disk: reading, writing, flattening and importing. Each goes
 * through qemu (qemu-img, qemu-io), so every chain qemu can open reads here as a guest would see it.
 */

const CHUNK = 1024 * 1024;

function checkRange(offset: number, length: number, virtualSize: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new OutOfRange(`bad range: offset ${offset}, length ${length}`);
  }
  if (offset + length > virtualSize) {
    throw new OutOfRange(
      `range ${offset}+${length} is past the end of the disk (${virtualSize} bytes)`,
    );
  }
}

/**
 * `length` bytes of the virtual disk at `offset`. qemu-img converts a window of whole sectors
 * around the range (the raw driver's offset/size options) into a temp file: one process, exact
 * bytes, any range size, and the whole chain resolved by qemu.
 */
export async function readAt(
  files: LayerFiles,
  id: string,
  offset: number,
  length: number,
): Promise<Buffer> {
  const { virtualSize } = await files.header(id);
  checkRange(offset, length, virtualSize);
  if (length === 0) return Buffer.alloc(0);
  const start = Math.floor(offset / SECTOR) * SECTOR;
  // qcow2 virtual sizes are whole sectors, so the window never passes the end of the disk.
  const end = Math.min(Math.ceil((offset + length) / SECTOR) * SECTOR, virtualSize);
  const opts = [
    'driver=raw',
    `offset=${start}`,
    `size=${end - start}`,
    'file.driver=qcow2',
    `file.file.filename=${optValue(files.pathOf(id))}`,
  ].join(',');
  return files.withTemp('raw', async (tmp) => {
    await files.run('qemu-img', ['convert', '--image-opts', opts, '-O', 'raw', tmp], 'data');
    const window = await fsp.readFile(tmp);
    return window.subarray(offset - start, offset - start + length);
  });
}

/** Writes `data` into a head at `offset` (qemu-io does the read-modify-write of partial clusters). */
export async function writeAt(
  files: LayerFiles,
  headId: string,
  offset: number,
  data: Buffer,
): Promise<void> {
  if (await files.isSealed(headId)) throw new LayerSealed(headId);
  const { virtualSize } = await files.header(headId);
  checkRange(offset, data.length, virtualSize);
  if (data.length === 0) return;
  const file = files.pathOf(headId);
  await files.withTemp('bin', async (tmp) => {
    await fsp.writeFile(tmp, data);
    // qemu-io splits its command line on spaces, so the data file is named relative to its cwd.
    const command = `write -q -s ${path.basename(tmp)} ${offset} ${data.length}`;
    await files.run('qemu-io', ['-f', 'qcow2', '-c', command, file], 'data', files.realDir);
  });
  await syncFile(file);
}

/**
 * The whole virtual disk as one self-contained file (no backing) at `destPath`, which is
 * overwritten, and removed again if the conversion fails. qcow2 output holds allocated data only.
 * `sync: false` leaves the fsync to a caller that does it alongside other work (an image store
 * adopting the file fsyncs it while hashing it).
 */
export async function convert(
  files: LayerFiles,
  id: string,
  destPath: string,
  format: 'raw' | 'qcow2',
  opts: { sync?: boolean } = {},
): Promise<void> {
  await files.header(id);
  try {
    await files.run(
      'qemu-img',
      ['convert', '-f', 'qcow2', '-O', format, files.pathOf(id), destPath],
      'data',
    );
    if (opts.sync ?? true) await syncFile(destPath);
  } catch (err) {
    await fsp.rm(destPath, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * A stream of the whole virtual disk in `format`, for an upload that hashes as it goes (volume to
 * image, instance snapshot). qemu-img cannot write to a pipe, so the disk is flattened into a
 * sparse temp file first; the file is unlinked as soon as it is open, so nothing is left behind
 * whenever the reader stops. Temp space needed: the allocated data, not the virtual size.
 */
export async function openExport(
  files: LayerFiles,
  id: string,
  format: 'raw' | 'qcow2' = 'raw',
): Promise<{ stream: Readable; size: number }> {
  await files.header(id);
  return files.withTemp(format, async (tmp) => {
    await files.run(
      'qemu-img',
      ['convert', '-f', 'qcow2', '-O', format, files.pathOf(id), tmp],
      'data',
    );
    const handle = await fsp.open(tmp, 'r');
    try {
      const { size } = await handle.stat();
      return { stream: handle.createReadStream({ highWaterMark: CHUNK }), size };
    } catch (err) {
      await handle.close();
      throw err;
    }
  });
}

/**
 * A new head holding a copy of an external raw or qcow2 file, grown to `sizeBytes` if given. A
 * full copy: backing a head by the (immutable) file with createHead is O(1) and usually better.
 */
export async function importFrom(
  files: LayerFiles,
  srcPath: string,
  format: 'raw' | 'qcow2',
  sizeBytes?: number,
): Promise<string> {
  const source = await inspectExternal(files, srcPath, format);
  if (sizeBytes !== undefined && (!isDiskSize(sizeBytes) || sizeBytes < source.virtualSize)) {
    throw new InvalidSize(
      `size ${sizeBytes} is not a whole number of sectors at least ${source.virtualSize}`,
    );
  }
  return files.newLayer(async (tmp) => {
    await files.run('qemu-img', ['convert', '-f', format, '-O', 'qcow2', source.path, tmp], 'data');
    if (sizeBytes !== undefined) {
      const grown = Math.ceil(source.virtualSize / SECTOR) * SECTOR;
      if (sizeBytes > grown)
        await files.run('qemu-img', ['resize', '-q', '-f', 'qcow2', tmp, String(sizeBytes)]);
    }
  });
}
