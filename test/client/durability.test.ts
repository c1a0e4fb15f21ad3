import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { openstackJson, openstackOk, startServer, type RunningServer } from '../helpers/server.js';
import { hasPattern, rootDiskPath, writePattern } from '../helpers/server-disk.js';

let server: RunningServer | undefined;
// After each test, failed ones too: a server left running would keep this file from ending.
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function token(url: string, user: string, project: string): Promise<string> {
  const res = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user, domain: { id: 'default' }, password: user } },
        },
        scope: { project: { name: project, domain: { id: 'default' } } },
      },
    }),
  });
  assert.equal(res.status, 201);
  return res.headers.get('x-subject-token')!;
}

async function createImage(url: string, tok: string, name: string): Promise<string> {
  const created = await fetch(`${url}/image/v2/images`, {
    method: 'POST',
    headers: { 'x-auth-token': tok, 'content-type': 'application/json' },
    body: JSON.stringify({ name, disk_format: 'raw', container_format: 'bare' }),
  });
  return ((await created.json()) as { id: string }).id;
}

async function imageStatus(url: string, tok: string, id: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/image/v2/images/${id}`, { headers: { 'x-auth-token': tok } });
  return (await res.json()) as Record<string, unknown>;
}

test('a server killed in the middle of an upload restarts with the image queued and no stray file', async () => {
  server = await startServer();
  const tok = await token(server.url, 'demo', 'demo');
  const id = await createImage(server.url, tok, 'interrupted');

  // Send part of the body, then kill the server while it is writing.
  const req = http.request(`${server.url}/image/v2/images/${id}/file`, {
    method: 'PUT',
    headers: {
      'x-auth-token': tok,
      'content-type': 'application/octet-stream',
      'transfer-encoding': 'chunked',
    },
  });
  req.on('error', () => undefined);
  req.write(randomBytes(4 * 1024 * 1024));
  for (let i = 0; i < 200 && (await imageStatus(server.url, tok, id)).status !== 'saving'; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal((await imageStatus(server.url, tok, id)).status, 'saving');
  // The writer thread creates the file: it may start a moment after the status moves.
  const tmpDir = path.join(server.dataDir, 'images', '.tmp');
  for (let i = 0; i < 200 && fs.readdirSync(tmpDir).length === 0; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(fs.readdirSync(tmpDir).length, 1, 'the partial upload is a temp file');
  await server.stop('SIGKILL');
  req.destroy();

  server = await server.restart();
  const after = await imageStatus(server.url, tok, id);
  assert.equal(after.status, 'queued');
  assert.equal(after.size, null);
  assert.equal(after.checksum, null);
  assert.deepEqual(fs.readdirSync(tmpDir), []);
  assert.deepEqual(fs.readdirSync(path.join(server.dataDir, 'images')), ['.tmp']);

  // And the image can be uploaded again.
  const data = randomBytes(1000);
  const put = await fetch(`${server.url}/image/v2/images/${id}/file`, {
    method: 'PUT',
    headers: { 'x-auth-token': tok, 'content-type': 'application/octet-stream' },
    body: data,
  });
  assert.equal(put.status, 204);
  assert.equal((await imageStatus(server.url, tok, id)).status, 'active');
  await server.stop();
});

test('a client that disconnects mid-upload leaves the image queued, ready for another upload', async () => {
  server = await startServer();
  const tok = await token(server.url, 'demo', 'demo');
  const id = await createImage(server.url, tok, 'abandoned');
  const req = http.request(`${server.url}/image/v2/images/${id}/file`, {
    method: 'PUT',
    headers: {
      'x-auth-token': tok,
      'content-type': 'application/octet-stream',
      'content-length': String(8 * 1024 * 1024),
    },
  });
  req.on('error', () => undefined);
  req.write(randomBytes(1024 * 1024));
  for (let i = 0; i < 200 && (await imageStatus(server.url, tok, id)).status !== 'saving'; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  req.destroy();
  let status: unknown;
  for (
    let i = 0;
    i < 200 && (status = (await imageStatus(server.url, tok, id)).status) !== 'queued';
    i++
  ) {
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(status, 'queued');
  assert.deepEqual(fs.readdirSync(path.join(server.dataDir, 'images', '.tmp')), []);
  await server.stop();
});

test('projects, users, role grants, tokens, images and bytes survive a restart', async () => {
  server = await startServer();
  await openstackOk(server, ['project', 'create', 'keep-project'], { admin: true });
  await openstackOk(
    server,
    ['user', 'create', '--password', 'keep-user', '--project', 'keep-project', 'keep-user'],
    { admin: true },
  );
  await openstackOk(
    server,
    ['role', 'add', '--project', 'keep-project', '--user', 'keep-user', 'member'],
    { admin: true },
  );
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-keep-')), 'disk.raw');
  fs.writeFileSync(file, randomBytes(1024 * 1024));
  await openstackJson(server, [
    'image',
    'create',
    '--file',
    file,
    '--disk-format',
    'raw',
    '--container-format',
    'bare',
    'keep-image',
  ]);
  const before = await openstackJson<Record<string, unknown>>(server, [
    'image',
    'show',
    'keep-image',
  ]);
  const userToken = await token(server.url, 'keep-user', 'keep-project');

  server = await server.restart();

  const projects = await openstackJson<Array<Record<string, string>>>(server, ['project', 'list'], {
    admin: true,
  });
  assert.ok(projects.some((p) => p.Name === 'keep-project'));
  const users = await openstackJson<Array<Record<string, string>>>(server, ['user', 'list'], {
    admin: true,
  });
  assert.ok(users.some((u) => u.Name === 'keep-user'));
  const res = await fetch(`${server.url}/image/v2/images`, {
    headers: { 'x-auth-token': userToken },
  });
  assert.equal(res.status, 200, 'a token issued before the restart is still valid');
  assert.deepEqual(await openstackJson(server, ['image', 'show', 'keep-image']), before);
  const out = `${file}.out`;
  await openstackOk(server, ['image', 'save', '--file', out, 'keep-image']);
  assert.ok(fs.readFileSync(out).equals(fs.readFileSync(file)));
  await server.stop();
});

test('a server killed while a volume uploads to an image finishes the upload after restart, with no scratch file left', async () => {
  server = await startServer();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-upload-kill-'));
  const data = randomBytes(32 * 1024 * 1024);
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
    'kill-src',
  ]);
  await openstackJson(server, [
    'volume',
    'create',
    '--size',
    '1',
    '--image',
    'kill-src',
    'kill-vol',
  ]);
  for (
    let i = 0;
    i < 100 && (await openstackJson(server, ['volume', 'show', 'kill-vol'])).status !== 'available';
    i++
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const upload = await openstackJson<Record<string, string>>(server, [
    'image',
    'create',
    '--volume',
    'kill-vol',
    'kill-img',
  ]);
  const imageId = upload.image_id!;

  // Kill the server while the volume is being flattened or hashed: the scratch file is there.
  const scratch = path.join(server.dataDir, 'tmp');
  for (let i = 0; i < 400 && !(fs.existsSync(scratch) && fs.readdirSync(scratch).length > 0); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(fs.readdirSync(scratch).length > 0, 'the upload task had started');
  await server.stop('SIGKILL');
  server = await server.restart();

  // The durable task runs again: the volume comes back available and the image active.
  let image: Record<string, unknown> = {};
  for (let i = 0; i < 600; i++) {
    image = await openstackJson(server, ['image', 'show', imageId]);
    if (image.status === 'active' || image.status === 'killed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(image.status, 'active');
  assert.equal(image.size, 1024 ** 3);
  const expected = createHash('md5')
    .update(data)
    .update(Buffer.alloc(1024 ** 3 - data.length))
    .digest('hex');
  assert.equal(image.checksum, expected);
  for (
    let i = 0;
    i < 100 && (await openstackJson(server, ['volume', 'show', 'kill-vol'])).status !== 'available';
    i++
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal((await openstackJson(server, ['volume', 'show', 'kill-vol'])).status, 'available');
  assert.deepEqual(fs.existsSync(scratch) ? fs.readdirSync(scratch) : [], []);
  assert.deepEqual(fs.readdirSync(path.join(server.dataDir, 'images', '.tmp')), []);
  fs.rmSync(work, { recursive: true, force: true });
  await server.stop();
});

/** Nova through fetch: create servers and snapshots, poll them, with demo's token. */
async function nova(url: string, tok: string, method: string, p: string, body?: object) {
  const res = await fetch(`${url}/compute/v2.1${p}`, {
    method,
    headers: {
      'x-auth-token': tok,
      'content-type': 'application/json',
      'openstack-api-version': 'compute 2.45',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as any) };
}

async function cirros(url: string, tok: string, name: string): Promise<string> {
  const id = await createImage(url, tok, name);
  const put = await fetch(`${url}/image/v2/images/${id}/file`, {
    method: 'PUT',
    headers: { 'x-auth-token': tok, 'content-type': 'application/octet-stream' },
    body: Buffer.alloc(4 * 1024 * 1024, 0x11),
  });
  assert.equal(put.status, 204);
  return id;
}

/** Polls until every server is ACTIVE, ERROR or gone, with no task under way. */
async function settled(url: string, tok: string, ids: string[]): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  for (let i = 0; i < 600 && seen.size < ids.length; i++) {
    for (const id of ids) {
      if (seen.has(id)) continue;
      const r = await nova(url, tok, 'GET', `/servers/${id}`);
      if (r.status === 404) seen.set(id, 'gone');
      else if (r.body.server['OS-EXT-STS:task_state'] === null) {
        const status = r.body.server.status as string;
        if (status === 'ACTIVE' || status === 'ERROR') seen.set(id, status);
      }
    }
    if (seen.size < ids.length) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(seen.size, ids.length, `servers not settled: ${ids.filter((i) => !seen.has(i))}`);
  return seen;
}

test('a server killed while servers build: after restart every one is ACTIVE, ERROR or gone', async () => {
  server = await startServer();
  const tok = await token(server.url, 'demo', 'demo');
  const image = await cirros(server.url, tok, 'kill-build-base');
  const made = await nova(server.url, tok, 'POST', '/servers', {
    server: {
      name: 'kill-build',
      imageRef: image,
      flavorRef: '1',
      networks: 'auto',
      min_count: 6,
      max_count: 6,
    },
  });
  assert.equal(made.status, 202, JSON.stringify(made.body));
  const list = await nova(server.url, tok, 'GET', '/servers?name=kill-build');
  const ids = (list.body.servers as Array<{ id: string }>).map((s) => s.id);
  assert.equal(ids.length, 6);
  // One of them is deleted while it builds, so a delete is in the queue at the kill too.
  assert.equal((await nova(server.url, tok, 'DELETE', `/servers/${ids[5]}`)).status, 204);
  await server.stop('SIGKILL');

  server = await server.restart();
  const states = await settled(server.url, tok, ids);
  assert.equal(states.get(ids[5]!), 'gone');
  for (const id of ids.slice(0, 5)) assert.equal(states.get(id), 'ACTIVE', id);
  // Each built server has exactly one port, owned by it.
  for (const id of ids.slice(0, 5)) {
    const res: Response = await fetch(`${server.url}/network/v2.0/ports?device_id=${id}`, {
      headers: { 'x-auth-token': tok },
    });
    assert.equal(((await res.json()) as { ports: unknown[] }).ports.length, 1, id);
  }
  await server.stop();
});

test('a server killed while a snapshot uploads: after restart the image is active (or gone), never queued or saving', async () => {
  server = await startServer();
  const tok = await token(server.url, 'demo', 'demo');
  const image = await cirros(server.url, tok, 'kill-snap-base');
  const made = await nova(server.url, tok, 'POST', '/servers', {
    server: { name: 'kill-snap', imageRef: image, flavorRef: '1', networks: 'none' },
  });
  const id = made.body.server.id as string;
  await settled(server.url, tok, [id]);
  // Enough written that the flatten and upload take a while (qemu-io, as a guest would write).
  writePattern(rootDiskPath(server.dataDir, id), 0x42, 0, 256 * 1024 * 1024);
  const snap = await nova(server.url, tok, 'POST', `/servers/${id}/action`, {
    createImage: { name: 'kill-snap-image' },
  });
  assert.equal(snap.status, 202);
  const imageId = snap.body.image_id as string;
  let task: string | null = null;
  for (let i = 0; i < 1000 && task !== 'image_uploading'; i++) {
    task = (await nova(server.url, tok, 'GET', `/servers/${id}`)).body.server[
      'OS-EXT-STS:task_state'
    ];
    if (task !== 'image_uploading') await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(task, 'image_uploading', 'killed during the upload');
  await server.stop('SIGKILL');

  server = await server.restart();
  assert.equal((await settled(server.url, tok, [id])).get(id), 'ACTIVE');
  let status: unknown;
  for (let i = 0; i < 600; i++) {
    const res = await fetch(`${server.url}/image/v2/images/${imageId}`, {
      headers: { 'x-auth-token': tok },
    });
    status = res.status === 404 ? 'gone' : (await res.json()).status;
    if (status === 'active' || status === 'gone') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(status === 'active' || status === 'gone', `image is ${status}`);
  if (status === 'active') {
    const out = path.join(server.dataDir, 'kill-snap.qcow2');
    await openstackOk(server, ['image', 'save', '--file', out, imageId]);
    assert.ok(hasPattern(out, 'qcow2', 0x42, 0, 256 * 1024 * 1024), 'the moment of the snapshot');
    fs.rmSync(out);
  }
  await server.stop();
});
