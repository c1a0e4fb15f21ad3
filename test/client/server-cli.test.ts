import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  openstack,
  openstackJson,
  openstackOk,
  startServer,
  type RunningServer,
} from '../helpers/server.js';

/**
 * Nova servers through Debian's openstack CLI (OSC 6.0, compute 2.1): create with each way of
 * networking, list filters, show/set/unset, the power actions with their 409s, lock, console
 * log and delete. Snapshots and quotas are in server-snapshot-cli.test.ts.
 */
let server: RunningServer;
let work: string;
type Row = Record<string, any>;

const json = <T = Row>(args: string[], admin = false) => openstackJson<T>(server, args, { admin });
const ok = (args: string[], admin = false) => openstackOk(server, args, { admin });

before(async () => {
  server = await startServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-server-cli-'));
  const file = path.join(work, 'base.raw');
  fs.writeFileSync(file, Buffer.alloc(4 * 1024 * 1024, 0x11));
  await json(
    ['image', 'create', '--disk-format', 'raw', '--container-format', 'bare'].concat([
      '--file',
      file,
      'cirros',
    ]),
  );
});
after(async () => {
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Polls `server show` until the status is `status` (the actions run as tasks). */
async function waitStatus(id: string, status: string, admin = false): Promise<Row> {
  let shown: Row = {};
  for (let i = 0; i < 100; i++) {
    shown = await json(['server', 'show', id], admin);
    if (shown.status === status && shown['OS-EXT-STS:task_state'] === null) return shown;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`server ${id} is ${shown.status}/${shown['OS-EXT-STS:task_state']}, not ${status}`);
}

async function failing(args: string[], admin = false): Promise<string> {
  const r = await openstack(server, args, { admin });
  assert.notEqual(r.code, 0, `openstack ${args.join(' ')} should fail`);
  return r.stderr;
}

test('server create with a key, a security group, user data and properties: ACTIVE on private with a port it owns', async () => {
  await ok(['keypair', 'create', '--public-key', sshKey(), 'cli-key']);
  const group = await json(['security', 'group', 'create', 'cli-web']);
  const userData = path.join(work, 'user-data');
  fs.writeFileSync(userData, '#cloud-config\nhostname: one\n');
  const vm = await json([
    'server',
    'create',
    '--image',
    'cirros',
    '--flavor',
    'm1.small',
    '--key-name',
    'cli-key',
    '--network',
    'private',
    '--security-group',
    'cli-web',
    '--user-data',
    userData,
    '--property',
    'role=web',
    '--wait',
    'vm-full',
  ]);
  assert.equal(vm.status, 'ACTIVE');
  assert.equal(vm['OS-EXT-STS:vm_state'], 'active');
  assert.equal(vm['OS-EXT-STS:power_state'], 1);
  assert.equal(vm.key_name, 'cli-key');
  assert.deepEqual(vm.properties, { role: 'web' });
  assert.match(vm.image, /^cirros \(/);
  assert.equal(vm.flavor, 'm1.small (2)');
  const address = vm.addresses.private[0] as string;
  assert.match(address, /^10\.0\.0\.\d+$/);
  assert.deepEqual(
    vm.security_groups.map((g: Row) => g.name),
    ['cli-web'],
  );

  const ports = await json<Row[]>(['port', 'list', '--server', vm.id, '--long']);
  assert.equal(ports.length, 1);
  const port = await json(['port', 'show', ports[0]!.ID]);
  assert.equal(port.device_owner, 'compute:nova');
  assert.equal(port.device_id, vm.id);
  assert.equal(port.fixed_ips[0].ip_address, address);
  assert.deepEqual(port.security_group_ids, [group.id]);

  await ok(['server', 'delete', '--wait', 'vm-full']);
  assert.match(await failing(['server', 'show', vm.id]), /No server with a name or ID of/);
  assert.match(await failing(['port', 'show', port.id]), /No Port found for/);
});

test('server create --nic port-id=P uses the port and leaves it behind on delete; --nic none has no address', async () => {
  const port = await json(['port', 'create', '--network', 'private', 'cli-own-port']);
  const vm = await json([
    'server',
    'create',
    '--image',
    'cirros',
    '--flavor',
    'm1.tiny',
    '--nic',
    `port-id=${port.id}`,
    '--wait',
    'vm-port',
  ]);
  assert.deepEqual(vm.addresses, { private: [port.fixed_ips[0].ip_address] });
  const bound = await json(['port', 'show', port.id]);
  assert.equal(bound.device_id, vm.id);
  assert.equal(bound.device_owner, 'compute:nova');

  // 'none' is a networks value from 2.37; at OSC's default 2.1 novaclient refuses it.
  const bare = await json([
    '--os-compute-api-version',
    '2.37',
    'server',
    'create',
    '--image',
    'cirros',
    '--flavor',
    'm1.tiny',
    '--nic',
    'none',
    '--wait',
    'vm-none',
  ]);
  assert.equal(bare.status, 'ACTIVE');
  assert.deepEqual(bare.addresses, {});
  assert.deepEqual(await json<Row[]>(['port', 'list', '--server', bare.id]), []);

  await ok(['server', 'delete', '--wait', 'vm-port', 'vm-none']);
  // Nova unbinds a port the user brought instead of deleting it.
  const left = await json(['port', 'show', port.id]);
  assert.equal(left.device_id, '');
  assert.equal(left.device_owner, '');
  await ok(['port', 'delete', port.id]);
});

test('server list: --long, --name, --status, --image, --flavor, --limit/--marker, --all-projects', async () => {
  const a = await json([
    'server',
    'create',
    '--image',
    'cirros',
    '--flavor',
    'm1.tiny',
    '--wait',
    'ls-a',
  ]);
  const b = await json([
    'server',
    'create',
    '--image',
    'cirros',
    '--flavor',
    'm1.small',
    '--wait',
    'ls-b',
  ]);
  await ok(['server', 'stop', b.id]);
  await waitStatus(b.id, 'SHUTOFF');

  const long = await json<Row[]>(['server', 'list', '--long']);
  const rowA = long.find((r) => r.ID === a.id)!;
  assert.equal(rowA.Status, 'ACTIVE');
  assert.equal(rowA['Power State'], 1, 'the JSON form keeps the number');
  assert.equal(rowA['Task State'], null);
  assert.equal(rowA['Image Name'], 'cirros');
  assert.equal(rowA['Flavor Name'], 'm1.tiny');
  assert.equal(rowA['Availability Zone'], 'nova');
  assert.equal(long.find((r) => r.ID === b.id)!['Power State'], 4);

  const names = async (args: string[], admin = false) =>
    (await json<Row[]>(['server', 'list', ...args], admin)).map((r) => r.Name).sort();
  assert.deepEqual(await names(['--name', '^ls-']), ['ls-a', 'ls-b']);
  assert.deepEqual(await names(['--name', 'ls-a']), ['ls-a']);
  assert.deepEqual(await names(['--status', 'SHUTOFF']), ['ls-b']);
  assert.deepEqual(await names(['--status', 'ACTIVE', '--name', '^ls-']), ['ls-a']);
  assert.deepEqual(await names(['--flavor', 'm1.small', '--name', '^ls-']), ['ls-b']);
  assert.deepEqual(await names(['--image', 'cirros', '--name', '^ls-']), ['ls-a', 'ls-b']);

  // Nova pages newest first; the marker is the last server of the page before.
  const first = await json<Row[]>(['server', 'list', '--name', '^ls-', '--limit', '1']);
  assert.equal(first.length, 1);
  const second = await json<Row[]>([
    'server',
    'list',
    '--name',
    '^ls-',
    '--limit',
    '1',
    '--marker',
    first[0]!.ID,
  ]);
  assert.equal(second.length, 1);
  assert.notEqual(second[0]!.ID, first[0]!.ID);
  assert.deepEqual([first[0]!.ID, second[0]!.ID], [b.id, a.id]);

  // An admin sees only their own project's servers, unless --all-projects.
  assert.deepEqual(await names(['--name', '^ls-'], true), []);
  assert.deepEqual(await names(['--name', '^ls-', '--all-projects'], true), ['ls-a', 'ls-b']);
  await ok(['server', 'delete', '--wait', a.id, b.id]);
});

test('server show and set --name', async () => {
  const vm = await json([
    'server',
    'create',
    '--image',
    'cirros',
    '--flavor',
    'm1.tiny',
    '--property',
    'keep=1',
    '--wait',
    'vm-set',
  ]);
  await ok(['server', 'set', '--name', 'vm-renamed', vm.id]);
  const shown = await json(['server', 'show', 'vm-renamed']);
  assert.equal(shown.id, vm.id);
  assert.equal(shown.name, 'vm-renamed');
  assert.deepEqual(shown.properties, { keep: '1' });
  assert.match(
    await failing(['server', 'show', 'vm-set']),
    /No server with a name or ID of 'vm-set' exists\./,
  );
  await ok(['server', 'delete', '--wait', vm.id]);
});

// `server set/unset --property` go through /servers/{id}/metadata.
test('server set --property and unset --property', async () => {
  const vm = await json([
    'server',
    'create',
    '--image',
    'cirros',
    '--flavor',
    'm1.tiny',
    '--property',
    'keep=1',
    '--wait',
    'vm-props',
  ]);
  try {
    await ok(['server', 'set', '--property', 'a=b', '--property', 'c=d', vm.id]);
    let shown = await json(['server', 'show', vm.id]);
    assert.deepEqual(shown.properties, { keep: '1', a: 'b', c: 'd' });
    await ok(['server', 'unset', '--property', 'a', '--property', 'keep', vm.id]);
    shown = await json(['server', 'show', vm.id]);
    assert.deepEqual(shown.properties, { c: 'd' });
  } finally {
    await ok(['server', 'delete', '--wait', vm.id]);
  }
});

test('power actions walk Nova states; a wrong state is a 409 with Nova text; lock refuses the owner, not an admin', async () => {
  const vm = await json([
    'server',
    'create',
    '--image',
    'cirros',
    '--flavor',
    'm1.tiny',
    '--wait',
    'vm-power',
  ]);
  const id = vm.id as string;
  const wrong = (action: string, attr: string, state: string) =>
    // novaclient prints `<text> (HTTP 409)`, the SDK-based commands `409: Client Error ..., <text>`.
    new RegExp(`Cannot '${action}' instance ${id} while it is in ${attr} ${state}`);

  assert.match(await failing(['server', 'start', id]), wrong('start', 'vm_state', 'active'));
  assert.match(await failing(['server', 'resume', id]), wrong('resume', 'vm_state', 'active'));
  assert.match(await failing(['server', 'unpause', id]), wrong('unpause', 'vm_state', 'active'));

  await ok(['server', 'stop', id]);
  let s = await waitStatus(id, 'SHUTOFF');
  assert.equal(s['OS-EXT-STS:vm_state'], 'stopped');
  assert.equal(s['OS-EXT-STS:power_state'], 4);
  assert.match(await failing(['server', 'stop', id]), wrong('stop', 'vm_state', 'stopped'));
  assert.match(await failing(['server', 'pause', id]), wrong('pause', 'vm_state', 'stopped'));
  assert.match(await failing(['server', 'reboot', id]), wrong('reboot', 'vm_state', 'stopped'));
  // A hard reboot starts a stopped server (Nova allows it from stopped).
  await ok(['server', 'reboot', '--hard', id]);
  s = await waitStatus(id, 'ACTIVE');
  assert.equal(s['OS-EXT-STS:power_state'], 1);

  await ok(['server', 'stop', id]);
  await waitStatus(id, 'SHUTOFF');
  await ok(['server', 'start', id]);
  await waitStatus(id, 'ACTIVE');
  await ok(['server', 'reboot', id]);
  await waitStatus(id, 'ACTIVE');

  await ok(['server', 'pause', id]);
  s = await waitStatus(id, 'PAUSED');
  assert.equal(s['OS-EXT-STS:power_state'], 3);
  assert.match(await failing(['server', 'pause', id]), wrong('pause', 'vm_state', 'paused'));
  assert.match(await failing(['server', 'suspend', id]), wrong('suspend', 'vm_state', 'paused'));
  await ok(['server', 'unpause', id]);
  await waitStatus(id, 'ACTIVE');

  await ok(['server', 'suspend', id]);
  s = await waitStatus(id, 'SUSPENDED');
  assert.equal(s['OS-EXT-STS:power_state'], 7);
  assert.match(await failing(['server', 'stop', id]), wrong('stop', 'vm_state', 'suspended'));
  await ok(['server', 'resume', id]);
  await waitStatus(id, 'ACTIVE');

  await ok(['server', 'lock', id]);
  const locked = new RegExp(`Instance ${id} is locked \\(HTTP 409\\)`);
  assert.match(await failing(['server', 'stop', id]), locked);
  assert.match(await failing(['server', 'delete', id]), /Instance .* is locked|locked/);
  // An admin is not held by the owner's lock.
  await ok(['server', 'stop', id], true);
  await waitStatus(id, 'SHUTOFF');
  await ok(['server', 'unlock', id]);
  await ok(['server', 'start', id]);
  await waitStatus(id, 'ACTIVE');

  const console = await ok(['console', 'log', 'show', id]);
  assert.match(console, /spawn vm-power/);
  assert.match(console, /power off/);
  // Nova's _tail_log keeps the last N pieces of the log split on '\n'; the log ends with one,
  // so its last piece is empty and `--lines 2` shows one line: the last.
  const tail = await ok(['console', 'log', 'show', '--lines', '2', id]);
  const lines = console.trimEnd().split('\n');
  assert.deepEqual(tail.trimEnd().split('\n'), lines.slice(-1));

  await ok(['server', 'delete', '--wait', id]);
});

/** An ed25519 public key file made by ssh-keygen, for --key-name. */
function sshKey(): string {
  const file = path.join(work, 'id');
  if (!fs.existsSync(`${file}.pub`))
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  return `${file}.pub`;
}
