import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openSqlite, withArrayReader, type Db } from '../../src/store/db.js';
import type { ServerRow } from '../../src/store/compute-schema.js';
import { SHOWN_COLUMNS } from '../../src/services/compute/server-model.js';
import { serverRow } from '../helpers/server-row.js';
import { readShownRows, SERVER_COLUMNS } from '../../src/services/compute/server-page.js';

// A list page reads servers.shown, which migration 014's triggers keep equal to the shown
// columns: every write of any of them, by any path, must leave it so.

// A server as a create first writes it: building, with no key and no host yet.
const server = (id: string): ServerRow =>
  serverRow(id, {
    vm_state: 'building',
    task_state: 'scheduling',
    power_state: 0,
    system_metadata: '{}',
    key_name: null,
    key_data: null,
    host: null,
  });

const INTEGERS = new Set(['power_state', 'locked', 'progress', 'launch_index']);

/** The page's read against the columns themselves, for every server. */
async function assertShown(db: Db, when: string): Promise<void> {
  const clauses = { text: 'order by id', params: [] };
  const shown = await withArrayReader(db, (read) => readShownRows(read, clauses));
  const rows = await db.selectFrom('servers').select(SERVER_COLUMNS).orderBy('id').execute();
  const want = rows.map((r) => Object.fromEntries(SHOWN_COLUMNS.map((c) => [c, r[c]])));
  assert.deepEqual(shown, want, when);
}

test('servers.shown follows inserts and an update of each shown column', async () => {
  const db = await openSqlite(':memory:');
  try {
    await db
      .insertInto('servers')
      .values([server('a'), server('b')])
      .execute();
    await assertShown(db, 'after insert');
    for (const [i, c] of SHOWN_COLUMNS.entries()) {
      if (c === 'id') continue;
      const value = INTEGERS.has(c) ? i + 7 : `v${i} "\u00e9\\`;
      await db
        .updateTable('servers')
        .set({ [c]: value })
        .where('id', '=', 'a')
        .execute();
      await assertShown(db, `after setting ${c}`);
    }
    await db.updateTable('servers').set({ id: 'c' }).where('id', '=', 'b').execute();
    await assertShown(db, 'after setting id');
    // Several rows in one statement, and a column the list does not show.
    await db.updateTable('servers').set({ vm_state: 'active', image_meta: '{"x":1}' }).execute();
    await assertShown(db, 'after a multi-row update');
    await db.deleteFrom('servers').where('id', '=', 'c').execute();
    await assertShown(db, 'after delete');
  } finally {
    await db.destroy();
  }
});

test('a server whose shown array is missing is still listed from its columns', async () => {
  const db = await openSqlite(':memory:');
  try {
    await db.insertInto('servers').values(server('a')).execute();
    await sql`update servers set shown = null`.execute(db);
    await assertShown(db, 'with shown null');
  } finally {
    await db.destroy();
  }
});
