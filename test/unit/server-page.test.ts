import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqlite, withArrayReader } from '../../src/store/db.js';
import type { BlockDeviceMappingRow, ServerRow } from '../../src/store/compute-schema.js';
import { SHOWN_COLUMNS } from '../../src/services/compute/server-model.js';
import { serverRow } from '../helpers/server-row.js';
import {
  readServerChildren,
  readServerRows,
  readShownChildren,
  readShownRows,
  SERVER_COLUMNS,
  shownRowOf,
} from '../../src/services/compute/server-page.js';

test('shownRowOf reads the columns in the order SHOWN_COLUMNS selects them', () => {
  const row = shownRowOf([...SHOWN_COLUMNS]) as Record<string, unknown>;
  assert.deepEqual(Object.keys(row), [...SHOWN_COLUMNS]);
  for (const c of SHOWN_COLUMNS) assert.equal(row[c], c);
});

const server = (id: string, created: string): ServerRow =>
  serverRow(id, { created_at: created, updated_at: created });

const bdm = (id: string, serverId: string, volume: string | null): BlockDeviceMappingRow => ({
  id,
  server_id: serverId,
  boot_index: volume ? null : 0,
  source_type: volume ? 'volume' : 'image',
  destination_type: volume ? 'volume' : 'local',
  device_name: null,
  device_type: 'disk',
  disk_bus: null,
  guest_format: null,
  volume_id: volume,
  snapshot_id: null,
  image_id: null,
  volume_size: volume ? 1 : null,
  volume_type: null,
  delete_on_termination: volume ? 0 : 1,
  tag: null,
  attachment_id: volume ? `att-${volume}` : null,
  created_at: `2026-01-01T00:00:0${id.length}.000Z`,
});

test('array reads of a page give what Kysely reads, rows and children', async () => {
  const db = await openSqlite(':memory:');
  try {
    await db
      .insertInto('servers')
      .values([server('a', '2026-01-01T00:00:01.000Z'), server('b', '2026-01-01T00:00:02.000Z')])
      .execute();
    await db
      .insertInto('server_metadata')
      .values([
        { server_id: 'a', key: 'z', value: '1' },
        { server_id: 'a', key: '__proto__', value: '2' },
      ])
      .execute();
    await db
      .insertInto('server_tags')
      .values([
        { server_id: 'b', tag: 't2' },
        { server_id: 'b', tag: 't1' },
      ])
      .execute();
    await db
      .insertInto('block_device_mappings')
      .values([bdm('x', 'a', null), bdm('yy', 'a', 'v1')])
      .execute();
    await db
      .insertInto('server_interfaces')
      .values([
        { server_id: 'a', port_id: 'p2', position: 1, preserve: 0, tag: null },
        { server_id: 'a', port_id: 'p1', position: 0, preserve: 1, tag: 'x' },
      ])
      .execute();
    const clauses = {
      text: 'where project_id = ? order by created_at desc limit ?',
      params: ['p1', 5],
    };
    const want = await db
      .selectFrom('servers')
      .select(SERVER_COLUMNS)
      .orderBy('created_at', 'desc')
      .execute();
    const [rows, shown, children, shownChildren] = await withArrayReader(db, (read) => [
      readServerRows(read, clauses),
      readShownRows(read, clauses),
      readServerChildren(read, ['a', 'b']),
      readShownChildren(read, ['a', 'b']),
    ]);
    assert.deepEqual(rows, want);
    assert.deepEqual(
      shown,
      want.map((r) => Object.fromEntries(SHOWN_COLUMNS.map((c) => [c, r[c]]))),
    );
    assert.deepEqual(Object.entries(children.metadata.get('a')!), [
      ['__proto__', '2'],
      ['z', '1'],
    ]);
    assert.deepEqual(children.tags.get('b'), ['t1', 't2']);
    assert.deepEqual(children.tags.get('a'), []);
    assert.deepEqual(children.bdms.get('a'), [bdm('x', 'a', null), bdm('yy', 'a', 'v1')]);
    assert.deepEqual(
      children.interfaces.get('a')!.map((i) => i.port_id),
      ['p1', 'p2'],
    );
    assert.deepEqual(children.interfaces.get('a')![0], {
      server_id: 'a',
      port_id: 'p1',
      position: 0,
      preserve: 1,
      tag: 'x',
    });
    // A list page reads the volumes attached and the ports, no more.
    assert.deepEqual(shownChildren.bdms.get('a'), [
      {
        destination_type: 'volume',
        volume_id: 'v1',
        attachment_id: 'att-v1',
        delete_on_termination: 0,
      },
    ]);
    assert.deepEqual(shownChildren.interfaces.get('a'), [{ port_id: 'p1' }, { port_id: 'p2' }]);
    assert.deepEqual(shownChildren.metadata.get('a'), children.metadata.get('a'));
  } finally {
    await db.destroy();
  }
});
