import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import type { Database } from './schema.js';
import * as m001 from './migrations/001-identity-and-images.js';
import * as m002 from './migrations/002-volumes.js';
import * as m003 from './migrations/003-quotas.js';

export type Db = Kysely<Database>;

/** Numbered migrations, applied in order at start-up; never edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '001-identity-and-images': m001,
  '002-volumes': m002,
  '003-quotas': m003,
};

/** Opens (creating if needed) the embedded SQLite database in the data directory. */
export async function openSqlite(file: string): Promise<Db> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL: readers never wait for the writer; NORMAL sync is durable across a process crash.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  await migrate(db);
  return db;
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running a small
 * query, so statements are kept by their SQL text. Safe because better-sqlite3 runs a
 * statement to completion synchronously; the cache is bounded because SQL text with inlined
 * list lengths (`in (?, ?, ...)`) varies.
 */
function cachingStatements(sqlite: SQLite.Database): { close(): void; prepare(sql: string): SQLite.Statement } {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= 1000) statements.clear();
        statement = sqlite.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
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
