import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
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
 * Debian's python3-openstackclient against the real server: every image command a user of the
 * snapshot guide runs, checked through `-f json` output.
 */
let server: RunningServer;
let work: string;
const files = { raw: '', qcow2: '' };
const md5 = (p: string) => createHash('md5').update(fs.readFileSync(p)).digest('hex');
const sha512 = (p: string) => createHash('sha512').update(fs.readFileSync(p)).digest('hex');

type Img = Record<string, any>;
type Row = Record<string, any>;

before(async () => {
  server = await startServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-cli-'));
  files.raw = path.join(work, 'disk.raw');
  fs.writeFileSync(files.raw, randomBytes(2 * 1024 * 1024 + 5));
  files.qcow2 = path.join(work, 'disk.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', files.qcow2, '3G']);
});
after(async () => {
  await server?.stop();
});

async function createImage(name: string, args: string[] = [], admin = false): Promise<Img> {
  await openstackJson(server, ['image', 'create', ...args, name], { admin });
  return openstackJson<Img>(server, ['image', 'show', name], { admin });
}

describe('openstack image create / show / save', () => {
  test('qcow2 upload: active, md5 checksum, sha512 hash, size, virtual size from the header', async () => {
    const img = await createImage('cli-qcow2', [
      '--file',
      files.qcow2,
      '--disk-format',
      'qcow2',
      '--container-format',
      'bare',
    ]);
    assert.equal(img.status, 'active');
    assert.equal(img.checksum, md5(files.qcow2));
    assert.equal(img.properties.os_hash_algo, 'sha512');
    assert.equal(img.properties.os_hash_value, sha512(files.qcow2));
    assert.equal(img.size, fs.statSync(files.qcow2).size);
    assert.equal(img.virtual_size, 3 * 1024 ** 3);
    assert.equal(img.visibility, 'shared');
  });

  test('raw upload: virtual size equals size; image save returns identical bytes', async () => {
    const img = await createImage('cli-raw', [
      '--file',
      files.raw,
      '--disk-format',
      'raw',
      '--container-format',
      'bare',
    ]);
    assert.equal(img.virtual_size, img.size);
    const out = path.join(work, 'saved.raw');
    await openstackOk(server, ['image', 'save', '--file', out, 'cli-raw']);
    assert.ok(fs.readFileSync(out).equals(fs.readFileSync(files.raw)));
  });

  test("show of an unknown image fails with the client's message", async () => {
    const r = await openstack(server, ['image', 'show', 'no-such-image']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /No Image found for no-such-image/);
  });
});

describe('openstack image list', () => {
  before(async () => {
    await createImage('list-private', [
      '--private',
      '--property',
      'color=red',
      '--tag',
      'blue',
      '--disk-format',
      'raw',
    ]);
    await createImage('list-community', ['--community', '--disk-format', 'raw'], true);
    await createImage('list-public', ['--public', '--disk-format', 'raw'], true);
  });

  const names = (rows: Row[]) => rows.map((r) => r.Name).sort();

  test('--private, --shared, --public, --community select by visibility', async () => {
    const priv = names(await openstackJson<Row[]>(server, ['image', 'list', '--private']));
    assert.ok(priv.includes('list-private'));
    assert.ok(!priv.includes('cli-raw'), 'a shared (default) image is not private');
    const shared = names(await openstackJson<Row[]>(server, ['image', 'list', '--shared']));
    assert.ok(shared.includes('cli-raw'));
    assert.ok(!shared.includes('list-private'));
    assert.deepEqual(names(await openstackJson<Row[]>(server, ['image', 'list', '--public'])), [
      'list-public',
    ]);
    assert.deepEqual(names(await openstackJson<Row[]>(server, ['image', 'list', '--community'])), [
      'list-community',
    ]);
    // Another project's community image is found by asking for community images, not by default.
    const all = names(await openstackJson<Row[]>(server, ['image', 'list']));
    assert.ok(
      all.includes('list-public') &&
        all.includes('list-private') &&
        !all.includes('list-community'),
    );
  });

  test('--long, --property, --tag', async () => {
    const long = await openstackJson<Row[]>(server, ['image', 'list', '--long', '--private']);
    const row = long.find((r) => r.Name === 'list-private')!;
    assert.equal(row['Disk Format'], 'raw');
    assert.equal(row.Visibility, 'private');
    assert.deepEqual(row.Tags, ['blue']);
    assert.deepEqual(
      names(await openstackJson<Row[]>(server, ['image', 'list', '--property', 'color=red'])),
      ['list-private'],
    );
    assert.deepEqual(
      names(await openstackJson<Row[]>(server, ['image', 'list', '--tag', 'blue'])),
      ['list-private'],
    );
  });

  test('--sort, --limit and --marker page through the list', async () => {
    const sorted = await openstackJson<Row[]>(server, ['image', 'list', '--sort', 'name:desc']);
    const order = sorted.map((r) => r.Name);
    assert.deepEqual(order, [...order].sort().reverse());
    // The CLI sorts each page by name on the client; the marker is the server's last row, so
    // take the server's own order to know which image ends the first page.
    const token = (await openstackJson<Row>(server, ['token', 'issue'])).id;
    const res = await fetch(`${server.url}/image/v2/images?limit=2`, {
      headers: { 'x-auth-token': token },
    });
    const serverFirst = ((await res.json()) as { images: Row[] }).images.map((i) => i.id);
    const first = await openstackJson<Row[]>(server, ['image', 'list', '--limit', '2']);
    assert.deepEqual(first.map((r) => r.ID).sort(), [...serverFirst].sort());
    const rest = await openstackJson<Row[]>(server, ['image', 'list', '--marker', serverFirst[1]!]);
    const everything = await openstackJson<Row[]>(server, ['image', 'list']);
    assert.deepEqual(
      [...first, ...rest].map((r) => r.ID).sort(),
      everything.map((r) => r.ID).sort(),
    );
  });
});

describe('openstack image set / unset / delete', () => {
  test('set name, property, tag, protection, visibility, min disk and ram; unset', async () => {
    await createImage('to-set', ['--disk-format', 'raw', '--private']);
    await openstackOk(server, [
      'image',
      'set',
      '--name',
      'was-set',
      '--property',
      'os_distro=cirros',
      '--tag',
      'snap',
      '--protected',
      '--shared',
      '--min-disk',
      '2',
      '--min-ram',
      '256',
      'to-set',
    ]);
    let img = await openstackJson<Img>(server, ['image', 'show', 'was-set']);
    assert.equal(img.properties.os_distro, 'cirros');
    assert.deepEqual(img.tags, ['snap']);
    assert.equal(img.protected, true);
    assert.equal(img.visibility, 'shared');
    assert.equal(img.min_disk, 2);
    assert.equal(img.min_ram, 256);

    const del = await openstack(server, ['image', 'delete', 'was-set']);
    assert.notEqual(del.code, 0);
    assert.match(del.stderr, /is protected and cannot be deleted|403/);

    await openstackOk(server, [
      'image',
      'unset',
      '--property',
      'os_distro',
      '--tag',
      'snap',
      'was-set',
    ]);
    await openstackOk(server, ['image', 'set', '--unprotected', 'was-set']);
    img = await openstackJson<Img>(server, ['image', 'show', 'was-set']);
    assert.equal(img.properties.os_distro, undefined);
    assert.deepEqual(img.tags, []);
    assert.equal(img.protected, false);
    await openstackOk(server, ['image', 'delete', 'was-set']);
    assert.notEqual((await openstack(server, ['image', 'show', 'was-set'])).code, 0);
  });

  test('deactivate and reactivate (admin); a deactivated image cannot be saved', async () => {
    const img = await createImage(
      'to-deactivate',
      ['--file', files.raw, '--disk-format', 'raw'],
      true,
    );
    await openstackOk(server, ['image', 'set', '--deactivate', img.id], { admin: true });
    assert.equal(
      (await openstackJson<Img>(server, ['image', 'show', img.id], { admin: true })).status,
      'deactivated',
    );
    await openstackOk(server, ['image', 'set', '--activate', img.id], { admin: true });
    assert.equal(
      (await openstackJson<Img>(server, ['image', 'show', img.id], { admin: true })).status,
      'active',
    );
  });
});

describe('sharing and project isolation', () => {
  test('admin shares an image with demo, demo accepts it, admin removes demo', async () => {
    const img = await createImage(
      'shared-by-admin',
      ['--file', files.raw, '--disk-format', 'raw', '--shared'],
      true,
    );
    const demoProject = (await openstackJson<Row>(server, ['token', 'issue'])).project_id;
    await openstackOk(server, ['image', 'add', 'project', img.id, 'demo'], { admin: true });
    const members = await openstackJson<Row[]>(server, ['image', 'member', 'list', img.id], {
      admin: true,
    });
    assert.deepEqual(
      members.map((m) => [m['Member ID'], m.Status]),
      [[demoProject, 'pending']],
    );
    assert.ok(
      !(await openstackJson<Row[]>(server, ['image', 'list'])).some((r) => r.ID === img.id),
      'pending images stay out of the list',
    );
    await openstackOk(server, ['image', 'set', '--accept', img.id]);
    assert.ok((await openstackJson<Row[]>(server, ['image', 'list'])).some((r) => r.ID === img.id));
    const out = path.join(work, 'shared.raw');
    await openstackOk(server, ['image', 'save', '--file', out, img.id]);
    assert.ok(fs.readFileSync(out).equals(fs.readFileSync(files.raw)));
    await openstackOk(server, ['image', 'remove', 'project', img.id, 'demo'], { admin: true });
    assert.ok(
      !(await openstackJson<Row[]>(server, ['image', 'list'])).some((r) => r.ID === img.id),
    );
  });

  test("demo never sees or changes admin's private image; admin sees demo's", async () => {
    const secret = await createImage('admin-secret', ['--private', '--disk-format', 'raw'], true);
    assert.notEqual((await openstack(server, ['image', 'show', secret.id])).code, 0);
    assert.notEqual(
      (await openstack(server, ['image', 'set', '--name', 'pwned', secret.id])).code,
      0,
    );
    assert.notEqual((await openstack(server, ['image', 'delete', secret.id])).code, 0);
    assert.ok(
      !(await openstackJson<Row[]>(server, ['image', 'list', '--private'])).some(
        (r) => r.ID === secret.id,
      ),
    );
    const mine = await createImage('demo-own', ['--private', '--disk-format', 'raw']);
    assert.ok(
      (await openstackJson<Row[]>(server, ['image', 'list', '--private'], { admin: true })).some(
        (r) => r.ID === mine.id,
      ),
    );
    assert.equal(
      (await openstackJson<Img>(server, ['image', 'show', secret.id], { admin: true })).name,
      'admin-secret',
    );
  });
});

describe('identity commands', () => {
  test('token issue, project list (admin), catalog list', async () => {
    const token = await openstackJson<Row>(server, ['token', 'issue']);
    assert.ok(token.id && token.project_id && token.user_id);
    assert.match(token.expires, /^\d{4}-\d\d-\d\dT/);
    const projects = await openstackJson<Row[]>(server, ['project', 'list'], { admin: true });
    assert.deepEqual(projects.map((p) => p.Name).sort(), ['admin', 'demo']);
    const catalog = await openstackJson<Row[]>(server, ['catalog', 'list']);
    assert.deepEqual(catalog.map((c) => c.Type).sort(), [
      'block-storage',
      'compute',
      'identity',
      'image',
      'network',
      'orchestration',
      'volumev3',
    ]);
    const image = catalog.find((c) => c.Type === 'image')!;
    assert.equal(image.Endpoints.length, 3);
    assert.ok(
      image.Endpoints.every(
        (e: Row) => e.url === `${server.url}/image` && e.region === 'RegionOne',
      ),
    );
  });
});
