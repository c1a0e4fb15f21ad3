import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertFault, useApp } from '../helpers/app.js';
import { computeClient } from '../helpers/compute-servers.js';

const app = useApp();
const c = computeClient(app);
const POLICY = (rule: string) => `Policy doesn't allow os_compute_api:${rule} to be performed.`;

test('availability zones: the compute zone for everyone, hosts for admins', async () => {
  assert.deepEqual((await c.get('os-availability-zone')).json(), {
    availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }],
  });
  assertFault(
    await c.get('os-availability-zone/detail'),
    403,
    'forbidden',
    POLICY('os-availability-zone:detail'),
  );
  const zones = (await c.get('os-availability-zone/detail', app.admin)).json().availabilityZoneInfo;
  const names = zones.map((z: { zoneName: string }) => z.zoneName).sort();
  assert.deepEqual(names, ['internal', 'nova']);
  const nova = zones.find((z: { zoneName: string }) => z.zoneName === 'nova');
  const [host] = Object.keys(nova.hosts);
  assert.deepEqual(Object.keys(nova.hosts[host!]), ['nova-compute']);
  assert.equal(nova.hosts[host!]['nova-compute'].available, true);
});

test('services: DevStack rows, filters, ids by microversion, admin only', async () => {
  assertFault(await c.get('os-services'), 403, 'forbidden', POLICY('os-services:list'));
  let res = await c.get('os-services', app.admin);
  const services = res.json().services;
  assert.deepEqual(services.map((s: { binary: string }) => s.binary).sort(), [
    'nova-compute',
    'nova-conductor',
    'nova-scheduler',
  ]);
  const compute = services.find((s: { binary: string }) => s.binary === 'nova-compute');
  assert.deepEqual(Object.keys(compute).sort(), [
    'binary',
    'disabled_reason',
    'host',
    'id',
    'state',
    'status',
    'updated_at',
    'zone',
  ]);
  assert.equal(typeof compute.id, 'number');
  assert.equal(compute.zone, 'nova');
  assert.equal(compute.state, 'up');
  res = await c.get('os-services?binary=nova-compute', app.admin, '2.53');
  assert.equal(res.json().services.length, 1);
  assert.match(res.json().services[0].id, /^[0-9a-f-]{36}$/);
  assert.equal(res.json().services[0].forced_down, false);
  assert.equal((await c.get('os-services?host=elsewhere', app.admin)).json().services.length, 0);
});

test('hypervisors: list, detail, show, statistics, search and servers by microversion', async () => {
  assertFault(await c.get('os-hypervisors'), 403, 'forbidden', POLICY('os-hypervisors:list'));
  const { id: server } = await c.server();
  let res = await c.get('os-hypervisors', app.admin);
  const [h] = res.json().hypervisors;
  assert.deepEqual(Object.keys(h).sort(), ['hypervisor_hostname', 'id', 'state', 'status']);
  assert.equal(h.id, 1);

  res = await c.get('os-hypervisors/detail', app.admin);
  const d = res.json().hypervisors[0];
  assert.equal(d.running_vms >= 1, true);
  assert.equal(typeof d.cpu_info, 'string');
  assert.equal(d.free_ram_mb, d.memory_mb - d.memory_mb_used);
  res = await c.get('os-hypervisors/detail', app.admin, '2.28');
  assert.equal(typeof res.json().hypervisors[0].cpu_info, 'object');
  res = await c.get('os-hypervisors/detail', app.admin, '2.88');
  assert.equal(res.json().hypervisors[0].uptime, null);
  assert.equal(res.json().hypervisors[0].vcpus, undefined);

  assert.equal((await c.get('os-hypervisors/1', app.admin)).json().hypervisor.id, 1);
  assertFault(
    await c.get('os-hypervisors/2', app.admin),
    404,
    'itemNotFound',
    "Hypervisor with ID '2' could not be found.",
  );
  assertFault(
    await c.get('os-hypervisors/x', app.admin),
    404,
    'itemNotFound',
    "Hypervisor with ID 'x' could not be found.",
  );
  assertFault(
    await c.get('os-hypervisors/1', app.admin, '2.53'),
    400,
    'badRequest',
    'Invalid uuid 1',
  );

  res = await c.get('os-hypervisors/1/uptime', app.admin);
  assert.match(res.json().hypervisor.uptime, /^ \d\d:\d\d:\d\d up .* load average: /);
  assertFault(await c.get('os-hypervisors/1/uptime', app.admin, '2.88'), 404, 'itemNotFound');
  assertFault(await c.get('os-hypervisors/7/uptime', app.admin), 404, 'itemNotFound');
  res = await c.get('os-hypervisors/statistics', app.admin);
  assert.equal(res.json().hypervisor_statistics.count, 1);
  assertFault(await c.get('os-hypervisors/statistics', app.admin, '2.88'), 404, 'itemNotFound');

  const name = h.hypervisor_hostname as string;
  res = await c.get(`os-hypervisors/${encodeURIComponent(name.slice(0, 3))}/servers`, app.admin);
  assert.ok(res.json().hypervisors[0].servers.some((s: { uuid: string }) => s.uuid === server));
  res = await c.get(`os-hypervisors/${encodeURIComponent(name)}/search`, app.admin);
  assert.equal(res.json().hypervisors[0].servers, undefined);
  assertFault(
    await c.get('os-hypervisors/zzz-none/search', app.admin),
    404,
    'itemNotFound',
    "No hypervisor matching 'zzz-none' could be found.",
  );
  assertFault(await c.get(`os-hypervisors/${name}/search`, app.admin, '2.53'), 404, 'itemNotFound');

  // 2.53: uuids, the pattern and with_servers as query parameters.
  res = await c.get(
    `os-hypervisors?hypervisor_hostname_pattern=${encodeURIComponent(name)}&with_servers=true`,
    app.admin,
    '2.53',
  );
  const u = res.json().hypervisors[0];
  assert.match(u.id, /^[0-9a-f-]{36}$/);
  assert.ok(u.servers.length >= 1);
  assert.equal((await c.get(`os-hypervisors/${u.id}`, app.admin, '2.53')).statusCode, 200);
  assertFault(
    await c.get('os-hypervisors?hypervisor_hostname_pattern=x&limit=1', app.admin, '2.53'),
    400,
    'badRequest',
    'Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.',
  );
  assertFault(
    await c.get('os-hypervisors?with_servers=maybe', app.admin, '2.53'),
    400,
    'badRequest',
  );
  assertFault(await c.get('os-hypervisors?bogus=1', app.admin, '2.53'), 400, 'badRequest');
  assertFault(
    await c.get('os-hypervisors?marker=nope', app.admin, '2.33'),
    400,
    'badRequest',
    'marker [nope] not found',
  );
  res = await c.get('os-hypervisors?limit=1', app.admin, '2.33');
  assert.equal(res.json().hypervisors_links[0].rel, 'next');
  res = await c.get(`os-hypervisors?marker=${u.id}`, app.admin, '2.53');
  assert.deepEqual(res.json().hypervisors, []);
});
