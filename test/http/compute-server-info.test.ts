import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertFault, useApp } from '../helpers/app.js';
import { computeClient } from '../helpers/compute-servers.js';

const app = useApp();
const c = computeClient(app);
const MISSING = '4c1a5d0e-64a6-4a8d-9a6e-6a5b1f0c2d3e';
const MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;

async function settled(id: string, requestId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await c.get(`servers/${id}/os-instance-actions/${requestId}`, app.admin);
    const events = res.json().instanceAction.events as { finish_time: string | null }[];
    if (events.length > 0 && events.every((e) => e.finish_time !== null)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('instance actions: list and show at 2.1, 2.51, 2.58, 2.62; deleted servers from 2.21', async () => {
  const { id, requestId } = await c.server();
  await settled(id, requestId);
  let res = await c.get(`servers/${id}/os-instance-actions`);
  assert.equal(res.statusCode, 200);
  const [create] = res.json().instanceActions;
  assert.deepEqual(Object.keys(create).sort(), [
    'action',
    'instance_uuid',
    'message',
    'project_id',
    'request_id',
    'start_time',
    'user_id',
  ]);
  assert.equal(create.action, 'create');
  assert.equal(create.request_id, requestId);
  assert.equal(create.project_id, app.demoProject);
  assert.match(create.start_time, MICROS);

  // Members see no events below 2.51; admins see them with the traceback.
  res = await c.get(`servers/${id}/os-instance-actions/${requestId}`);
  assert.equal(res.json().instanceAction.events, undefined);
  res = await c.get(`servers/${id}/os-instance-actions/${requestId}`, app.admin);
  const [ev] = res.json().instanceAction.events;
  assert.equal(ev.event, 'compute__do_build_and_run_instance');
  assert.equal(ev.result, 'Success');
  assert.ok('traceback' in ev);
  assert.match(ev.finish_time, MICROS);

  res = await c.get(`servers/${id}/os-instance-actions/${requestId}`, app.demo, '2.62');
  const [mine] = res.json().instanceAction.events;
  assert.deepEqual(Object.keys(mine).sort(), [
    'event',
    'finish_time',
    'hostId',
    'result',
    'start_time',
  ]);
  assert.match(mine.hostId, /^[0-9a-f]{56}$/);
  assert.ok('updated_at' in res.json().instanceAction);
  res = await c.get(`servers/${id}/os-instance-actions/${requestId}`, app.admin, '2.84');
  assert.ok('host' in res.json().instanceAction.events[0]);
  assert.equal(res.json().instanceAction.events[0].details, null);

  await c.post(`servers/${id}/action`, { reboot: { type: 'HARD' } });
  await c.waitFor(id, 'ACTIVE');
  res = await c.get(`servers/${id}/os-instance-actions`);
  assert.deepEqual(
    res.json().instanceActions.map((a: { action: string }) => a.action),
    ['reboot', 'create'],
  );

  // 2.58: paging by request id, links, changes-since.
  res = await c.get(`servers/${id}/os-instance-actions?limit=1`, app.demo, '2.58');
  assert.equal(res.json().instanceActions.length, 1);
  assert.equal(res.json().links[0].rel, 'next');
  const marker = res.json().instanceActions[0].request_id;
  res = await c.get(`servers/${id}/os-instance-actions?marker=${marker}`, app.demo, '2.58');
  assert.deepEqual(
    res.json().instanceActions.map((a: { action: string }) => a.action),
    ['create'],
  );
  assertFault(
    await c.get(`servers/${id}/os-instance-actions?marker=nope`, app.demo, '2.58'),
    400,
    'badRequest',
    'Marker nope could not be found.',
  );
  assertFault(
    await c.get(`servers/${id}/os-instance-actions?changes-since=2011/01/01`, app.demo, '2.58'),
    400,
    'badRequest',
    "Invalid input for query parameters changes-since. Value: 2011/01/01. '2011/01/01' is not a 'date-time'",
  );
  assertFault(
    await c.get(`servers/${id}/os-instance-actions?bogus=1`, app.demo, '2.58'),
    400,
    'badRequest',
  );
  res = await c.get(
    `servers/${id}/os-instance-actions?changes-since=2051-01-01T00:00:00Z`,
    app.demo,
    '2.58',
  );
  assert.deepEqual(res.json().instanceActions, []);
  assertFault(
    await c.get(
      `servers/${id}/os-instance-actions?changes-since=2051-01-01T00:00:00Z&changes-before=2050-01-01T00:00:00Z`,
      app.demo,
      '2.66',
    ),
    400,
    'badRequest',
    'The value of changes-since must be less than or equal to changes-before.',
  );

  assertFault(
    await c.get(`servers/${id}/os-instance-actions/999`),
    404,
    'itemNotFound',
    'Action 999 not found',
  );
  assertFault(
    await c.get(`servers/${MISSING}/os-instance-actions`),
    404,
    'itemNotFound',
    `Instance ${MISSING} could not be found.`,
  );

  // Deleted: gone below 2.21, its actions listed from 2.21.
  assert.equal((await c.del(`servers/${id}`)).statusCode, 204);
  for (let i = 0; i < 200 && (await c.get(`servers/${id}`)).statusCode !== 404; i++)
    await new Promise((r) => setTimeout(r, 20));
  assertFault(await c.get(`servers/${id}/os-instance-actions`), 404, 'itemNotFound');
  res = await c.get(`servers/${id}/os-instance-actions`, app.demo, '2.21');
  assert.deepEqual(
    res
      .json()
      .instanceActions.map((a: { action: string }) => a.action)
      .sort(),
    ['create', 'delete', 'reboot'],
  );
});

test('ips and the server password', async () => {
  const { id } = await c.server();
  const res = await c.get(`servers/${id}/ips`);
  assert.equal(res.statusCode, 200);
  const { addresses } = res.json();
  const [net] = Object.keys(addresses);
  assert.ok(net);
  assert.deepEqual(Object.keys(addresses[net!][0]).sort(), ['addr', 'version']);
  assert.deepEqual((await c.get(`servers/${id}/ips/${net}`)).json(), { [net!]: addresses[net!] });
  assertFault(
    await c.get(`servers/${id}/ips/invalid`),
    404,
    'itemNotFound',
    'Instance is not a member of specified network',
  );
  assertFault(await c.get(`servers/${id}/ips/__proto__`), 404, 'itemNotFound');
  assertFault(
    await c.get('servers/999/ips'),
    404,
    'itemNotFound',
    'Instance 999 could not be found.',
  );

  assert.deepEqual((await c.get(`servers/${id}/os-server-password`)).json(), { password: '' });
  assert.equal((await c.del(`servers/${id}/os-server-password`)).statusCode, 204);
  assertFault(await c.get(`servers/${MISSING}/os-server-password`), 404, 'itemNotFound');
});

test("another project's token finds none of a server's sub-resources", async () => {
  const { id, requestId } = await c.server();
  const alt = await c.otherProject('subres-alt');
  for (const path of [
    'metadata',
    'metadata/a',
    'os-instance-actions',
    `os-instance-actions/${requestId}`,
    'ips',
    'os-security-groups',
    'os-server-password',
  ])
    assertFault(
      await c.get(`servers/${id}/${path}`, alt),
      404,
      'itemNotFound',
      `Instance ${id} could not be found.`,
    );
  assertFault(
    await c.post(`servers/${id}/metadata`, { metadata: { a: 'b' } }, alt),
    404,
    'itemNotFound',
  );
  assertFault(await c.del(`servers/${id}/metadata/a`, alt), 404, 'itemNotFound');
  assertFault(await c.del(`servers/${id}/os-server-password`, alt), 404, 'itemNotFound');
  assertFault(
    await c.post(`servers/${id}/action`, { addSecurityGroup: { name: 'default' } }, alt),
    404,
    'itemNotFound',
  );
  // Tags find the server by its cell mapping, so Nova's policy answers (403), as in Nova.
  assertFault(
    await c.get(`servers/${id}/tags`, alt, '2.26'),
    403,
    'forbidden',
    "Policy doesn't allow os_compute_api:os-server-tags:index to be performed.",
  );
});
