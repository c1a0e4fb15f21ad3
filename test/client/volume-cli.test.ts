import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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

/** The volume half of the snapshot guide, through Debian's openstack CLI. */
let server: RunningServer;
let work: string;
type Row = Record<string, any>;

before(async () => {
  server = await startServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-vol-'));
});
after(() => server?.stop());

/** Polls `show` until the status is one of `want` (the CLI returns before tasks finish). */
async function waitFor(
  kind: 'volume' | 'volume snapshot' | 'image',
  name: string,
  want: string[],
): Promise<Row> {
  for (let i = 0; i < 300; i++) {
    const row = await openstackJson<Row>(server, [...kind.split(' '), 'show', name]);
    if (want.includes(row.status)) return row;
    if (row.status === 'error') throw new Error(`${kind} ${name} went to error`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${kind} ${name} never reached ${want.join('/')}`);
}

/** Polls a list command until the id is gone from it. */
async function waitGone(list: string[], id: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (!(await openstackJson<Row[]>(server, list)).some((r) => r.ID === id)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${id} never left ${list.join(' ')}`);
}

describe('volumes', () => {
  test('create, show, list, set, unset, extend', async () => {
    const created = await openstackJson<Row>(server, [
      'volume',
      'create',
      '--size',
      '1',
      '--description',
      'first',
      '--property',
      'a=1',
      'v1',
    ]);
    assert.equal(created.status, 'creating');
    assert.equal(created.size, 1);
    const v1 = await waitFor('volume', 'v1', ['available']);
    assert.equal(v1.description, 'first');
    assert.deepEqual(v1.properties, { a: '1' });
    assert.equal(v1.bootable, 'false');
    assert.equal(v1.type, '__DEFAULT__');
    const list = await openstackJson<Row[]>(server, ['volume', 'list']);
    assert.deepEqual(
      list.map((r) => [r.Name, r.Status, r.Size]),
      [['v1', 'available', 1]],
    );

    await openstackOk(server, [
      'volume',
      'set',
      '--name',
      'v1b',
      '--description',
      'renamed',
      '--property',
      'b=2',
      '--bootable',
      'v1',
    ]);
    let shown = await openstackJson<Row>(server, ['volume', 'show', 'v1b']);
    assert.equal(shown.description, 'renamed');
    assert.deepEqual(shown.properties, { a: '1', b: '2' });
    assert.equal(shown.bootable, 'true');
    await openstackOk(server, ['volume', 'unset', '--property', 'a', 'v1b']);
    await openstackOk(server, ['volume', 'set', '--size', '2', 'v1b']);
    shown = await waitFor('volume', 'v1b', ['available']);
    assert.deepEqual(shown.properties, { b: '2' });
    assert.equal(shown.size, 2);

    await openstackJson(server, ['volume', 'create', '--source', 'v1b', 'v1-clone']);
    const clone = await waitFor('volume', 'v1-clone', ['available']);
    assert.equal(clone.size, 2);
    assert.equal(clone.source_volid, shown.id);
  });
});

describe('volume snapshots', () => {
  test('the snapshot guide: create prints creating, list shows available, delete of the volume is refused', async () => {
    await openstackJson(server, ['volume', 'create', '--size', '1', 'guide-vol']);
    const vol = await waitFor('volume', 'guide-vol', ['available']);
    const snap = await openstackJson<Row>(server, [
      'volume',
      'snapshot',
      'create',
      '--volume',
      'guide-vol',
      '--description',
      'd',
      '--property',
      'k=v',
      'guide-snap',
    ]);
    assert.deepEqual(Object.keys(snap).sort(), [
      'created_at',
      'description',
      'id',
      'name',
      'properties',
      'size',
      'status',
      'updated_at',
      'volume_id',
    ]);
    assert.equal(snap.status, 'creating');
    assert.equal(snap.updated_at, null);
    assert.match(snap.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    await waitFor('volume snapshot', 'guide-snap', ['available']);

    const list = await openstackJson<Row[]>(server, ['volume', 'snapshot', 'list']);
    assert.deepEqual(
      list.map((r) => [r.Name, r.Description, r.Status, r.Size]),
      [['guide-snap', 'd', 'available', 1]],
    );
    const long = await openstackJson<Row[]>(server, ['volume', 'snapshot', 'list', '--long']);
    // -f json prints the machine-readable volume id (the table shows the name).
    assert.equal(long[0]!.Volume, vol.id);
    assert.deepEqual(long[0]!.Properties, { k: 'v' });
    assert.equal(
      (await openstackJson<Row[]>(server, ['volume', 'snapshot', 'list', '--volume', 'guide-vol']))
        .length,
      1,
    );
    assert.equal(
      (await openstackJson<Row[]>(server, ['volume', 'snapshot', 'list', '--status', 'error']))
        .length,
      0,
    );
    assert.equal(
      (await openstackJson<Row[]>(server, ['volume', 'snapshot', 'list', '--name', 'guide-snap']))
        .length,
      1,
    );
    const second = await openstackJson<Row>(server, [
      'volume',
      'snapshot',
      'create',
      '--volume',
      'guide-vol',
      'guide-snap-b',
    ]);
    await waitFor('volume snapshot', 'guide-snap-b', ['available']);
    const page = await openstackJson<Row[]>(server, ['volume', 'snapshot', 'list', '--limit', '1']);
    assert.deepEqual(
      page.map((r) => r.ID),
      [second.id],
      'newest first, one per page',
    );
    const next = await openstackJson<Row[]>(server, [
      'volume',
      'snapshot',
      'list',
      '--limit',
      '1',
      '--marker',
      second.id,
    ]);
    assert.deepEqual(
      next.map((r) => r.ID),
      [snap.id],
    );
    await openstackOk(server, ['volume', 'snapshot', 'delete', 'guide-snap-b']);
    await waitGone(['volume', 'snapshot', 'list'], second.id);

    const del = await openstack(server, ['volume', 'delete', 'guide-vol']);
    assert.notEqual(del.code, 0);
    assert.match(
      del.stderr,
      /Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer\. \(HTTP 400\)/,
    );
    assert.equal(
      (await openstackJson<Row>(server, ['volume', 'show', 'guide-vol'])).status,
      'available',
    );

    await openstackOk(server, [
      'volume',
      'snapshot',
      'set',
      '--name',
      'guide-snap2',
      '--property',
      'x=y',
      'guide-snap',
    ]);
    await openstackOk(server, ['volume', 'snapshot', 'unset', '--property', 'k', 'guide-snap2']);
    const shown = await openstackJson<Row>(server, ['volume', 'snapshot', 'show', 'guide-snap2']);
    assert.deepEqual(shown.properties, { x: 'y' });

    await openstackOk(server, ['volume', 'delete', '--purge', 'guide-vol']);
    for (let i = 0; i < 100; i++) {
      const vols = await openstackJson<Row[]>(server, ['volume', 'list']);
      if (!vols.some((v) => v.Name === 'guide-vol')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(
      !(await openstackJson<Row[]>(server, ['volume', 'list'])).some((v) => v.Name === 'guide-vol'),
    );
    assert.deepEqual(await openstackJson<Row[]>(server, ['volume', 'snapshot', 'list']), []);
  });

  test('a snapshot of an in-use volume needs --force', async () => {
    await openstackJson(server, ['volume', 'create', '--size', '1', 'busy-vol']);
    await waitFor('volume', 'busy-vol', ['available']);
    // No compute yet to attach it: the admin marks it in-use, as a reset-state would.
    await openstackOk(server, ['volume', 'set', '--state', 'in-use', 'busy-vol'], { admin: true });
    const refused = await openstack(server, [
      'volume',
      'snapshot',
      'create',
      '--volume',
      'busy-vol',
      'busy-snap',
    ]);
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /Invalid volume: Volume [0-9a-f-]+ status must be available, but current status is: in-use\. \(HTTP 400\)/,
    );
    const forced = await openstackJson<Row>(server, [
      'volume',
      'snapshot',
      'create',
      '--volume',
      'busy-vol',
      '--force',
      'busy-snap',
    ]);
    assert.equal(forced.status, 'creating');
    await waitFor('volume snapshot', 'busy-snap', ['available']);
    assert.equal(
      (await openstackJson<Row>(server, ['volume', 'show', 'busy-vol'])).status,
      'in-use',
    );
    await openstackOk(server, ['volume', 'set', '--state', 'available', 'busy-vol'], {
      admin: true,
    });
    const id = (await openstackJson<Row>(server, ['volume', 'show', 'busy-vol'])).id;
    await openstackOk(server, ['volume', 'delete', '--purge', 'busy-vol']);
    await waitGone(['volume', 'list'], id);
  });

  test('image -> volume -> snapshot -> volume -> image returns the original bytes, after the sources are gone', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 512);
    const file = path.join(work, 'data.raw');
    fs.writeFileSync(file, data);
    await openstackJson(server, [
      'image',
      'create',
      '--file',
      file,
      '--disk-format',
      'raw',
      '--container-format',
      'bare',
      'src-img',
    ]);
    await openstackJson(server, [
      'volume',
      'create',
      '--size',
      '1',
      '--image',
      'src-img',
      'from-img',
    ]);
    const fromImg = await waitFor('volume', 'from-img', ['available']);
    assert.equal(fromImg.bootable, 'true');
    assert.equal(fromImg.volume_image_metadata.image_name, 'src-img');
    await openstackJson(server, [
      'volume',
      'snapshot',
      'create',
      '--volume',
      'from-img',
      'snap-of-img',
    ]);
    await waitFor('volume snapshot', 'snap-of-img', ['available']);
    await openstackJson(server, ['volume', 'create', '--snapshot', 'snap-of-img', 'from-snap']);
    const fromSnap = await waitFor('volume', 'from-snap', ['available']);
    assert.equal(fromSnap.size, 1);
    assert.equal(fromSnap.bootable, 'true');

    // A snapshot can go while a volume made from it lives on; so can its volume and the image.
    await openstackOk(server, ['volume', 'snapshot', 'delete', 'snap-of-img']);
    await openstackOk(server, ['volume', 'delete', 'from-img']);
    await openstackOk(server, ['image', 'delete', 'src-img']);

    await openstackJson(server, ['image', 'create', '--volume', 'from-snap', 'back-img']);
    await waitFor('image', 'back-img', ['active']);
    await waitFor('volume', 'from-snap', ['available']);
    const out = path.join(work, 'back.raw');
    await openstackOk(server, ['image', 'save', '--file', out, 'back-img']);
    const back = fs.readFileSync(out);
    assert.equal(back.length, 1024 ** 3);
    assert.ok(back.subarray(0, data.length).equals(data));
    assert.ok(back.subarray(data.length).every((b) => b === 0));
    fs.rmSync(out);
  });
});

describe('limits and quotas', () => {
  test('limits show --absolute reports compute and volume limits with real usage', async () => {
    await openstackJson(server, ['volume', 'create', '--size', '2', 'counted']);
    await waitFor('volume', 'counted', ['available']);
    const rows = await openstackJson<Row[]>(server, ['limits', 'show', '--absolute']);
    const limits = Object.fromEntries(rows.map((r) => [r.Name, r.Value]));
    assert.equal(limits.maxTotalVolumes, 10);
    assert.equal(limits.maxTotalVolumeGigabytes, 1000);
    assert.equal(limits.maxTotalSnapshots, 10);
    // Usage is what the project holds: its volumes and their sizes, plus its snapshots' sizes.
    const volumes = await openstackJson<Row[]>(server, ['volume', 'list', '--long']);
    const snapshots = await openstackJson<Row[]>(server, ['volume', 'snapshot', 'list', '--long']);
    const sum = (rows: Row[]) => rows.reduce((n, r) => n + Number(r.Size), 0);
    assert.equal(limits.totalVolumesUsed, volumes.length);
    assert.equal(limits.totalSnapshotsUsed, snapshots.length);
    assert.equal(limits.totalGigabytesUsed, sum(volumes) + sum(snapshots));
    assert.equal(limits.maxTotalInstances, 10);
    assert.equal(limits.totalInstancesUsed, 0);
  });

  test("quota set (admin) changes what quota show prints; passing it gets Cinder's 413", async () => {
    const before = await openstackJson<Row>(server, ['quota', 'show']);
    assert.equal(before.volumes, 10);
    assert.equal(before.snapshots, 10);
    assert.equal(before.gigabytes, 1000);
    assert.equal(before.instances, 10);

    const denied = await openstack(server, ['quota', 'set', '--volumes', '1', 'demo']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /HTTP 403/);

    const used = (await openstackJson<Row[]>(server, ['volume', 'list'])).length;
    await openstackOk(
      server,
      ['quota', 'set', '--volumes', String(used), '--gigabytes', '500', '--instances', '4', 'demo'],
      { admin: true },
    );
    const after = await openstackJson<Row>(server, ['quota', 'show']);
    assert.equal(after.volumes, used);
    assert.equal(after.gigabytes, 500);
    assert.equal(after.instances, 4);
    const detail = await openstackJson<Row[]>(
      server,
      ['quota', 'list', '--compute', '--detail', '--project', 'demo'],
      { admin: true },
    );
    assert.equal(detail.find((r) => r.Resource === 'instances')?.Limit, 4);

    const over = await openstack(server, ['volume', 'create', '--size', '1', 'one-too-many']);
    assert.notEqual(over.code, 0);
    assert.match(
      over.stderr,
      new RegExp(
        `Maximum number of volumes allowed \\(${used}\\) exceeded for quota 'volumes'\\. \\(HTTP 413\\)`,
      ),
    );
    await openstackOk(
      server,
      ['quota', 'set', '--volumes', '10', '--gigabytes', '1000', '--instances', '10', 'demo'],
      { admin: true },
    );
  });
});
