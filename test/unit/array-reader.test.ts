import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqlite, withArrayReader } from '../../src/store/db.js';

test('array reads give rows as arrays in column order', async () => {
  const db = await openSqlite(':memory:');
  try {
    const rows = await withArrayReader(db, (read) => read('select 1, ?, null', ['x']));
    assert.deepEqual(rows, [[1, 'x', null]]);
  } finally {
    await db.destroy();
  }
});

test('array reads never see another transaction half-done: they wait for it to end', async () => {
  const db = await openSqlite(':memory:');
  try {
    await db.schema.createTable('t').addColumn('v', 'integer').execute();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const didInsert = new Promise<void>((r) => (inserted = r));
    const trx = db.transaction().execute(async (tx) => {
      await tx
        .insertInto('t' as never)
        .values({ v: 1 } as never)
        .execute();
      inserted();
      await held;
      throw new Error('roll back');
    });
    await didInsert;
    const read = withArrayReader(db, (r) => r('select v from t', []));
    release();
    await assert.rejects(trx, /roll back/);
    assert.deepEqual(await read, []);
  } finally {
    await db.destroy();
  }
});
