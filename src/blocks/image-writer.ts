import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { errnoError, type FromWorker, type ToWorker } from './image-writer-protocol.js';

/**
 * A few worker threads that hash and write image data for the main thread. Hashing costs more
 * CPU than anything else an upload does (md5 and sha512 of every byte); with one of the two
 * hashes and the writes on a worker, an upload runs on two cores instead of one.
 */

interface WriteJobEvents {
  /** A buffer given to write() is back, hashed and written, to be filled again. */
  free(buf: Buffer): void;
  /** The open, a write, a sync or the rename failed. The job still needs end() or abort(). */
  failed(err: NodeJS.ErrnoException): void;
}

/** One upload's share of a worker: its bytes, hashed with one algorithm and written to one file. */
class WriteJob {
  private release?: (digest: string | undefined) => void;
  private released = false;

  constructor(
    private readonly owner: PooledWorker,
    readonly id: number,
    private readonly events: WriteJobEvents,
  ) {}

  /**
   * Hands the first `length` bytes of `buf` to the worker, to go after those of the previous
   * write(). `buf` must own its whole ArrayBuffer (Buffer.allocUnsafeSlow): the ArrayBuffer is
   * transferred, not copied, and comes back through `free`.
   */
  write(buf: Buffer, length: number): void {
    if (this.released) return;
    const ab = buf.buffer as ArrayBuffer;
    this.owner.post({ op: 'data', id: this.id, buf: ab, length }, [ab]);
  }

  /**
   * The hash of all bytes written, once they are all written, synced and the file renamed to
   * `to`; undefined if the job failed (the file, if made, is then still at its first path).
   */
  end(to: string): Promise<string | undefined> {
    return this.finish({ op: 'end', id: this.id, to });
  }

  /** Resolves once the worker has closed the file. */
  async abort(): Promise<void> {
    await this.finish({ op: 'abort', id: this.id });
  }

  private finish(message: ToWorker): Promise<string | undefined> {
    if (this.released) return Promise.resolve(undefined);
    const done = new Promise<string | undefined>((resolve) => (this.release = resolve));
    this.owner.post(message);
    return done;
  }

  /** Messages from the worker, and its death (`exited`), which releases every job it had. */
  onMessage(m: FromWorker): void {
    if (m.op === 'free') this.events.free(Buffer.from(m.buf));
    else if (m.op === 'failed') this.events.failed(errnoError(m.error));
    else this.settle(m.digest);
  }

  exited(err: Error): void {
    if (this.released) return;
    // Released first: the failure handler may call abort(), which has nothing left to wait for.
    this.settle(undefined);
    this.events.failed(err);
  }

  private settle(digest: string | undefined): void {
    this.released = true;
    this.owner.jobs.delete(this.id);
    this.owner.idleCheck();
    this.release?.(digest);
  }
}

/** A worker is stopped after this long without work; the next upload starts one again. */
const IDLE_MS = 30_000;

class PooledWorker {
  readonly jobs = new Map<number, WriteJob>();
  // Relative to dist/src/<dir>/, so that the launcher's bundle (dist/src/bundle/) finds it too.
  private readonly worker = new Worker(
    new URL('../blocks/image-writer.worker.js', import.meta.url),
  );
  private idleTimer?: NodeJS.Timeout;
  private gone = false;

  constructor(private readonly onGone: (w: PooledWorker) => void) {
    this.worker.on('message', (m: FromWorker) => this.jobs.get(m.id)?.onMessage(m));
    this.worker.on('error', (err) => this.stopped(err));
    this.worker.on('exit', (code) =>
      this.stopped(new Error(`image writer thread exited (${code})`)),
    );
    this.idleCheck();
  }

  post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    if (this.gone) throw new Error('image writer thread has stopped');
    this.worker.postMessage(message, transfer);
  }

  add(job: WriteJob): void {
    this.jobs.set(job.id, job);
    this.idleCheck();
  }

  /**
   * A worker with work keeps the process alive, as any pending I/O does; an idle one must not
   * (the server, and tests, exit without closing the pool), and is stopped after a while.
   */
  idleCheck(): void {
    clearTimeout(this.idleTimer);
    if (this.jobs.size > 0) {
      this.worker.ref();
      return;
    }
    this.worker.unref();
    this.idleTimer = setTimeout(() => {
      // Out of the pool first, so that no upload is given a thread that is going away.
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
    for (const job of [...this.jobs.values()]) job.exited(err);
  }
}

/** Uploads share workers: one thread each would only contend for the same cores. */
class WriterPool {
  private readonly workers: PooledWorker[] = [];
  private nextId = 1;

  constructor(private readonly size: number) {}

  /** Creates `file` (truncating it) on a worker, which writes what the job is given to it. */
  open(file: string, algorithm: string, syncEvery: number, events: WriteJobEvents): WriteJob {
    let worker = this.workers.reduce<PooledWorker | undefined>(
      (a, w) => (a && a.jobs.size <= w.jobs.size ? a : w),
      undefined,
    );
    if (!worker || (worker.jobs.size > 0 && this.workers.length < this.size)) {
      worker = new PooledWorker((w) => this.workers.splice(this.workers.indexOf(w), 1));
      this.workers.push(worker);
    }
    const job = new WriteJob(worker, this.nextId++, events);
    worker.post({ op: 'open', id: job.id, path: file, algorithm, syncEvery });
    worker.add(job);
    return job;
  }
}

export const imageWriters = new WriterPool(Math.max(1, Math.min(4, os.availableParallelism() - 1)));
