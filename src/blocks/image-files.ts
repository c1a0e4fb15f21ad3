import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { finished, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

/** md5 and sha512 of a stream of chunks, and its first bytes, computed in one pass. */
class Digest {
  private readonly md5 = createHash('md5');
  private readonly sha512 = createHash('sha512');
  private readonly head: Buffer[] = [];
  private headLength = 0;
  private size = 0;

  update(chunk: Buffer): void {
    this.size += chunk.length;
    this.md5.update(chunk);
    this.sha512.update(chunk);
    if (this.headLength < HEADER_BYTES) {
      // A copy: the chunk's buffer may be reused by the stream that produced it.
      this.head.push(Buffer.from(chunk.subarray(0, HEADER_BYTES - this.headLength)));
      this.headLength += Math.min(chunk.length, HEADER_BYTES - this.headLength);
    }
  }

  result(): Omit<StoredFile, 'fileId'> {
    return { size: this.size, md5: this.md5.digest('hex'), sha512: this.sha512.digest('hex'), head: Buffer.concat(this.head) };
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

// Large chunks keep the per-chunk overhead of hashing and writing small.
const CHUNK = 1024 * 1024;
/** Flush to disk while the upload runs, so the final fsync has little left to do. */
const SYNC_EVERY = 64 * 1024 * 1024;

/**
 * A pass-through that starts an fdatasync of the sink's file every `every` bytes. The syncs run
 * on the thread pool while data keeps flowing; the final fsync still makes the file durable.
 */
function syncEvery(sink: fs.WriteStream, every: number): Transform {
  let sinceSync = 0;
  let syncing = false;
  return new Transform({
    highWaterMark: CHUNK,
    transform(chunk: Buffer, _enc, done) {
      sinceSync += chunk.length;
      const fd = (sink as unknown as { fd: number | null }).fd;
      if (sinceSync >= every && !syncing && typeof fd === 'number') {
        sinceSync = 0;
        syncing = true;
        fs.fdatasync(fd, () => (syncing = false));
      }
      done(null, chunk);
    },
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
    const digest = new Digest();
    let size = 0;
    const maxSize = opts.maxSize ?? Infinity;

    const hasher = new Transform({
      highWaterMark: CHUNK,
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxSize) return done(new SizeLimitExceeded(`image data exceeds ${maxSize} bytes`));
        digest.update(chunk);
        done(null, chunk);
      },
    });

    // Which side failed first decides what becomes of the image: a client that went away may
    // retry, a store that cannot write may not. The source is piped by hand rather than given to
    // pipeline(), because pipeline would destroy it on a store failure, and destroying an HTTP
    // request closes its socket before the server can answer.
    let storageFailed: NodeJS.ErrnoException | undefined;
    let settled = false;
    const sink = fs.createWriteStream(tmp, { highWaterMark: CHUNK });
    sink.on('error', (err) => {
      if (!settled) storageFailed = err;
      settled = true;
    });
    hasher.on('error', () => (settled = true));
    const written = pipeline(hasher, syncEvery(sink, SYNC_EVERY), sink);
    finished(source, (err) => {
      if (err) hasher.destroy(err);
    });
    source.pipe(hasher);
    try {
      await written;
      const handle = await fsp.open(tmp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(tmp, this.pathOf(fileId));
    } catch (err) {
      // Drain what the client still sends, so that the error can be answered.
      source.unpipe(hasher);
      source.resume();
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      if (storageFailed) throw new StorageFailure(storageFailed);
      // fsync and rename failures are the store's too.
      if (!settled && (err as NodeJS.ErrnoException).syscall) throw new StorageFailure(err as NodeJS.ErrnoException);
      throw err;
    }
    return { fileId, ...digest.result() };
  }

  /**
   * Takes over a complete file written elsewhere on the same file system (a volume flattened
   * for upload): one read to hash it, then a rename instead of a second copy.
   */
  async adopt(file: string): Promise<StoredFile> {
    const fileId = randomUUID();
    const digest = new Digest();
    for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK })) digest.update(chunk as Buffer);
    const handle = await fsp.open(file, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fsp.rename(file, this.pathOf(fileId));
    } catch (err) {
      // Another file system: fall back to copying through the hashing writer.
      if ((err as NodeJS.ErrnoException).code === 'EXDEV') return this.write(fs.createReadStream(file, { highWaterMark: CHUNK }));
      throw err;
    }
    return { fileId, ...digest.result() };
  }

  /** A stream of bytes start..end inclusive (the whole file by default). */
  read(fileId: string, range?: { start: number; end: number }): fs.ReadStream {
    return fs.createReadStream(this.pathOf(fileId), { highWaterMark: CHUNK, ...range });
  }

  async remove(fileId: string): Promise<void> {
    await fsp.rm(this.pathOf(fileId), { force: true });
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
