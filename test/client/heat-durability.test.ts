import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openstackJson, openstackOk, startServer, type RunningServer } from '../helpers/server.js';

/**
 * Heat's stack work is durable: a stack IN_PROGRESS when the process is killed (kill -9) is
 * FAILED after the restart with Heat's reason, every resource it made is still known by its
 * physical id, and the stack can be updated and deleted, leaving nothing behind.
 */
let server: RunningServer | undefined;
let work: string | undefined;
after(async () => {
  await server?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

type Row = Record<string, any>;

const TEMPLATE = (slow: boolean) => `heat_template_version: 2016-10-14
resources:
  net:
    type: OS::Neutron::Net
    properties: {name: durable-net}
  subnet:
    type: OS::Neutron::Subnet
    properties: {network: {get_resource: net}, cidr: 10.77.0.0/24}
${
  slow
    ? `  slow:
    type: OS::Heat::TestResource
    depends_on: [subnet]
    properties: {value: waiting, wait_secs: 600}
`
    : ''
}`;

test('a stack killed mid-create is FAILED after restart, keeps what it made, updates and deletes', async () => {
  server = await startServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-heat-durable-'));
  const slow = path.join(work, 'slow.yaml');
  const fast = path.join(work, 'fast.yaml');
  fs.writeFileSync(slow, TEMPLATE(true));
  fs.writeFileSync(fast, TEMPLATE(false));
  const json = <T = Row>(args: string[]) => openstackJson<T>(server!, args);

  await json(['stack', 'create', '-t', slow, 'durable']);
  // Wait until the network exists and the slow resource is running, then kill.
  let resources: Row[] = [];
  for (let i = 0; i < 300; i++) {
    resources = await json<Row[]>(['stack', 'resource', 'list', 'durable']);
    const slowRow = resources.find((r) => r.resource_name === 'slow');
    if (slowRow?.resource_status === 'CREATE_IN_PROGRESS') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const before = new Map(resources.map((r) => [r.resource_name, r]));
  assert.equal(before.get('slow')?.resource_status, 'CREATE_IN_PROGRESS');
  const netId = before.get('net')!.physical_resource_id as string;
  const subnetId = before.get('subnet')!.physical_resource_id as string;
  await server.stop('SIGKILL');

  server = await server.restart();
  const stack = await json(['stack', 'show', 'durable']);
  assert.equal(stack.stack_status, 'CREATE_FAILED');
  assert.equal(stack.stack_status_reason, 'Engine went down during stack CREATE');
  const afterKill = new Map(
    (await json<Row[]>(['stack', 'resource', 'list', 'durable'])).map((r) => [r.resource_name, r]),
  );
  assert.equal(afterKill.get('net')!.physical_resource_id, netId);
  assert.equal(afterKill.get('net')!.resource_status, 'CREATE_COMPLETE');
  assert.equal(afterKill.get('subnet')!.physical_resource_id, subnetId);
  assert.equal(afterKill.get('slow')!.resource_status, 'CREATE_FAILED');
  const slowShown = await json(['stack', 'resource', 'show', 'durable', 'slow']);
  assert.equal(slowShown.resource_status_reason, 'Engine went down during stack CREATE');
  // The network made before the kill is there, and the stack still owns it.
  assert.equal((await json(['network', 'show', netId])).name, 'durable-net');

  // A FAILED stack can be updated: the failed resource goes, the rest stays as it was.
  await openstackOk(server, ['stack', 'update', '-t', fast, '--wait', 'durable']);
  const updated = await json(['stack', 'show', 'durable']);
  assert.equal(updated.stack_status, 'UPDATE_COMPLETE');
  const now = await json<Row[]>(['stack', 'resource', 'list', 'durable']);
  assert.deepEqual(now.map((r) => r.resource_name).sort(), ['net', 'subnet']);
  assert.equal(now.find((r) => r.resource_name === 'net')!.physical_resource_id, netId);

  // And deleted, leaving nothing it made.
  await openstackOk(server, ['stack', 'delete', '-y', '--wait', 'durable']);
  const nets = await json<Row[]>(['network', 'list']);
  assert.ok(!nets.some((n) => n.ID === netId), 'the network is gone');
  assert.deepEqual(await json(['stack', 'list']), []);
});
