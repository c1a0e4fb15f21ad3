import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertFault, useApp } from '../helpers/app.js';
import { computeClient } from '../helpers/compute-servers.js';

const app = useApp();
const c = computeClient(app);
const MISSING = '4c1a5d0e-64a6-4a8d-9a6e-6a5b1f0c2d3e';

test('metadata: list, merge, replace, items, texts', async () => {
  const { id } = await c.server({ metadata: { a: '1' } });
  assert.deepEqual((await c.get(`servers/${id}/metadata`)).json(), { metadata: { a: '1' } });

  let res = await c.post(`servers/${id}/metadata`, { metadata: { b: '2' } });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { metadata: { a: '1', b: '2' } });

  res = await c.put(`servers/${id}/metadata`, { metadata: { c: '3' } });
  assert.deepEqual(res.json(), { metadata: { c: '3' } });

  res = await c.put(`servers/${id}/metadata/d`, { meta: { d: '4' } });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { meta: { d: '4' } });
  assert.deepEqual((await c.get(`servers/${id}/metadata/d`)).json(), { meta: { d: '4' } });

  assertFault(
    await c.put(`servers/${id}/metadata/d`, { meta: { e: '4' } }),
    400,
    'badRequest',
    'Request body and URI mismatch',
  );
  assertFault(
    await c.put(`servers/${id}/metadata/d`, { meta: { d: '4', e: '5' } }),
    400,
    'badRequest',
    /^Invalid input for field\/attribute meta\./,
  );
  assertFault(
    await c.put(`servers/${id}/metadata/d`, { meta: {} }),
    400,
    'badRequest',
    /^Invalid input for field\/attribute meta\./,
  );
  assertFault(
    await c.post(`servers/${id}/metadata`, { metadata: { '': 'x' } }),
    400,
    'badRequest',
    /^Invalid input for field\/attribute metadata\./,
  );
  assertFault(
    await c.post(`servers/${id}/metadata`, { metadata: { k: 'v'.repeat(256) } }),
    400,
    'badRequest',
  );

  res = await c.del(`servers/${id}/metadata/d`);
  assert.equal(res.statusCode, 204);
  assertFault(
    await c.del(`servers/${id}/metadata/d`),
    404,
    'itemNotFound',
    'Metadata item was not found',
  );
  assertFault(
    await c.get(`servers/${id}/metadata/d`),
    404,
    'itemNotFound',
    'Metadata item was not found',
  );
  assertFault(
    await c.get(`servers/${MISSING}/metadata`),
    404,
    'itemNotFound',
    `Instance ${MISSING} could not be found.`,
  );
});

test('metadata: metadata_items quota, lock and state', async () => {
  const { id } = await c.server();
  const many = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, 'v']));
  assertFault(
    await c.put(`servers/${id}/metadata`, { metadata: many }),
    403,
    'forbidden',
    'Maximum number of metadata items exceeds 128',
  );

  assert.equal((await c.post(`servers/${id}/action`, { lock: null })).statusCode, 202);
  assertFault(
    await c.post(`servers/${id}/metadata`, { metadata: { a: 'b' } }),
    409,
    'conflictingRequest',
    `Instance ${id} is locked`,
  );
  // An admin is not held by the owner's lock.
  assert.equal(
    (await c.post(`servers/${id}/metadata`, { metadata: { a: 'b' } }, app.admin)).statusCode,
    200,
  );
  await c.post(`servers/${id}/action`, { unlock: null });

  await app.t.db
    .updateTable('servers')
    .set({ task_state: 'rebooting' })
    .where('id', '=', id)
    .execute();
  assertFault(
    await c.post(`servers/${id}/metadata`, { metadata: { a: 'b' } }),
    409,
    'conflictingRequest',
    `Cannot 'update metadata' instance ${id} while it is in task_state rebooting`,
  );
  await app.t.db
    .updateTable('servers')
    .set({ task_state: null, vm_state: 'shelved_offloaded' })
    .where('id', '=', id)
    .execute();
  assertFault(
    await c.del(`servers/${id}/metadata/a`),
    409,
    'conflictingRequest',
    `Cannot 'delete metadata' instance ${id} while it is in vm_state shelved_offloaded`,
  );
  await app.t.db.updateTable('servers').set({ vm_state: 'active' }).where('id', '=', id).execute();
});

test('tags (2.26): add, list, check, replace, delete; 404 below 2.26; texts', async () => {
  const { id } = await c.server();
  const mv = '2.26';
  assertFault(
    await c.get(`servers/${id}/tags`),
    404,
    'itemNotFound',
    'The resource could not be found.',
  );
  assert.deepEqual((await c.get(`servers/${id}/tags`, app.demo, mv)).json(), { tags: [] });

  let res = await c.put(`servers/${id}/tags/t1`, undefined, app.demo, mv);
  assert.equal(res.statusCode, 201);
  assert.match(String(res.headers.location), new RegExp(`/compute/v2.1/servers/${id}/tags/t1$`));
  res = await c.put(`servers/${id}/tags/t1`, undefined, app.demo, mv);
  assert.equal(res.statusCode, 204);
  assert.equal((await c.get(`servers/${id}/tags/t1`, app.demo, mv)).statusCode, 204);
  assertFault(
    await c.get(`servers/${id}/tags/t2`, app.demo, mv),
    404,
    'itemNotFound',
    `Server ${id} has no tag 't2'`,
  );
  assertFault(
    await c.put(`servers/${id}/tags/a,b`, undefined, app.demo, mv),
    400,
    'badRequest',
    "Tag 'a,b' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: 'a,b' does not match '^[^,/]*$'",
  );
  assertFault(
    await c.put(`servers/${id}/tags/${'x'.repeat(61)}`, undefined, app.demo, mv),
    400,
    'badRequest',
    /is too long$/,
  );

  res = await c.put(`servers/${id}/tags`, { tags: ['b', 'a', 'a'] }, app.demo, mv);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json().tags.sort(), ['a', 'b']);
  assertFault(
    await c.put(`servers/${id}/tags`, { tags: ['a/b'] }, app.demo, mv),
    400,
    'badRequest',
    /^Invalid input for field\/attribute 0\./,
  );
  assertFault(
    await c.put(
      `servers/${id}/tags`,
      { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
      app.demo,
      mv,
    ),
    400,
    'badRequest',
  );
  // The tag shows in the server at 2.26.
  assert.deepEqual((await c.get(`servers/${id}`, app.demo, mv)).json().server.tags, ['a', 'b']);

  assert.equal((await c.del(`servers/${id}/tags/a`, app.demo, mv)).statusCode, 204);
  assertFault(
    await c.del(`servers/${id}/tags/a`, app.demo, mv),
    404,
    'itemNotFound',
    `Instance ${id} has no tag 'a'`,
  );
  assert.equal((await c.del(`servers/${id}/tags`, app.demo, mv)).statusCode, 204);
  assert.deepEqual((await c.get(`servers/${id}/tags`, app.demo, mv)).json(), { tags: [] });

  await c.put(
    `servers/${id}/tags`,
    { tags: Array.from({ length: 50 }, (_, i) => `t${i}`) },
    app.demo,
    mv,
  );
  assertFault(
    await c.put(`servers/${id}/tags/more`, undefined, app.demo, mv),
    400,
    'badRequest',
    'The number of tags exceeded the per-server limit 50',
  );

  assertFault(
    await c.get(`servers/${MISSING}/tags`, app.demo, mv),
    404,
    'itemNotFound',
    `Instance ${MISSING} has no mapping to a cell.`,
  );
  await app.t.db.updateTable('servers').set({ vm_state: 'error' }).where('id', '=', id).execute();
  assertFault(
    await c.del(`servers/${id}/tags`, app.demo, mv),
    409,
    'conflictingRequest',
    `Cannot 'delete tags' instance ${id} while it is in vm_state error`,
  );
  await app.t.db.updateTable('servers').set({ vm_state: 'active' }).where('id', '=', id).execute();
});
