import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { checkpointInBackground } from './checkpoint.js';
import { sqlRegexp } from './regexp.js';
import type { Database } from './schema.js';
import * as m001 from './migrations/001-identity-and-images.js';
import * as m002 from './migrations/002-volumes.js';
import * as m003 from './migrations/003-quotas.js';
import * as m004 from './migrations/004-flavors.js';
import * as m005 from './migrations/005-keypairs.js';
import * as m006 from './migrations/006-volume-attachments.js';
import * as m007 from './migrations/007-task-scopes.js';
import * as m008 from './migrations/008-layer-refs.js';
import * as m009 from './migrations/009-layer-roots.js';
import * as m010 from './migrations/010-network.js';
import * as m011 from './migrations/011-auto-allocated-topology.js';
import * as m012 from './migrations/012-servers.js';
import * as m013 from './migrations/013-orchestration.js';
import * as m014 from './migrations/014-server-shown.js';

export type Db = Kysely<Database>;

/** Numbered migrations, applied in order at start-up; never edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '001-identity-and-images': m001,
  '002-volumes': m002,
  '003-quotas': m003,
  '004-flavors': m004,
  '005-keypairs': m005,
  '006-volume-attachments': m006,
  '007-task-scopes': m007,
  '008-layer-refs': m008,
  '009-layer-roots': m009,
  '010-network': m010,
  '011-auto-allocated-topology': m011,
  '012-servers': m012,
  '013-orchestration': m013,
  '014-server-shown': m014,
};

/** Opens (creating if needed) the embedded SQLite database in the data directory. */
export async function openSqlite(file: string): Promise<Db> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.function('regexp', { deterministic: true }, sqlRegexp);
  // WAL: readers never wait for the writer; NORMAL sync is durable across a process crash.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 32 MiB of pages (SQLite's default is 2 MiB): a list page after a random marker reads rows
  // all over the servers table, which at 10,000 servers is several times the default, so most of
  // its page reads were system calls. Allocated as pages are read; never stale (SQLite's own).
  sqlite.pragma('cache_size = -32768');
  const stopCheckpoints =
    file === ':memory:' ? () => undefined : checkpointInBackground(sqlite, file);
  const statements = cachingStatements(sqlite, stopCheckpoints);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  arrayReaders.set(db, { read: statements.readArrays, inTransaction: () => sqlite.inTransaction });
  await migrate(db);
  return db;
}

/** Runs a SELECT and returns its rows as arrays of values, in the order of its columns. */
export type ReadArrays = (text: string, params: readonly unknown[]) => unknown[][];

const arrayReaders = new WeakMap<Db, { read: ReadArrays; inTransaction: () => boolean }>();

/**
 * Runs `work` with a reader that skips Kysely's query building and better-sqlite3's per-row
 * objects, for read paths where those dominate (an image list page). `work` must be synchronous.
 * It never reads inside another request's open transaction: while one is open it waits for
 * Kysely's one connection as a query does. With none open, no other work can be half-done on
 * the connection (every statement runs to completion synchronously), so it reads at once.
 */
export async function withArrayReader<T>(db: Db, work: (read: ReadArrays) => T): Promise<T> {
  const reader = arrayReaders.get(db);
  if (!reader) throw new Error('withArrayReader: not a database from openSqlite');
  if (!reader.inTransaction()) return work(reader.read);
  return db.connection().execute(async () => work(reader.read));
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running a small
 * query, so statements are kept by their SQL text. Safe because better-sqlite3 runs a
 * statement to completion synchronously; the cache is bounded because SQL text with inlined
 * list lengths (`in (?, ?, ...)`) varies.
 */
function cachingStatements(
  sqlite: SQLite.Database,
  beforeClose: () => void,
): {
  close(): void;
  prepare(sql: string): SQLite.Statement;
  readArrays: ReadArrays;
} {
  const cache = (): ((text: string) => SQLite.Statement) => {
    const statements = new Map<string, SQLite.Statement>();
    return (text) => {
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= 1000) statements.clear();
        statement = sqlite.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    };
  };
  // Array mode is a setting of the statement, so array reads keep statements of their own.
  const arrays = cache();
  return {
    close: () => {
      beforeClose();
      sqlite.close();
    },
    prepare: cache(),
    readArrays: (text, params) =>
      arrays(text)
        .raw(true)
        .all(...params) as unknown[][],
  };
}

async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
