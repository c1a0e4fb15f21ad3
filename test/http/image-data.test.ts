import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { testApp, useApp } from '../helpers/app.js';

const f = useApp();

const OCTET = { 'content-type': 'application/octet-stream' };

async function createImage(body: Record<string, unknown> = {}, headers = f.demo): Promise<string> {
  const res = await f.t.inject({
    method: 'POST',
    url: '/image/v2/images',
    headers,
    payload: { name: 'data', disk_format: 'raw', container_format: 'bare', ...body },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}

function upload(id: string, data: Buffer, headers = f.demo) {
  return f.t.inject({
    method: 'PUT',
    url: `/image/v2/images/${id}/file`,
    headers: { ...headers, ...OCTET },
    payload: data,
  });
}

describe('upload and download', () => {
  test('bytes round-trip with md5, sha512, size and virtual size; Content-MD5 is hex', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const id = await createImage();
    const empty = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${id}/file`,
      headers: f.demo,
    });
    assert.equal(empty.statusCode, 204);
    assert.equal(empty.body, '');
    const put = await upload(id, data);
    assert.equal(put.statusCode, 204, put.body);
    const img = (
      await f.t.inject({ method: 'GET', url: `/image/v2/images/${id}`, headers: f.demo })
    ).json();
    assert.equal(img.status, 'active');
    assert.equal(img.size, data.length);
    assert.equal(img.virtual_size, data.length);
    assert.equal(img.checksum, createHash('md5').update(data).digest('hex'));
    assert.equal(img.os_hash_algo, 'sha512');
    assert.equal(img.os_hash_value, createHash('sha512').update(data).digest('hex'));
    const get = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${id}/file`,
      headers: f.demo,
    });
    assert.equal(get.statusCode, 200);
    assert.equal(get.headers['content-type'], 'application/octet-stream');
    assert.equal(get.headers['content-md5'], img.checksum);
    assert.equal(Number(get.headers['content-length']), data.length);
    assert.ok(get.rawPayload.equals(data));
  });

  test('qcow2 virtual size is read from the header while streaming', async () => {
    const header = Buffer.alloc(65536);
    header.writeUInt32BE(0x514649fb, 0);
    header.writeUInt32BE(3, 4);
    header.writeBigUInt64BE(5n * 1024n ** 3n, 24);
    const id = await createImage({ disk_format: 'qcow2' });
    assert.equal((await upload(id, header)).statusCode, 204);
    const img = (
      await f.t.inject({ method: 'GET', url: `/image/v2/images/${id}`, headers: f.demo })
    ).json();
    assert.equal(img.virtual_size, 5 * 1024 ** 3);
    assert.equal(img.size, 65536);
  });

  test('range downloads: 206 with Content-Range, 416 when unsatisfiable', async () => {
    const data = Buffer.from('0123456789abcdef');
    const id = await createImage();
    await upload(id, data);
    const part = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${id}/file`,
      headers: { ...f.demo, range: 'bytes=2-5' },
    });
    assert.equal(part.statusCode, 206);
    assert.equal(part.body, '2345');
    assert.equal(part.headers['content-range'], 'bytes 2-5/16');
    const suffix = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${id}/file`,
      headers: { ...f.demo, range: 'bytes=-3' },
    });
    assert.equal(suffix.body, 'def');
    const bad = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${id}/file`,
      headers: { ...f.demo, range: 'bytes=100-' },
    });
    assert.equal(bad.statusCode, 416);
  });

  test('upload into an active image is 409; without formats 400; wrong type 415', async () => {
    const id = await createImage();
    await upload(id, Buffer.from('abc'));
    const again = await upload(id, Buffer.from('def'));
    assert.equal(again.statusCode, 409);
    assert.match(
      again.json().message,
      /^Image status transition from active to saving is not allowed/,
    );
    const bare = await f.t.inject({
      method: 'POST',
      url: '/image/v2/images',
      headers: f.demo,
      payload: { name: 'noformat' },
    });
    const noFormat = await upload(bare.json().id, Buffer.from('abc'));
    assert.equal(noFormat.statusCode, 400);
    assert.match(
      noFormat.json().message,
      /^Properties disk_format, container_format must be set prior to saving data\./,
    );
    const json = await f.t.inject({
      method: 'PUT',
      url: `/image/v2/images/${id}/file`,
      headers: { ...f.demo, 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(json.statusCode, 415);
  });

  test('a size header that does not match the body is a 400 and the image stays queued', async () => {
    const id = await createImage();
    const res = await f.t.inject({
      method: 'PUT',
      url: `/image/v2/images/${id}/file`,
      headers: { ...f.demo, ...OCTET, 'x-openstack-image-size': '10' },
      payload: Buffer.from('abc'),
    });
    assert.equal(res.statusCode, 400);
    const img = (
      await f.t.inject({ method: 'GET', url: `/image/v2/images/${id}`, headers: f.demo })
    ).json();
    assert.equal(img.status, 'queued');
    assert.equal(img.size, null);
  });

  test('a store that cannot write kills the image; a client that goes away leaves it queued', async () => {
    const tmp = path.join(f.t.dataDir, 'images', '.tmp');
    fs.rmSync(tmp, { recursive: true });
    fs.writeFileSync(tmp, 'not a directory');
    const id = await createImage();
    try {
      const res = await upload(id, Buffer.from('lost'));
      assert.equal(res.statusCode, 500);
    } finally {
      fs.rmSync(tmp);
      fs.mkdirSync(tmp);
    }
    const img = (
      await f.t.inject({ method: 'GET', url: `/image/v2/images/${id}`, headers: f.demo })
    ).json();
    assert.equal(img.status, 'killed');
    assert.equal((await upload(id, Buffer.from('again'))).statusCode, 409);
    assert.equal(
      (await f.t.inject({ method: 'DELETE', url: `/image/v2/images/${id}`, headers: f.demo }))
        .statusCode,
      204,
    );
  });

  test('deactivated images refuse download with 403; reactivate restores it', async () => {
    const id = await createImage();
    await upload(id, Buffer.from('payload'));
    const deact = await f.t.inject({
      method: 'POST',
      url: `/image/v2/images/${id}/actions/deactivate`,
      headers: f.demo,
    });
    assert.equal(deact.statusCode, 204);
    const img = (
      await f.t.inject({ method: 'GET', url: `/image/v2/images/${id}`, headers: f.demo })
    ).json();
    assert.equal(img.status, 'deactivated');
    const get = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${id}/file`,
      headers: f.demo,
    });
    assert.equal(get.statusCode, 403);
    assert.match(
      get.json().message,
      /^The requested image has been deactivated\. Image data download is forbidden\./,
    );
    assert.equal(
      (await f.t.inject({ method: 'GET', url: `/image/v2/images/${id}/file`, headers: f.admin }))
        .statusCode,
      200,
    );
    assert.equal(
      (
        await f.t.inject({
          method: 'POST',
          url: `/image/v2/images/${id}/actions/reactivate`,
          headers: f.demo,
        })
      ).statusCode,
      204,
    );
    assert.equal(
      (await f.t.inject({ method: 'GET', url: `/image/v2/images/${id}/file`, headers: f.demo }))
        .body,
      'payload',
    );
    const queued = await createImage();
    assert.equal(
      (
        await f.t.inject({
          method: 'POST',
          url: `/image/v2/images/${queued}/actions/deactivate`,
          headers: f.demo,
        })
      ).statusCode,
      400,
    );
  });

  test('deleting an image removes its file; bytes and records survive a restart', async () => {
    const keep = await createImage();
    await upload(keep, Buffer.from('kept bytes'));
    const drop = await createImage();
    await upload(drop, Buffer.from('dropped bytes'));
    const dir = path.join(f.t.dataDir, 'images');
    const before = fs.readdirSync(dir).length;
    assert.equal(
      (await f.t.inject({ method: 'DELETE', url: `/image/v2/images/${drop}`, headers: f.demo }))
        .statusCode,
      204,
    );
    assert.equal(fs.readdirSync(dir).length, before - 1);

    await f.t.close();
    // The fixture closes whichever app it holds at the end.
    f.t = await testApp(f.t.dataDir);
    const res = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${keep}/file`,
      headers: f.demo,
    });
    assert.equal(res.body, 'kept bytes');
  });
});
