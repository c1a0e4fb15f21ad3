import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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

/** Nova flavors and key pairs through Debian's openstack CLI (the parts of compute that exist before servers). */
let server: RunningServer;
type Row = Record<string, any>;

before(async () => {
  server = await startServer();
});
after(() => server?.stop());

test('flavor list and show: DevStack flavors, m1.small for the Heat examples', async () => {
  const rows = await openstackJson<Row[]>(server, ['flavor', 'list']);
  const small = rows.find((r) => r.Name === 'm1.small');
  assert.deepEqual(
    { id: small?.ID, ram: small?.RAM, disk: small?.Disk, vcpus: small?.VCPUs },
    { id: '2', ram: 2048, disk: 20, vcpus: 1 },
  );
  const shown = await openstackJson<Row>(server, ['flavor', 'show', 'm1.small']);
  assert.equal(shown['os-flavor-access:is_public'], true);
  assert.equal(shown.swap, '');
});

test('flavor create, access, properties and delete (admin); members may not create', async () => {
  const refused = await openstack(server, [
    'flavor',
    'create',
    '--ram',
    '256',
    '--disk',
    '1',
    '--vcpus',
    '1',
    'not-mine',
  ]);
  assert.notEqual(refused.code, 0);
  // OSC creates flavors through the SDK, which prints its errors in its own form.
  assert.match(
    refused.stderr,
    /403: Client Error for url: .*\/compute\/v2\.1\/flavors, Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed\./,
  );

  const made = await openstackJson<Row>(
    server,
    [
      'flavor',
      'create',
      '--ram',
      '256',
      '--disk',
      '1',
      '--vcpus',
      '1',
      '--private',
      '--property',
      'hw:cpu_policy=shared',
      'cli-private',
    ],
    { admin: true },
  );
  assert.equal(made['os-flavor-access:is_public'], false);
  assert.deepEqual(made.properties, { 'hw:cpu_policy': 'shared' });
  const visible = async () =>
    (await openstackJson<Row[]>(server, ['flavor', 'list', '--all'])).some(
      (r) => r.Name === 'cli-private',
    );
  assert.equal(await visible(), false);
  await openstackOk(server, ['flavor', 'set', '--project', 'demo', 'cli-private'], { admin: true });
  assert.equal(await visible(), true, 'demo sees the private flavor once given access');

  await openstackOk(server, ['flavor', 'set', '--property', 'hw:numa_nodes=1', 'cli-private'], {
    admin: true,
  });
  await openstackOk(server, ['flavor', 'unset', '--property', 'hw:cpu_policy', 'cli-private'], {
    admin: true,
  });
  const shown = await openstackJson<Row>(server, ['flavor', 'show', 'cli-private'], {
    admin: true,
  });
  assert.deepEqual(shown.properties, { 'hw:numa_nodes': '1' });
  assert.equal(shown.access_project_ids.length, 1);

  await openstackOk(server, ['flavor', 'delete', 'cli-private'], { admin: true });
  const gone = await openstack(server, ['flavor', 'show', 'cli-private'], { admin: true });
  assert.notEqual(gone.code, 0);
});

test('keypair create (generated or imported), list, show, delete; fingerprints match ssh-keygen', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-keys-'));
  // Generated: the private key comes back once, and is a key ssh-keygen can read.
  const generated = await openstackOk(server, ['keypair', 'create', 'made-here']);
  const keyFile = path.join(work, 'made-here.pem');
  fs.writeFileSync(keyFile, generated, { mode: 0o600 });
  const derived = execFileSync('ssh-keygen', ['-y', '-f', keyFile])
    .toString()
    .trim()
    .split(' ')
    .slice(0, 2)
    .join(' ');
  const shown = await openstackJson<Row>(server, ['keypair', 'show', 'made-here']);
  assert.equal(shown.type, 'ssh');
  const stored = await openstackOk(server, ['keypair', 'show', '--public-key', 'made-here']);
  assert.equal(stored.trim().split(' ').slice(0, 2).join(' '), derived);

  // Imported: the fingerprint is the md5 one ssh-keygen prints.
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(work, 'id')]);
  const imported = await openstackJson<Row>(server, [
    'keypair',
    'create',
    '--public-key',
    path.join(work, 'id.pub'),
    'brought',
  ]);
  const md5 = execFileSync('ssh-keygen', ['-l', '-E', 'md5', '-f', path.join(work, 'id.pub')])
    .toString()
    .split(' ')[1]!
    .replace(/^MD5:/, '');
  assert.equal(imported.fingerprint, md5);

  const names = (await openstackJson<Row[]>(server, ['keypair', 'list'])).map((r) => r.Name).sort();
  assert.deepEqual(names, ['brought', 'made-here']);
  const dup = await openstack(server, [
    'keypair',
    'create',
    '--public-key',
    path.join(work, 'id.pub'),
    'brought',
  ]);
  assert.notEqual(dup.code, 0);
  assert.match(dup.stderr, /Key pair 'brought' already exists\./);
  assert.deepEqual(
    await openstackJson<Row[]>(server, ['keypair', 'list'], { admin: true }),
    [],
    'key pairs are per user',
  );
  await openstackOk(server, ['keypair', 'delete', 'brought', 'made-here']);
  assert.deepEqual(await openstackJson<Row[]>(server, ['keypair', 'list']), []);
  fs.rmSync(work, { recursive: true, force: true });
});
