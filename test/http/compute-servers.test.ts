import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFault, useApp } from '../helpers/app.js';

/** The core of /servers over HTTP: create, show, list, delete and action errors, Nova's texts. */
const app = useApp();
const c = '/compute/v2.1';
const mv = (v: string) => ({ 'openstack-api-version': `compute ${v}` });

async function makeImage(): Promise<string> {
  const made = await app.t.inject({
    method: 'POST',
    url: '/image/v2/images',
    headers: app.demo,
    payload: { name: 'core-base', disk_format: 'raw', container_format: 'bare' },
  });
  const id = made.json().id as string;
  await app.t.inject({
    method: 'PUT',
    url: `/image/v2/images/${id}/file`,
    headers: { ...app.demo, 'content-type': 'application/octet-stream' },
    payload: Buffer.alloc(65536, 1),
  });
  return id;
}

const post = (payload: unknown, headers = app.demo) =>
  app.t.inject({ method: 'POST', url: `${c}/servers`, headers, payload: payload as object });
const action = (id: string, payload: unknown, headers = app.demo) =>
  app.t.inject({
    method: 'POST',
    url: `${c}/servers/${id}/action`,
    headers,
    payload: payload as object,
  });
const show = (id: string, headers = app.demo) =>
  app.t.inject({ method: 'GET', url: `${c}/servers/${id}`, headers });

async function settle(id: string, headers = app.demo): Promise<any> {
  for (let i = 0; i < 500; i++) {
    const s = show(id, headers);
    const server = (await s).json().server;
    if (server['OS-EXT-STS:task_state'] === null && server.status !== 'BUILD') return server;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`server ${id} did not settle`);
}

test('create answers 202 with Location, adminPass and the requested groups; show is the 2.1 view', async () => {
  const image = await makeImage();
  const res = await post({ server: { name: 'core-1', imageRef: image, flavorRef: '1' } });
  assert.equal(res.statusCode, 202);
  const body = res.json().server;
  assert.deepEqual(Object.keys(body).sort(), [
    'OS-DCF:diskConfig',
    'adminPass',
    'id',
    'links',
    'security_groups',
  ]);
  assert.deepEqual(body.security_groups, [{ name: 'default' }]);
  assert.match(res.headers.location as string, new RegExp(`/compute/v2.1/servers/${body.id}$`));
  const server = await settle(body.id);
  assert.equal(server.status, 'ACTIVE');
  assert.equal(server['OS-EXT-STS:vm_state'], 'active');
  assert.equal(server['OS-EXT-STS:power_state'], 1);
  assert.equal(server.tenant_id, app.demoProject);
  assert.equal(server.image.id, image);
  assert.equal(server.flavor.id, '1');
  assert.match(server['OS-SRV-USG:launched_at'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
  // An admin-only field is not shown to the owner.
  assert.equal(server['OS-EXT-SRV-ATTR:host'], undefined);
  const asAdmin = (await show(body.id, app.admin)).json().server;
  assert.equal(typeof asAdmin['OS-EXT-SRV-ATTR:host'], 'string');
});

test('create refuses unknown images, flavors and key pairs with Nova texts', async () => {
  const image = await makeImage();
  assertFault(
    await post({ server: { name: 'x', imageRef: crypto.randomUUID(), flavorRef: '1' } }),
    400,
    'badRequest',
    'Can not find requested image',
  );
  assertFault(
    await post({ server: { name: 'x', imageRef: image, flavorRef: '999' } }),
    400,
    'badRequest',
    'Flavor 999 could not be found.',
  );
  assertFault(
    await post({ server: { name: 'x', imageRef: image, flavorRef: '1', key_name: 'nope' } }),
    400,
    'badRequest',
    'Invalid key_name provided.',
  );
  // m1.tiny's 1 GB holds the image; flavor 42 (m1.nano) has a 1 GB disk too, but 64 MB of RAM.
  const small = await app.t.inject({
    method: 'PATCH',
    url: `/image/v2/images/${image}`,
    headers: { ...app.demo, 'content-type': 'application/openstack-images-v2.1-json-patch' },
    payload: [{ op: 'replace', path: '/min_ram', value: 1024 }],
  });
  assert.equal(small.statusCode, 200);
  assertFault(
    await post({ server: { name: 'x', imageRef: image, flavorRef: '1' } }),
    400,
    'badRequest',
    "Flavor's memory is too small for requested image.",
  );
});

test('show, action and delete of a server that is not there, or not the caller’s, are 404', async () => {
  const missing = crypto.randomUUID();
  assertFault(await show(missing), 404, 'itemNotFound', `Instance ${missing} could not be found.`);
  assertFault(
    await action(missing, { 'os-stop': null }),
    404,
    'itemNotFound',
    `Instance ${missing} could not be found.`,
  );
  const image = await makeImage();
  const theirs = await post(
    { server: { name: 'admin-only', imageRef: image, flavorRef: '1' } },
    app.admin,
  );
  // demo's image is private; the admin may still use it, as Nova's admin may.
  assert.equal(theirs.statusCode, 202, theirs.body);
  const id = theirs.json().server.id as string;
  assertFault(await show(id), 404, 'itemNotFound', `Instance ${id} could not be found.`);
  const del = await app.t.inject({
    method: 'DELETE',
    url: `${c}/servers/${id}`,
    headers: app.demo,
  });
  assert.equal(del.statusCode, 404);
  await settle(id, app.admin);
  const gone = await app.t.inject({
    method: 'DELETE',
    url: `${c}/servers/${id}`,
    headers: app.admin,
  });
  assert.equal(gone.statusCode, 204);
});

test('actions: unknown names, bad reboot types and wrong states are Nova 400s and 409s', async () => {
  const image = await makeImage();
  const id = (await post({ server: { name: 'core-act', imageRef: image, flavorRef: '1' } })).json()
    .server.id as string;
  await settle(id);
  assertFault(
    await action(id, { frobnicate: null }),
    400,
    'badRequest',
    'There is no such action: frobnicate',
  );
  assertFault(
    await action(id, { reboot: { type: 'FOO' } }),
    400,
    'badRequest',
    "Invalid input for field/attribute type. Value: FOO. 'FOO' is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']",
  );
  assertFault(
    await action(id, { 'os-start': null }),
    409,
    'conflictingRequest',
    `Cannot 'start' instance ${id} while it is in vm_state active`,
  );
  assert.equal((await action(id, { 'os-stop': null })).statusCode, 202);
  assert.equal((await settle(id)).status, 'SHUTOFF');
  assertFault(
    await action(id, { suspend: null }),
    409,
    'conflictingRequest',
    `Cannot 'suspend' instance ${id} while it is in vm_state stopped`,
  );
  // Nova's _tail_log: the last N pieces of the log split on '\n' (Tempest counts them so).
  const out = await action(id, { 'os-getConsoleOutput': { length: 3 } });
  assert.equal(out.statusCode, 200);
  assert.equal((out.json().output as string).split('\n').length, 3);
  assert.equal(
    (await app.t.inject({ method: 'DELETE', url: `${c}/servers/${id}`, headers: app.demo }))
      .statusCode,
    204,
  );
  for (let i = 0; i < 500 && (await show(id)).statusCode !== 404; i++)
    await new Promise((r) => setTimeout(r, 10));
  assert.equal((await show(id)).statusCode, 404);
});

test('status filter: an unknown status is an empty list before 2.38 and a 400 from it', async () => {
  const list = await app.t.inject({
    method: 'GET',
    url: `${c}/servers?status=NOPE`,
    headers: app.demo,
  });
  assert.equal(list.statusCode, 200);
  assert.deepEqual(list.json().servers, []);
  assertFault(
    await app.t.inject({
      method: 'GET',
      url: `${c}/servers?status=NOPE`,
      headers: { ...app.demo, ...mv('2.38') },
    }),
    400,
    'badRequest',
    'Invalid status value',
  );
});

test('status filter reads Nova map backwards: any case, task-specific statuses at 2.38', async () => {
  const image = await makeImage();
  const id = (
    await post({ server: { name: 'core-status', imageRef: image, flavorRef: '1' } })
  ).json().server.id as string;
  await settle(id);
  assert.equal((await action(id, { 'os-stop': null })).statusCode, 202);
  await settle(id);
  const ids = async (status: string, v = '2.1') => {
    const res = await app.t.inject({
      method: 'GET',
      url: `${c}/servers?status=${status}`,
      headers: { ...app.demo, ...mv(v) },
    });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json().servers as any[]).map((s) => s.id as string);
  };
  assert.ok((await ids('shutoff')).includes(id));
  assert.ok(!(await ids('ACTIVE')).includes(id));
  // REBOOT is no vm_state's default, only active + rebooting*: a valid status at 2.38.
  assert.ok(!(await ids('REBOOT', '2.38')).includes(id));
  assert.ok(!(await ids('HARD_REBOOT', '2.38')).includes(id));
});
