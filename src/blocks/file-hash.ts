import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { errnoError, type ErrnoFields } from './image-writer-protocol.js';

/**
 * Worker threads that hash complete files (ImageFileStore.adopt): each hash of a file on a thread
 * of its own, reading the file itself, so md5 and sha512 of a snapshot run side by side and the
 * main thread, which answers every request meanwhile, only waits.
 */

/** Hash the file open as `fd` (the main thread's descriptor: fds are per process). */
export interface ToHasher {
  id: number;
  fd: number;
  algorithm: string;
}

export type FromHasher =
  { id: number; digest: string; size: number } | { id: number; error: ErrnoFields };

export interface FileDigest {
  digest: string;
  /** The bytes hashed: the file's size when the read reached its end. */
  size: number;
}

interface Waiter {
  resolve(d: FileDigest): void;
  reject(err: Error): void;
}

/** A thread is stopped after this long without work; the next hash starts one again. */
const IDLE_MS = 30_000;

class HashThread {
  readonly waiting = new Map<number, Waiter>();
  // Relative to dist/src/<dir>/, so that the launcher's bundle (dist/src/bundle/) finds it too.
  private readonly worker = new Worker(new URL('../blocks/file-hash.worker.js', import.meta.url));
  private idleTimer?: NodeJS.Timeout;
  private gone = false;

  constructor(private readonly onGone: (t: HashThread) => void) {
    this.worker.on('message', (m: FromHasher) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      this.idleCheck();
      if ('error' in m) w.reject(errnoError(m.error));
      else w.resolve({ digest: m.digest, size: m.size });
    });
    this.worker.on('error', (err) => this.stopped(err));
    this.worker.on('exit', (code) => this.stopped(new Error(`file hash thread exited (${code})`)));
  }

  hash(job: ToHasher): Promise<FileDigest> {
    if (this.gone) return Promise.reject(new Error('file hash thread has stopped'));
    const done = new Promise<FileDigest>((resolve, reject) =>
      this.waiting.set(job.id, { resolve, reject }),
    );
    this.worker.postMessage(job);
    this.idleCheck();
    return done;
  }

  /** Busy threads keep the process alive as pending I/O does; idle ones do not, and go. */
  private idleCheck(): void {
    clearTimeout(this.idleTimer);
    if (this.waiting.size > 0) {
      this.worker.ref();
      return;
    }
    this.worker.unref();
    this.idleTimer = setTimeout(() => {
      this.retire();
      void this.worker.terminate().catch(() => undefined);
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private retire(): void {
    if (this.gone) return;
    this.gone = true;
    clearTimeout(this.idleTimer);
    this.onGone(this);
  }

  private stopped(err: Error): void {
    this.retire();
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(err);
  }
}

class FileHashPool {
  private readonly threads: HashThread[] = [];
  private nextId = 1;

  constructor(private readonly size: number) {}

  /** The digest of the whole file open as `fd`, which must stay open until this settles. */
  hash(fd: number, algorithm: string): Promise<FileDigest> {
    let thread = this.threads.reduce<HashThread | undefined>(
      (a, t) => (a && a.waiting.size <= t.waiting.size ? a : t),
      undefined,
    );
    if (!thread || (thread.waiting.size > 0 && this.threads.length < this.size)) {
      thread = new HashThread((t) => this.threads.splice(this.threads.indexOf(t), 1));
      this.threads.push(thread);
    }
    return thread.hash({ id: this.nextId++, fd, algorithm });
  }
}

// At least two, so that a file's two hashes run side by side even on a machine of two cores.
export const fileHashes = new FileHashPool(Math.max(2, Math.min(4, os.availableParallelism())));
