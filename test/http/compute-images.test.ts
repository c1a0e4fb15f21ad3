import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertFault, useApp } from '../helpers/app.js';

const app = useApp();
const c = '/compute/v2.1';
const mv = (version: string) => ({ 'openstack-api-version': `compute ${version}` });

/** A Glance image of the caller's, with `properties` and, if `data`, active with its bytes. */
async function glanceImage(
  headers: Record<string, string>,
  fields: Record<string, unknown> = {},
  data?: Buffer,
): Promise<Record<string, any>> {
  const res = await app.t.inject({
    method: 'POST',
    url: '/image/v2/images',
    headers,
    payload: {
      name: `img-${randomUUID()}`,
      container_format: 'bare',
      disk_format: 'raw',
      ...fields,
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const image = res.json();
  if (data) {
    const up = await app.t.inject({
      method: 'PUT',
      url: `/image/v2/images/${image.id}/file`,
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      payload: data,
    });
    assert.equal(up.statusCode, 204, up.body);
  }
  return image;
}

const get = (url: string, headers = app.demo) => app.t.inject({ method: 'GET', url, headers });

describe('image proxy: show', () => {
  test('an active image has exactly the fields Tempest allows, with Nova names and links', async () => {
    const made = await glanceImage(
      app.demo,
      { min_ram: 64, min_disk: 1, os_distro: 'cirros' },
      Buffer.alloc(1024),
    );
    const res = await get(`${c}/images/${made.id}`);
    assert.equal(res.statusCode, 200);
    const image = res.json().image;
    assert.deepEqual(Object.keys(image).sort(), [
      'OS-EXT-IMG-SIZE:size',
      'created',
      'id',
      'links',
      'metadata',
      'minDisk',
      'minRam',
      'name',
      'progress',
      'status',
      'updated',
    ]);
    assert.equal(image.status, 'ACTIVE');
    assert.equal(image.progress, 100);
    assert.equal(image.minRam, 64);
    assert.equal(image.minDisk, 1);
    assert.equal(image['OS-EXT-IMG-SIZE:size'], 1024);
    assert.deepEqual(image.metadata, { os_distro: 'cirros' });
    assert.match(image.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(
      image.links.map((l: any) => l.rel),
      ['self', 'bookmark', 'alternate'],
    );
    assert.match(image.links[0].href, new RegExp(`^http://.*/compute/v2\\.1/images/${made.id}$`));
    assert.match(image.links[1].href, new RegExp(`/compute/images/${made.id}$`));
    assert.equal(image.links[2].type, 'application/vnd.openstack.image');
    assert.match(image.links[2].href, new RegExp(`/image/images/${made.id}$`));
  });

  test('a queued image is SAVING at 25% with size 0; a snapshot names its server', async () => {
    const server = randomUUID();
    const made = await glanceImage(app.demo, {
      instance_uuid: server,
      image_type: 'snapshot',
      auto_disk_config: 'False',
    });
    const image = (await get(`${c}/images/${made.id}`)).json().image;
    assert.equal(image.status, 'SAVING');
    assert.equal(image.progress, 25);
    assert.equal(image['OS-EXT-IMG-SIZE:size'], 0);
    assert.equal(image['OS-DCF:diskConfig'], 'MANUAL');
    assert.equal(image.server.id, server);
    assert.deepEqual(
      image.server.links.map((l: any) => l.rel),
      ['self', 'bookmark'],
    );
    assert.match(image.server.links[0].href, new RegExp(`/compute/v2\\.1/servers/${server}$`));
  });

  test('unknown, malformed and other projects\' private images are 404 "Image not found."', async () => {
    const theirs = await glanceImage(app.admin, { visibility: 'private' });
    for (const id of [randomUUID(), 'tempest-invalid-1', '-1', `${randomUUID()}1`, theirs.id])
      assertFault(
        await get(`${c}/images/${encodeURIComponent(id)}`),
        404,
        'itemNotFound',
        'Image not found.',
      );
  });

  test('the proxy ends at 2.35 and its metadata API at 2.38', async () => {
    const made = await glanceImage(app.demo, { a: 'b' });
    assert.equal(
      (await get(`${c}/images/${made.id}`, { ...app.demo, ...mv('2.35') })).statusCode,
      200,
    );
    for (const url of [`${c}/images/${made.id}`, `${c}/images`, `${c}/images/detail`])
      assertFault(
        await get(url, { ...app.demo, ...mv('2.36') }),
        404,
        'itemNotFound',
        'The resource could not be found.',
      );
    const meta = `${c}/images/${made.id}/metadata`;
    assert.equal((await get(meta, { ...app.demo, ...mv('2.38') })).statusCode, 200);
    assert.equal((await get(meta, { ...app.demo, ...mv('2.39') })).statusCode, 404);
  });
});

describe('image proxy: lists', () => {
  test('index has id, name, links; detail the full view; both filter on name', async () => {
    const made = await glanceImage(app.demo, {}, Buffer.alloc(16));
    for (const path of ['images', 'images/detail']) {
      const res = await get(`${c}/${path}?name=${encodeURIComponent(made.name)}`);
      assert.equal(res.statusCode, 200);
      const images = res.json().images;
      assert.equal(images.length, 1);
      assert.equal(images[0].id, made.id);
      if (path === 'images')
        assert.deepEqual(Object.keys(images[0]).sort(), ['id', 'links', 'name']);
      else assert.equal(images[0].status, 'ACTIVE');
    }
  });

  test('server (id or link), type, status (any case), property- and changes-since filter', async () => {
    const server = randomUUID();
    const snap = await glanceImage(app.demo, {
      instance_uuid: server,
      image_type: 'snapshot',
      tier: 'gold',
    });
    const plain = await glanceImage(app.demo, {}, Buffer.alloc(16));
    const ids = async (query: string) =>
      (await get(`${c}/images/detail?${query}`)).json().images.map((i: any) => i.id) as string[];
    assert.deepEqual(await ids(`server=${server}`), [snap.id]);
    const link = `http://x/compute/v2.1/servers/${server}`;
    assert.deepEqual(await ids(`server=${encodeURIComponent(link)}`), [snap.id]);
    assert.ok((await ids('type=snapshot')).includes(snap.id));
    assert.ok(!(await ids('type=snapshot')).includes(plain.id));
    assert.deepEqual(await ids(`property-tier=gold&server=${server}`), [snap.id]);
    const active = await ids('status=ACTIVE');
    assert.ok(active.includes(plain.id) && !active.includes(snap.id));
    // Glance's own status names: a queued image is SAVING in the view, `queued` to the filter.
    assert.ok((await ids('status=QUEUED')).includes(snap.id));
    assert.ok(!(await ids('status=saving')).includes(snap.id));
    const created = (await get(`${c}/images/${plain.id}`)).json().image.created;
    assert.ok((await ids(`changes-since=${encodeURIComponent(created)}`)).includes(plain.id));
    assert.deepEqual(await ids('changes-since=2051-01-01T12:34:00Z'), []);
    assertFault(await get(`${c}/images?changes-since=not-a-date`), 400, 'badRequest');
  });

  test('limit pages with images_links; marker continues; bad limits are 400', async () => {
    const prop = randomUUID();
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await glanceImage(app.demo, { batch: prop }));
    const first = await get(`${c}/images?property-batch=${prop}&limit=2`);
    assert.equal(first.statusCode, 200);
    const body = first.json();
    assert.equal(body.images.length, 2);
    const next = new URL(body.images_links[0].href);
    assert.equal(body.images_links[0].rel, 'next');
    assert.equal(next.pathname, '/compute/v2.1/images');
    assert.equal(next.searchParams.get('marker'), body.images[1].id);
    assert.equal(next.searchParams.get('limit'), '2');
    const second = (await get(`${next.pathname}${next.search}`)).json();
    assert.equal(second.images.length, 1);
    assert.equal(second.images_links, undefined);
    assert.deepEqual(
      new Set([...body.images, ...second.images].map((i: any) => i.id)),
      new Set(made.map((m) => m.id)),
    );
    // limit=0 is "no limit", as Nova drops a falsy limit.
    assert.equal((await get(`${c}/images?property-batch=${prop}&limit=0`)).json().images.length, 3);
    assertFault(
      await get(`${c}/images?limit=x`),
      400,
      'badRequest',
      'Invalid input received: limit must be an integer',
    );
    assertFault(
      await get(`${c}/images?limit=-1`),
      400,
      'badRequest',
      'Invalid input received: limit must be >= 0',
    );
    assertFault(await get(`${c}/images?marker=${randomUUID()}`), 400, 'badRequest');
  });

  test('hostile query input is data: proto keys, repeated and many parameters', async () => {
    for (const q of [
      '__proto__=1',
      'constructor=x',
      'property-__proto__=x',
      'limit=99999999999999999999',
      'name=a&name=b',
    ]) {
      const res = await get(`${c}/images/detail?${q}`);
      assert.equal(res.statusCode, 200, `${q}: ${res.body}`);
    }
    const many = Array.from({ length: 1200 }, (_, i) => `p${i}=${i}`).join('&');
    assert.equal((await get(`${c}/images?${many}`)).statusCode, 200);
  });
});

describe('image proxy: delete and metadata', () => {
  test("DELETE is 204 then 404; another project's public image is 403", async () => {
    const made = await glanceImage(app.demo);
    const del = await app.t.inject({
      method: 'DELETE',
      url: `${c}/images/${made.id}`,
      headers: app.demo,
    });
    assert.equal(del.statusCode, 204);
    assert.equal(del.body, '');
    assertFault(await get(`${c}/images/${made.id}`), 404, 'itemNotFound', 'Image not found.');
    assertFault(
      await app.t.inject({ method: 'DELETE', url: `${c}/images/${made.id}`, headers: app.demo }),
      404,
      'itemNotFound',
      'Image not found.',
    );
    const pub = await glanceImage(app.admin, { visibility: 'public' });
    assertFault(
      await app.t.inject({ method: 'DELETE', url: `${c}/images/${pub.id}`, headers: app.demo }),
      403,
      'forbidden',
      'You are not allowed to delete the image.',
    );
  });

  test('PUT replaces, POST merges, items are read, set and deleted', async () => {
    const made = await glanceImage(app.demo, { old: 'x' }, Buffer.alloc(8));
    const url = `${c}/images/${made.id}/metadata`;
    const send = (method: 'PUT' | 'POST', u: string, payload: unknown) =>
      app.t.inject({ method, url: u, headers: app.demo, payload: payload as object });
    const put = await send('PUT', url, { metadata: { os_version: 'value1', os_distro: 'value2' } });
    assert.equal(put.statusCode, 200);
    assert.deepEqual(put.json(), { metadata: { os_version: 'value1', os_distro: 'value2' } });
    assert.deepEqual((await get(url)).json(), {
      metadata: { os_version: 'value1', os_distro: 'value2' },
    });
    const post = await send('POST', url, { metadata: { os_version: 'v3', arch: 'x86' } });
    assert.deepEqual(post.json().metadata, { os_version: 'v3', os_distro: 'value2', arch: 'x86' });
    assert.deepEqual((await get(`${url}/arch`)).json(), { meta: { arch: 'x86' } });
    assertFault(await get(`${url}/nope`), 404, 'itemNotFound');
    const item = await send('PUT', `${url}/arch`, { meta: { arch: 'arm' } });
    assert.deepEqual(item.json(), { meta: { arch: 'arm' } });
    assertFault(
      await send('PUT', `${url}/arch`, { meta: { other: 'x' } }),
      400,
      'badRequest',
      'Request body and URI mismatch',
    );
    assertFault(
      await send('PUT', `${url}/arch`, { meta: { arch: 'a', b: 'c' } }),
      400,
      'badRequest',
    );
    const del = await app.t.inject({ method: 'DELETE', url: `${url}/arch`, headers: app.demo });
    assert.equal(del.statusCode, 204);
    assertFault(
      await app.t.inject({ method: 'DELETE', url: `${url}/arch`, headers: app.demo }),
      404,
      'itemNotFound',
      'Invalid metadata key',
    );
    assert.deepEqual((await get(url)).json().metadata, { os_version: 'v3', os_distro: 'value2' });
  });

  test('bad bodies are 400 and unknown images 404 on every metadata route', async () => {
    const made = await glanceImage(app.demo);
    const url = `${c}/images/${made.id}/metadata`;
    for (const payload of [
      { metadata: { '': 'x' } },
      { metadata: { ['a'.repeat(256)]: 'b' } },
      { metadata: { k: 'v'.repeat(256) } },
      { metadata: { k: { toString: 'x' } } },
      { metadata: { k: null } },
      { metadata: 'x' },
      {},
    ])
      assertFault(
        await app.t.inject({ method: 'POST', url, headers: app.demo, payload }),
        400,
        'badRequest',
      );
    const gone = `${c}/images/${randomUUID()}/metadata`;
    assertFault(await get(gone), 404, 'itemNotFound', 'Image not found.');
    assertFault(await get(`${gone}/k`), 404, 'itemNotFound', 'Image not found.');
    for (const [method, u, payload] of [
      ['PUT', gone, { metadata: { k: 'v' } }],
      ['POST', gone, { metadata: { k: 'v' } }],
      ['PUT', `${gone}/k`, { meta: { k: 'v' } }],
      ['DELETE', `${gone}/k`, undefined],
    ] as const)
      assertFault(
        await app.t.inject({
          method,
          url: u,
          headers: app.demo,
          payload: payload as object | undefined,
        }),
        404,
        'itemNotFound',
      );
  });

  test('more than 128 items is 403 "Image metadata limit exceeded"', async () => {
    const made = await glanceImage(app.demo);
    const metadata = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, 'v']));
    assertFault(
      await app.t.inject({
        method: 'PUT',
        url: `${c}/images/${made.id}/metadata`,
        headers: app.demo,
        payload: { metadata },
      }),
      403,
      'forbidden',
      'Image metadata limit exceeded',
    );
  });
});
