import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openSqlite } from '../../src/store/db.js';

// WAL checkpoints run on a thread of their own (src/store/checkpoint.ts), not inside the commit
// that crosses SQLite's threshold: the WAL must still be recycled, or it would grow forever.

const MiB = 1024 * 1024;

test('the WAL is checkpointed in the background and reused, not grown without end', async (t) => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pocketstack-wal-'));
  const file = path.join(dir, 'test.db');
  const db = await openSqlite(file);
  t.after(async () => {
    await db.destroy();
    await fsp.rm(dir, { recursive: true, force: true });
  });
  await sql`create table blobs (b blob)`.execute(db);
  const write = async (mib: number) => {
    for (let i = 0; i < mib * 4; i++)
      await sql`insert into blobs values (${Buffer.alloc(256 * 1024, i)})`.execute(db);
  };
  await write(6);
  const grown = fs.statSync(`${file}-wal`).size;
  assert.ok(grown >= 6 * MiB, `the commits themselves did not checkpoint (${grown} bytes)`);
  // The checkpointer looks once a second; then the next writes start the WAL over.
  await new Promise((r) => setTimeout(r, 4000));
  await write(6);
  const after = fs.statSync(`${file}-wal`).size;
  assert.ok(after < grown + 2 * MiB, `the WAL was reused (${grown} then ${after} bytes)`);
  const n = await sql<{ n: number }>`select count(*) as n from blobs`.execute(db);
  assert.equal(n.rows[0]!.n, 48);
});
