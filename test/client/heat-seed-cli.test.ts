import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { SEED_DIR } from '../helpers/seed.js';
import { openstackJson, openstackOk, startServer, type RunningServer } from '../helpers/server.js';
import { hasPattern, rootDiskPath, volumeDiskPath, writePattern } from '../helpers/server-disk.js';

/**
 * ../shared/seed/heat-README.md word for word through Debian's openstack CLI: an instance
 * snapshot and a volume snapshot holding bytes written for them, `image list --private`,
 * `volume snapshot list`, the environment file, both `stack create` commands with the seed's
 * templates unchanged, the servers' disks holding the snapshots' bytes, and `stack delete`.
 */
let server: RunningServer;
let work: string;
type Row = Record<string, any>;
const MiB = 1024 * 1024;

const json = <T = Row>(args: string[]) => openstackJson<T>(server, args);
const ok = (args: string[]) => openstackOk(server, args);

before(async () => {
  server = await startServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-heat-seed-'));
  fs.writeFileSync(path.join(work, 'base.raw'), Buffer.alloc(8 * MiB, 0x11));
  // The base image is public, as a cloud's images are: made by the admin.
  await openstackJson(
    server,
    ['image', 'create', '--disk-format', 'raw', '--container-format', 'bare'].concat([
      '--file',
      path.join(work, 'base.raw'),
      '--public',
      'ubuntu',
    ]),
    { admin: true },
  );
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(work, 'key')]);
  await json(['keypair', 'create', '--public-key', path.join(work, 'key.pub'), 'keyName']);
  for (const name of ['heat-snapshot_image_example.yaml', 'heat-snapshot_volume_example.yaml']) {
    fs.copyFileSync(path.join(SEED_DIR, name), path.join(work, name.slice('heat-'.length)));
  }
});
after(async () => {
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/**
 * `stack create --wait -f json`: heatclient prints the stack's events as they come, then the
 * stack as JSON; the JSON is what follows the last event line.
 */
async function createWaiting(args: string[]): Promise<Row> {
  const out = await ok([...args, '-f', 'json']);
  const start = out.search(/^\{/m);
  assert.ok(start >= 0, out);
  assert.match(out.slice(0, start), /Stack CREATE started/);
  return JSON.parse(out.slice(start)) as Row;
}

/** Lines of a CLI table as arrays of trimmed cells. */
function rows(table: string): string[][] {
  return table
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

test('the Heat seed README: both snapshots, both stacks from them, their disks, stack delete', async () => {
  // The reference instance, with bytes of its own on its disk.
  const vm = await json(
    ['server', 'create', '--image', 'ubuntu', '--flavor', 'm1.small'].concat([
      '--network',
      'private',
      '--wait',
      'MyInstanceName',
    ]),
  );
  writePattern(rootDiskPath(server.dataDir, vm.id), 0xa1, MiB, MiB);

  // "openstack server image create --name <MyInstanceSnapshotName> <MyInstanceName>"
  const created = rows(
    await ok(['server', 'image', 'create', '--name', 'MyInstanceSnapshotName', 'MyInstanceName']),
  );
  const imageId = created.find((r) => r[0] === 'id')![1]!;
  assert.equal(created.find((r) => r[0] === 'status')![1], 'queued');

  // A volume used as a root disk, shut off, then "openstack volume snapshot create".
  const volume = await json([
    'volume',
    'create',
    '--size',
    '1',
    '--image',
    'ubuntu',
    'MyVolumeName',
  ]);
  await until('volume available', async () =>
    (await json(['volume', 'show', volume.id])).status === 'available' ? true : undefined,
  );
  writePattern(volumeDiskPath(server.dataDir, volume.id), 0xb2, 2 * MiB, MiB);
  const snapTable = rows(
    await ok(['volume', 'snapshot', 'create', '--volume', 'MyVolumeName', 'MyVolumeSnapshotName']),
  );
  const snapshotId = snapTable.find((r) => r[0] === 'id')![1]!;

  // "openstack image list --private": the instance snapshot, active.
  const images = await until('snapshot active', async () => {
    const listed = rows(await ok(['image', 'list', '--private']));
    return listed.some((r) => r[0] === imageId && r[2] === 'active') ? listed : undefined;
  });
  assert.deepEqual(images[0], ['ID', 'Name', 'Status']);
  assert.ok(images.some((r) => r[1] === 'MyInstanceSnapshotName'));

  // "openstack volume snapshot list": the guide's columns, available.
  const snaps = await until('volume snapshot available', async () => {
    const listed = rows(await ok(['volume', 'snapshot', 'list']));
    return listed.some((r) => r[0] === snapshotId && r[3] === 'available') ? listed : undefined;
  });
  assert.deepEqual(snaps[0], ['ID', 'Name', 'Description', 'Status', 'Size']);

  // The environment file way: `parameters: {image: ID}`, then the README's command as written.
  const env = path.join(work, 'env-image.yaml');
  fs.writeFileSync(env, `parameters:\n  image: ${imageId}\n`);
  const fromImage = await createWaiting(
    ['stack', 'create', '-t', path.join(work, 'snapshot_image_example.yaml')]
      .concat(['-e', env, '--parameter', 'key_name=keyName', '--parameter', `image=${imageId}`])
      .concat(['--wait', 'stackFromImage']),
  );
  assert.equal(fromImage.stack_status, 'CREATE_COMPLETE');
  const fromVolume = await createWaiting(
    ['stack', 'create', '-t', path.join(work, 'snapshot_volume_example.yaml')]
      .concat(['--parameter', 'key_name=keyName', '--parameter', `snapshot=${snapshotId}`])
      .concat(['--wait', 'stackFromVolume']),
  );
  assert.equal(fromVolume.stack_status, 'CREATE_COMPLETE');

  // What each stack made: the resources, all complete.
  const resources = await json<Row[]>(['stack', 'resource', 'list', 'stackFromImage']);
  assert.deepEqual(
    resources.map((r) => `${r.resource_name} ${r.resource_type} ${r.resource_status}`).sort(),
    [
      'allow_ssh OS::Neutron::SecurityGroup CREATE_COMPLETE',
      'example_net OS::Neutron::Net CREATE_COMPLETE',
      'example_port OS::Neutron::Port CREATE_COMPLETE',
      'example_router OS::Neutron::Router CREATE_COMPLETE',
      'example_subnet OS::Neutron::Subnet CREATE_COMPLETE',
      'floating_ip OS::Neutron::FloatingIP CREATE_COMPLETE',
      'my_instance OS::Nova::Server CREATE_COMPLETE',
      'router_subnet_connect OS::Neutron::RouterInterface CREATE_COMPLETE',
    ],
  );
  const serverId = resources.find((r) => r.resource_name === 'my_instance')!.physical_resource_id;
  const shown = await json(['server', 'show', serverId]);
  assert.equal(shown.status, 'ACTIVE');
  assert.equal(shown.key_name, 'keyName');
  assert.equal(shown.flavor.split(' ')[0] ?? shown.flavor, 'm1.small');
  assert.match(JSON.stringify(shown.addresses), /10\.0\.0\.\d+/);
  const groups = (shown.security_groups as Row[]).map((g) => g.name).sort();
  assert.deepEqual(groups, ['allow incoming traffic, tcp port 22 and icmp', 'default']);
  // The server from the image snapshot reads the reference instance's bytes.
  const disk = rootDiskPath(server.dataDir, serverId);
  assert.ok(hasPattern(disk, 'qcow2', 0xa1, MiB, MiB), 'the snapshot moment is on the new disk');
  assert.ok(hasPattern(disk, 'qcow2', 0x11, 4 * MiB, MiB), "and the base image's bytes");

  // The volume-backed one boots from a new volume made from the snapshot, holding its bytes.
  const vres = await json<Row[]>(['stack', 'resource', 'list', 'stackFromVolume']);
  const vServer = await json([
    'server',
    'show',
    vres.find((r) => r.resource_name === 'my_instance')!.physical_resource_id,
  ]);
  const rootVolume = (vServer.volumes_attached as Row[])[0]!.id as string;
  const root = await json(['volume', 'show', rootVolume]);
  assert.equal(root.snapshot_id, snapshotId);
  assert.ok(hasPattern(volumeDiskPath(server.dataDir, rootVolume), 'qcow2', 0xb2, 2 * MiB, MiB));

  // A floating IP on ext-net reaches each server's port.
  const fips = await json<Row[]>(['floating', 'ip', 'list']);
  assert.equal(fips.length, 2);

  // "stack delete": everything a stack made goes, in reverse; the volume made from the
  // snapshot (delete_on_termination false) and the snapshot itself stay.
  await ok(['stack', 'delete', '-y', '--wait', 'stackFromImage', 'stackFromVolume']);
  assert.deepEqual(await json(['stack', 'list']), []);
  const servers = await json<Row[]>(['server', 'list']);
  assert.deepEqual(
    servers.map((s) => s.Name),
    ['MyInstanceName'],
  );
  assert.deepEqual(await json(['floating', 'ip', 'list']), []);
  const nets = (await json<Row[]>(['network', 'list'])).map((n) => n.Name).sort();
  assert.deepEqual(nets, ['ext-net', 'private']);
  assert.equal((await json(['volume', 'show', rootVolume])).status, 'available');
  assert.equal((await json(['volume', 'snapshot', 'show', snapshotId])).status, 'available');
  // A volume with a snapshot still cannot be deleted (the guide's rule).
  const refused = await openstackOk(server, ['volume', 'delete', 'MyVolumeName']).catch(
    (e: Error) => e.message,
  );
  assert.match(String(refused), /snapshots/);
});
