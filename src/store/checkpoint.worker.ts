// The WAL checkpointer's thread: its own connection to the database, one PASSIVE checkpoint per
// message. PASSIVE never waits for the writer, so the main thread's statements go on meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const sqlite = new SQLite((workerData as { file: string }).file);
sqlite.pragma('busy_timeout = 5000');
// This connection only checkpoints: it must never start one on its own.
sqlite.pragma('wal_autocheckpoint = 0');

parentPort!.on('message', () => {
  try {
    sqlite.pragma('wal_checkpoint(PASSIVE)');
    parentPort!.postMessage({ ok: true });
  } catch (err) {
    parentPort!.postMessage({ ok: false, message: (err as Error).message });
  }
});
