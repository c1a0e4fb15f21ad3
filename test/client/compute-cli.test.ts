import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openstack, openstackJson, openstackOk, startServer, type RunningServer } from '../helpers/server.js';

/** Nova flavors through Debian's openstack CLI (the part of compute that exists before servers). */
let server: RunningServer;
type Row = Record<string, any>;

before(async () => {
  server = await startServer();
});
after(() => server?.stop());

test('flavor list and show: DevStack flavors, m1.small for the Heat examples', async () => {
  const rows = await openstackJson<Row[]>(server, ['flavor', 'list']);
  const small = rows.find((r) => r.Name === 'm1.small');
  assert.deepEqual({ id: small?.ID, ram: small?.RAM, disk: small?.Disk, vcpus: small?.VCPUs }, { id: '2', ram: 2048, disk: 20, vcpus: 1 });
  const shown = await openstackJson<Row>(server, ['flavor', 'show', 'm1.small']);
  assert.equal(shown['os-flavor-access:is_public'], true);
  assert.equal(shown.swap, '');
});

test('flavor create, access, properties and delete (admin); members may not create', async () => {
  const refused = await openstack(server, ['flavor', 'create', '--ram', '256', '--disk', '1', '--vcpus', '1', 'not-mine']);
  assert.notEqual(refused.code, 0);
  // OSC creates flavors through the SDK, which prints its errors in its own form.
  assert.match(refused.stderr, /403: Client Error for url: .*\/compute\/v2\.1\/flavors, Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed\./);

  const made = await openstackJson<Row>(
    server,
    ['flavor', 'create', '--ram', '256', '--disk', '1', '--vcpus', '1', '--private', '--property', 'hw:cpu_policy=shared', 'cli-private'],
    { admin: true },
  );
  assert.equal(made['os-flavor-access:is_public'], false);
  assert.deepEqual(made.properties, { 'hw:cpu_policy': 'shared' });
  const visible = async () => (await openstackJson<Row[]>(server, ['flavor', 'list', '--all'])).some((r) => r.Name === 'cli-private');
  assert.equal(await visible(), false);
  await openstackOk(server, ['flavor', 'set', '--project', 'demo', 'cli-private'], { admin: true });
  assert.equal(await visible(), true, 'demo sees the private flavor once given access');

  await openstackOk(server, ['flavor', 'set', '--property', 'hw:numa_nodes=1', 'cli-private'], { admin: true });
  await openstackOk(server, ['flavor', 'unset', '--property', 'hw:cpu_policy', 'cli-private'], { admin: true });
  const shown = await openstackJson<Row>(server, ['flavor', 'show', 'cli-private'], { admin: true });
  assert.deepEqual(shown.properties, { 'hw:numa_nodes': '1' });
  assert.equal(shown.access_project_ids.length, 1);

  await openstackOk(server, ['flavor', 'delete', 'cli-private'], { admin: true });
  const gone = await openstack(server, ['flavor', 'show', 'cli-private'], { admin: true });
  assert.notEqual(gone.code, 0);
});
