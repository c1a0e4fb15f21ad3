import { after, before, test } from 'node:test';
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
import { hasPattern, rootDiskPath, writePattern } from '../helpers/server-disk.js';

/**
 * Instance snapshots through Debian's openstack CLI, as ../shared/seed/snapshots-guide.md uses
 * them, with the bytes checked through qemu-io; and Nova's instance/cores/ram quotas.
 */
let server: RunningServer;
let work: string;
type Row = Record<string, any>;
const MiB = 1024 * 1024;

const json = <T = Row>(args: string[], admin = false) => openstackJson<T>(server, args, { admin });
const ok = (args: string[], admin = false) => openstackOk(server, args, { admin });

before(async () => {
  server = await startServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-snapshot-cli-'));
  // The base image: 8 MiB of 0x11, so what a server wrote stands out from what it was given.
  const file = path.join(work, 'base.raw');
  fs.writeFileSync(file, Buffer.alloc(8 * MiB, 0x11));
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

async function waitImage(id: string): Promise<Row> {
  let image: Row = {};
  for (let i = 0; i < 300; i++) {
    image = await json(['image', 'show', id]);
    if (image.status === 'active' || image.status === 'killed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(image.status, 'active');
  return image;
}

async function waitIdle(id: string): Promise<Row> {
  let shown: Row = {};
  for (let i = 0; i < 300; i++) {
    shown = await json(['server', 'show', id]);
    if (shown['OS-EXT-STS:task_state'] === null) return shown;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`server ${id} still has task_state ${shown['OS-EXT-STS:task_state']}`);
}

test('the snapshot guide word for word: server image create, image list --private, launch from it', async () => {
  const vm = await json([
    'server',
    'create',
    '--image',
    'cirros',
    '--flavor',
    'm1.small',
    '--network',
    'private',
    '--wait',
    'MyInstanceName',
  ]);
  const cirros = await json(['image', 'show', 'cirros']);

  // `openstack server image create --name <MyInstanceSnapshotName> <MyInstanceName>`, as printed.
  const out = await ok([
    'server',
    'image',
    'create',
    '--name',
    'MyInstanceSnapshotName',
    'MyInstanceName',
  ]);
  const fields = tableFields(out);
  assert.equal(fields.get('name'), 'MyInstanceSnapshotName');
  assert.equal(fields.get('status'), 'queued');
  assert.equal(fields.get('visibility'), 'private');
  assert.equal(fields.get('protected'), 'False');
  assert.equal(fields.get('min_disk'), '20', "the flavor's disk, as in the guide's 50");
  assert.equal(fields.get('min_ram'), '0');
  assert.equal(fields.get('schema'), '/v2/schemas/image');
  const imageId = fields.get('id')!;
  assert.equal(fields.get('file'), `/v2/images/${imageId}/file`);
  assert.equal(fields.get('owner'), vm.project_id);
  assert.match(fields.get('properties')!, new RegExp(`base_image_ref='${cirros.id}'`));
  assert.match(fields.get('properties')!, new RegExp(`instance_uuid='${vm.id}'`));
  assert.match(fields.get('properties')!, /image_type='snapshot'/);

  // The server stays ACTIVE while the snapshot runs, and is idle once the image is active.
  assert.equal((await json(['server', 'show', vm.id])).status, 'ACTIVE');
  const image = await waitImage(imageId);
  assert.equal(image.disk_format, 'qcow2');
  assert.equal(image.container_format, 'bare');
  assert.equal((await waitIdle(vm.id)).status, 'ACTIVE');

  // `openstack image list --private`: the guide's three columns, the snapshot active.
  const listed = await ok(['image', 'list', '--private']);
  assert.match(listed, /\| ID +\| Name +\| Status +\|/);
  assert.match(listed, new RegExp(`\\| ${imageId} \\| MyInstanceSnapshotName +\\| active +\\|`));
  assert.doesNotMatch(listed, /cirros/, 'the public base image is not private');

  // "Snapshots can be used as templates for new instances."
  const copy = await json([
    'server',
    'create',
    '--image',
    'MyInstanceSnapshotName',
    '--flavor',
    'm1.small',
    '--network',
    'private',
    '--wait',
    'FromSnapshot',
  ]);
  assert.equal(copy.status, 'ACTIVE');
  assert.equal(copy.image, `MyInstanceSnapshotName (${imageId})`);
  await ok(['server', 'delete', '--wait', vm.id, copy.id]);
  await ok(['image', 'delete', imageId]);
});

test('bytes written into the root disk are in the snapshot and in a server booted from it; a second snapshot holds its own moment', async () => {
  const vm = await json([
    'server',
    'create',
    '--image',
    'cirros',
    '--flavor',
    'm1.small',
    '--wait',
    'vm-data',
  ]);
  // First moment: 1 MiB of 0xab at 1 MiB.
  writePattern(rootDiskPath(server.dataDir, vm.id), 0xab, MiB, MiB);
  const one = await json(['server', 'image', 'create', '--name', 'data-1', '--wait', vm.id]);
  assert.equal(one.status, 'active');
  await waitIdle(vm.id);
  // Second moment: the same range overwritten with 0xcd, and 0xef further on.
  writePattern(rootDiskPath(server.dataDir, vm.id), 0xcd, MiB, MiB);
  writePattern(rootDiskPath(server.dataDir, vm.id), 0xef, 16 * MiB, MiB);
  const two = await json(['server', 'image', 'create', '--name', 'data-2', '--wait', vm.id]);
  await waitIdle(vm.id);

  const file1 = path.join(work, 'data-1.qcow2');
  const file2 = path.join(work, 'data-2.qcow2');
  await ok(['image', 'save', '--file', file1, one.id]);
  await ok(['image', 'save', '--file', file2, two.id]);
  // Each file is a whole qcow2 image (no backing file): the base's bytes are in it too.
  for (const f of [file1, file2]) {
    assert.ok(hasPattern(f, 'qcow2', 0x11, 0, MiB), `${f}: the base image's first MiB`);
    assert.ok(hasPattern(f, 'qcow2', 0x11, 2 * MiB, 6 * MiB), `${f}: the rest of the base`);
  }
  assert.ok(hasPattern(file1, 'qcow2', 0xab, MiB, MiB));
  assert.ok(hasPattern(file1, 'qcow2', 0, 16 * MiB, MiB), 'the first snapshot has no later write');
  assert.ok(hasPattern(file2, 'qcow2', 0xcd, MiB, MiB));
  assert.ok(hasPattern(file2, 'qcow2', 0xef, 16 * MiB, MiB));
  const saved = (await json(['image', 'show', two.id])) as Row;
  assert.equal(saved.size, fs.statSync(file2).size);

  // A server booted from the first snapshot reads the first moment through its own disk.
  const copy = await json([
    'server',
    'create',
    '--image',
    one.id,
    '--flavor',
    'm1.small',
    '--wait',
    'vm-copy',
  ]);
  const copyDisk = rootDiskPath(server.dataDir, copy.id);
  assert.ok(hasPattern(copyDisk, 'qcow2', 0xab, MiB, MiB));
  assert.ok(hasPattern(copyDisk, 'qcow2', 0x11, 2 * MiB, 6 * MiB));
  assert.ok(hasPattern(copyDisk, 'qcow2', 0, 16 * MiB, MiB));
  // Writing into the copy changes neither the snapshot nor the first server.
  writePattern(copyDisk, 0x77, MiB, MiB);
  assert.ok(hasPattern(rootDiskPath(server.dataDir, vm.id), 'qcow2', 0xcd, MiB, MiB));
  await ok(['server', 'delete', '--wait', vm.id, copy.id]);
  await ok(['image', 'delete', one.id, two.id]);
});

test('instances, cores and ram quotas: Nova 403 texts; limits show and quota list report usage', async () => {
  await ok(['quota', 'set', '--instances', '2', '--cores', '3', '--ram', '4096', 'demo'], true);
  try {
    const tiny = await json([
      'server',
      'create',
      '--image',
      'cirros',
      '--flavor',
      'm1.tiny',
      '--wait',
      'q-1',
    ]);
    const limits = await json<Row[]>(['limits', 'show', '--absolute']);
    const limit = (name: string) => limits.find((r) => r.Name === name)?.Value;
    assert.equal(limit('maxTotalInstances'), 2);
    assert.equal(limit('totalInstancesUsed'), 1);
    assert.equal(limit('totalCoresUsed'), 1);
    assert.equal(limit('totalRAMUsed'), 512);
    const usage = await json<Row[]>(
      ['quota', 'list', '--detail', '--compute', '--project', 'demo'],
      true,
    );
    const row = (r: string) => usage.find((u) => u.Resource === r)!;
    assert.deepEqual([row('instances')['In Use'], row('instances').Limit], [1, 2]);
    assert.deepEqual([row('cores')['In Use'], row('ram')['In Use']], [1, 512]);

    // m1.medium: 2 vCPUs and 4096 MiB; 1 + 2 cores fit, 512 + 4096 MiB do not.
    const ram = await openstack(server, [
      'server',
      'create',
      '--image',
      'cirros',
      '--flavor',
      'm1.medium',
      'q-ram',
    ]);
    assert.notEqual(ram.code, 0);
    assert.match(
      ram.stderr,
      /Quota exceeded for ram: Requested 4096, but already used 512 of 4096 ram \(HTTP 403\)/,
    );
    await ok(['quota', 'set', '--ram', '51200', 'demo'], true);
    const cores = await openstack(server, [
      'server',
      'create',
      '--image',
      'cirros',
      '--flavor',
      'm1.large',
      'q-cores',
    ]);
    assert.match(
      cores.stderr,
      /Quota exceeded for cores: Requested 4, but already used 1 of 3 cores \(HTTP 403\)/,
    );
    const second = await json([
      'server',
      'create',
      '--image',
      'cirros',
      '--flavor',
      'm1.tiny',
      '--wait',
      'q-2',
    ]);
    const third = await openstack(server, [
      'server',
      'create',
      '--image',
      'cirros',
      '--flavor',
      'm1.tiny',
      'q-3',
    ]);
    assert.match(
      third.stderr,
      /Quota exceeded for instances: Requested 1, but already used 2 of 2 instances \(HTTP 403\)/,
    );
    assert.equal((await json<Row[]>(['server', 'list'])).length, 2);

    // Deleting frees the slot at once.
    await ok(['server', 'delete', '--wait', second.id]);
    const again = await json([
      'server',
      'create',
      '--image',
      'cirros',
      '--flavor',
      'm1.tiny',
      '--wait',
      'q-3',
    ]);
    await ok(['server', 'delete', '--wait', tiny.id, again.id]);
    const freed = await json<Row[]>(['limits', 'show', '--absolute']);
    assert.equal(freed.find((r) => r.Name === 'totalInstancesUsed')?.Value, 0);
  } finally {
    await ok(
      ['quota', 'set', '--instances', '10', '--cores', '20', '--ram', '51200', 'demo'],
      true,
    );
  }
});

/** `openstack ... show`'s table (Field | Value) as a map. */
function tableFields(out: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^\| (\S+) +\| (.*?) *\|$/.exec(line);
    if (m && m[1] !== 'Field') fields.set(m[1]!, m[2]!);
  }
  return fields;
}
