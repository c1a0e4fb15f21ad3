// The worker-thread half of image-writer.ts: one hash and the file work of image uploads (open,
// writes, syncs, close, rename), so that the main thread is left with the socket and the other
// hash. Several uploads may share this thread; messages carry the upload's id. File calls are
// asynchronous: their completions come back to this thread's loop, not the main thread's.
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { parentPort } from 'node:worker_threads';
import { errnoOf, type FromWorker, type ToWorker } from './image-writer-protocol.js';

interface Job {
  /** -1 when the open failed: the job only drops data until it is released. */
  fd: number;
  path: string;
  hash: Hash;
  /** Where the next batch goes: batches are written with pwrite, several at a time. */
  position: number;
  sinceSync: number;
  syncEvery: number;
  /** Writes and the fdatasync in flight: the fd stays in use, and the job open, until they end. */
  busy: number;
  syncing: boolean;
  whenIdle?: () => void;
  failed: boolean;
}

const port = parentPort!;
const jobs = new Map<number, Job>();

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/** Only the first failure is reported: it is the one that explains the others. */
function fail(id: number, job: Job, err: unknown): void {
  if (job.failed) return;
  job.failed = true;
  post({ op: 'failed', id, error: errnoOf(err) });
}

function settled(job: Job): void {
  if (--job.busy === 0) job.whenIdle?.();
}

/**
 * The write goes to the thread pool, so that this thread hashes the next batch meanwhile: what
 * the kernel spends on a buffered write varies a lot, and should not hold up the hash.
 */
function writeAt(
  id: number,
  job: Job,
  buf: ArrayBuffer,
  start: number,
  end: number,
  position: number,
): void {
  job.busy++;
  fs.write(job.fd, new Uint8Array(buf), start, end - start, position, (err, written) => {
    if (!err && written === 0)
      err = Object.assign(new Error('write(2) wrote nothing'), { code: 'EIO', syscall: 'write' });
    if (!err && start + written < end) {
      // write(2) on a regular file may still write less than asked, e.g. just before the disk fills.
      writeAt(id, job, buf, start + written, end, position + written);
    } else {
      if (err) fail(id, job, err);
      // The buffer goes back to be filled again: no allocation per batch on either side.
      post({ op: 'free', id, buf }, [buf]);
      syncNow(id, job);
    }
    settled(job);
  });
}

/**
 * Flushed while the upload runs, so the final fsync has little left to do. A failed fdatasync
 * fails the upload: the final fsync need not report the same error again.
 */
function syncNow(id: number, job: Job): void {
  if (job.sinceSync < job.syncEvery || job.syncing || job.failed) return;
  job.sinceSync = 0;
  job.syncing = true;
  job.busy++;
  fs.fdatasync(job.fd, (err) => {
    if (err) fail(id, job, err);
    job.syncing = false;
    settled(job);
  });
}

const fsyncAt = promisify(fs.fsync);
const closeFd = promisify(fs.close);
const rename = promisify(fs.rename);

/**
 * Once no write or sync of the job is in flight: with `to`, the data is made durable and the
 * file renamed (its digest is answered only when all of that worked); the file is closed in
 * every case.
 */
async function release(id: number, job: Job, to: string | undefined): Promise<void> {
  if (job.busy > 0) await new Promise<void>((resolve) => (job.whenIdle = resolve));
  jobs.delete(id);
  if (job.fd >= 0) {
    const keep = to !== undefined && !job.failed;
    try {
      if (keep) await fsyncAt(job.fd);
    } catch (err) {
      fail(id, job, err);
    }
    try {
      await closeFd(job.fd);
    } catch (err) {
      if (keep) fail(id, job, err);
    }
    if (keep && !job.failed) {
      await rename(job.path, to).catch((err: unknown) => fail(id, job, err));
    }
  }
  const complete = to !== undefined && !job.failed;
  post({ op: 'released', id, digest: complete ? job.hash.digest('hex') : undefined });
}

port.on('message', (m: ToWorker) => {
  if (m.op === 'open') {
    const job: Job = {
      fd: -1,
      path: m.path,
      hash: createHash(m.algorithm),
      position: 0,
      sinceSync: 0,
      syncEvery: m.syncEvery,
      busy: 0,
      syncing: false,
      failed: false,
    };
    jobs.set(m.id, job);
    try {
      // Synchronous: creating a file is quick, and data for it may be the very next message.
      job.fd = fs.openSync(m.path, 'w');
    } catch (err) {
      fail(m.id, job, err);
    }
    return;
  }
  const job = jobs.get(m.id);
  if (!job) return;
  if (m.op === 'data') {
    if (job.failed) return post({ op: 'free', id: m.id, buf: m.buf }, [m.buf]);
    job.hash.update(new Uint8Array(m.buf, 0, m.length));
    writeAt(m.id, job, m.buf, 0, m.length, job.position);
    job.position += m.length;
    job.sinceSync += m.length;
    return;
  }
  void release(m.id, job, m.op === 'end' ? m.to : undefined);
});
