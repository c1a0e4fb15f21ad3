import fsp from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** SQLite's own threshold (wal_autocheckpoint's default of 1000 pages of 4 KiB). */
const WAL_BYTES = 4 * 1024 * 1024;
const EVERY_MS = 1000;

/**
 * Moves WAL checkpoints off the event loop. SQLite runs them inside the commit that crosses
 * `wal_autocheckpoint`, copying pages back and fsyncing the database on the thread that
 * committed: hundreds of milliseconds of a stalled server when the disk is busy. Here the
 * connection never checkpoints by itself; a thread with a connection of its own does, once the
 * WAL has grown past SQLite's threshold. The thread starts only then, so short-lived databases
 * (tests, tools) never pay for it. Should it fail, the connection checkpoints as SQLite would.
 * Returns the function that stops it (before the connection closes).
 */
export function checkpointInBackground(sqlite: SQLite.Database, file: string): () => void {
  sqlite.pragma('wal_autocheckpoint = 0');
  let worker: Worker | undefined;
  let busy = false;
  let stopped = false;
  const fallBack = (): void => {
    stopped = true;
    clearInterval(timer);
    void worker?.terminate();
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  };
  const start = (): Worker => {
    // Relative to dist/src/<dir>/: right from this module and from the launcher's bundle
    // (dist/src/bundle/), which sits at the same depth (scripts/build.sh).
    const w = new Worker(new URL('../store/checkpoint.worker.js', import.meta.url), {
      workerData: { file },
    });
    w.unref();
    w.on('message', (m: { ok: boolean }) => {
      busy = false;
      if (!m.ok) fallBack();
    });
    w.on('error', fallBack);
    return w;
  };
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    fsp.stat(`${file}-wal`).then(
      (st) => {
        if (stopped || st.size < WAL_BYTES) {
          busy = false;
          return;
        }
        worker ??= start();
        worker.postMessage('checkpoint');
      },
      () => {
        busy = false;
      },
    );
  }, EVERY_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
    void worker?.terminate();
  };
}
