import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { finished, type Readable } from 'node:stream';
import { fileHashes } from './file-hash.js';
import { imageWriters } from './image-writer.js';
import { HEADER_BYTES } from './qcow2.js';

/** What a completed write stored, all computed in the same pass as the write itself. */
export interface StoredFile {
  fileId: string;
  size: number;
  md5: string;
  sha512: string;
  /** The first bytes, for reading a disk header without a second read. */
  head: Buffer;
}

/** The first HEADER_BYTES of a stream of chunks. */
class Head {
  private readonly parts: Buffer[] = [];
  private length = 0;

  add(chunk: Buffer): void {
    if (this.length >= HEADER_BYTES) return;
    // A copy: the chunk's buffer may be reused by the stream that produced it.
    const part = Buffer.from(chunk.subarray(0, HEADER_BYTES - this.length));
    this.parts.push(part);
    this.length += part.length;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** The write stopped because the data passed `maxSize`. */
export class SizeLimitExceeded extends Error {}

/** The store itself failed (disk full, I/O error), as opposed to the data source. */
export class StorageFailure extends Error {
  constructor(override readonly cause: NodeJS.ErrnoException) {
    super(`image store write failed: ${cause.code ?? cause.message}`);
  }
}

// Large chunks keep the per-chunk overhead of hashing and reading small.
const CHUNK = 1024 * 1024;
/** Flush to disk while the upload runs, so the final fsync has little left to do. */
const SYNC_EVERY = 64 * 1024 * 1024;
/**
 * Socket reads (64 KiB) are gathered into batches of this size for the writer thread: a message
 * per socket read would cost more than the hashing it moves.
 */
const BATCH = 4 * 1024 * 1024;
/**
 * Batches handed to the writer thread and not yet back before the source is paused. 32 MiB of
 * slack lets either thread fall behind for a while (descheduled, a slow write) without stalling
 * the other; with 8 MiB the source was paused for ~0.7 s of a 4 s upload of 1 GiB.
 */
const IN_FLIGHT = 8;

/**
 * Streams `source` into a new file `tmp`, renamed to `to` once complete and synced: sha512 here;
 * md5, the writes and the file's open, sync, close and rename on a writer thread
 * (image-writer.ts). md5 is the slower hash, and this thread also reads the socket, so this split
 * keeps the two threads about equally busy. Settles only once the writer has closed the file.
 * Rejects with the source's error, SizeLimitExceeded or StorageFailure, leaving `tmp` (if made)
 * for the caller to remove; the source is then drained, never destroyed, so that the error can
 * still be answered.
 */
function hashAndWrite(
  source: Readable,
  tmp: string,
  to: string,
  maxSize: number,
): Promise<Omit<StoredFile, 'fileId'>> {
  return new Promise((resolve, reject) => {
    const sha512 = createHash('sha512');
    const head = new Head();
    let size = 0;
    let batch: Buffer = Buffer.allocUnsafeSlow(BATCH);
    let filled = 0;
    const spare: Buffer[] = [];
    let inFlight = 0;
    let failure: Error | undefined;
    let finishing: Promise<string | undefined> | undefined;

    const job = imageWriters.open(tmp, 'md5', SYNC_EVERY, {
      free(buf) {
        spare.push(buf);
        if (--inFlight < IN_FLIGHT && !failure) source.resume();
      },
      failed: (err) => stop(new StorageFailure(err)),
    });
    const flush = (): void => {
      job.write(batch, filled);
      inFlight++;
      batch = spare.pop() ?? Buffer.allocUnsafeSlow(BATCH);
      filled = 0;
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxSize) return stop(new SizeLimitExceeded(`image data exceeds ${maxSize} bytes`));
      head.add(chunk);
      // Hashed chunk by chunk, not by batch: the thread stays free for other requests between
      // chunks (a 4 MiB batch holds it for ~10 ms, which every request queued behind it waits).
      sha512.update(chunk);
      for (let at = 0; at < chunk.length;) {
        const n = chunk.copy(batch, filled, at);
        filled += n;
        at += n;
        if (filled === BATCH) flush();
      }
      if (inFlight >= IN_FLIGHT) source.pause();
    };
    const stop = (err: Error): void => {
      if (failure) return;
      failure = err;
      source.off('data', onData);
      source.resume();
      void (finishing ?? job.abort()).then(() => reject(err));
    };

    source.on('data', onData);
    source.once('end', () => {
      if (failure) return;
      if (filled > 0) flush();
      finishing = job.end(to);
      void finishing.then((md5) => {
        // A failure reported meanwhile has been (or is being) rejected by stop().
        if (!failure && md5 !== undefined)
          resolve({ size, md5, sha512: sha512.digest('hex'), head: head.bytes() });
      });
    });
    finished(source, (err) => {
      if (err) stop(err);
    });
  });
}

/**
 * Immutable image files under one directory. A write goes to .tmp/ under a fresh name, is hashed
 * as it streams, fsynced and renamed into place only when complete: a crash leaves at most a
 * temp file, which the next start removes.
 */
export class ImageFileStore {
  private readonly tmpDir: string;

  constructor(private readonly dir: string) {
    this.tmpDir = path.join(dir, '.tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
  }

  pathOf(fileId: string): string {
    return path.join(this.dir, fileId);
  }

  async write(source: Readable, opts: { maxSize?: number } = {}): Promise<StoredFile> {
    const fileId = randomUUID();
    const tmp = path.join(this.tmpDir, fileId);
    try {
      const stored = await hashAndWrite(source, tmp, this.pathOf(fileId), opts.maxSize ?? Infinity);
      return { fileId, ...stored };
    } catch (err) {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Takes over a complete file written elsewhere on the same file system (a flattened volume, a
   * converted snapshot), which nothing writes any more: one read to hash it, then a rename
   * instead of a second copy. md5 and sha512 each read the file on a thread of their own while
   * this one fsyncs it (the caller need not have), so the three overlap; the rename comes only
   * once the bytes that were hashed are on disk.
   */
  async adopt(file: string): Promise<StoredFile> {
    const fileId = randomUUID();
    const handle = await fsp.open(file, 'r');
    let stored: Omit<StoredFile, 'fileId'>;
    try {
      const head = Buffer.alloc(HEADER_BYTES);
      const work = [
        fileHashes.hash(handle.fd, 'md5'),
        fileHashes.hash(handle.fd, 'sha512'),
        handle.read(head, 0, HEADER_BYTES, 0),
        handle.sync(),
      ] as const;
      // Every part settles before the handle closes: the hashing threads read its fd.
      await Promise.allSettled(work);
      const [md5, sha512, read] = await Promise.all(work);
      if (md5.size !== sha512.size) throw new Error(`${file} changed while it was being hashed`);
      stored = {
        size: md5.size,
        md5: md5.digest,
        sha512: sha512.digest,
        head: head.subarray(0, read.bytesRead),
      };
    } finally {
      await handle.close();
    }
    try {
      await fsp.rename(file, this.pathOf(fileId));
    } catch (err) {
      // Another file system: fall back to copying through the hashing writer.
      if ((err as NodeJS.ErrnoException).code === 'EXDEV')
        return this.write(fs.createReadStream(file, { highWaterMark: CHUNK }));
      throw err;
    }
    return { fileId, ...stored };
  }

  /** A stream of bytes start..end inclusive (the whole file by default). */
  read(fileId: string, range?: { start: number; end: number }): fs.ReadStream {
    return fs.createReadStream(this.pathOf(fileId), { highWaterMark: CHUNK, ...range });
  }

  /** Gone already is fine. One unlink: fs.rm would stat the path first, a second pool round. */
  async remove(fileId: string): Promise<void> {
    await fsp.unlink(this.pathOf(fileId)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** Start-up clean-up: unfinished writes and files no metadata row points at. */
  async sweep(referenced: Set<string>): Promise<string[]> {
    await fsp.rm(this.tmpDir, { recursive: true, force: true });
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const removed: string[] = [];
    for (const name of await fsp.readdir(this.dir)) {
      if (name === '.tmp' || referenced.has(name)) continue;
      await fsp.rm(this.pathOf(name), { force: true });
      removed.push(name);
    }
    return removed;
  }
}
