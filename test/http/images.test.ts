import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../helpers/app.js';

const f = useApp();

const PATCH = { 'content-type': 'application/openstack-images-v2.1-json-patch' };

async function create(
  body: Record<string, unknown> = {},
  headers = f.demo,
): Promise<Record<string, any>> {
  const res = await f.t.inject({
    method: 'POST',
    url: '/image/v2/images',
    headers,
    payload: { name: 'x', ...body },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

/** Glance's webob JSON error: the message ends with webob's template tail. */
function glanceError(
  res: { statusCode: number; json(): any },
  status: number,
  message?: string | RegExp,
): void {
  assert.equal(res.statusCode, status);
  const body = res.json();
  assert.match(body.code, new RegExp(`^${status} `));
  if (typeof message === 'string') assert.equal(body.message, `${message}<br /><br />\n\n\n`);
  else if (message) assert.match(body.message, message);
}

describe('versions', () => {
  test('the root answers 300 with every v2 minor version, no token needed', async () => {
    const res = await f.t.inject({ method: 'GET', url: '/image' });
    assert.equal(res.statusCode, 300);
    const versions = res.json().versions;
    assert.equal(versions[0].id, 'v2.15');
    assert.equal(versions[0].status, 'CURRENT');
    assert.ok(versions.every((v: any) => v.links[0].href.endsWith('/image/v2/')));
    assert.equal((await f.t.inject({ method: 'GET', url: '/image/versions' })).statusCode, 200);
  });
});

describe('create, show, update, delete', () => {
  test('create gives a queued image with every base key, default visibility shared', async () => {
    const res = await f.t.inject({
      method: 'POST',
      url: '/image/v2/images',
      headers: f.demo,
      payload: {
        name: 'cirros',
        disk_format: 'qcow2',
        container_format: 'bare',
        tags: ['a'],
        min_disk: 1,
        color: 'red',
      },
    });
    assert.equal(res.statusCode, 201);
    const img = res.json();
    assert.match(res.headers.location as string, new RegExp(`/image/v2/images/${img.id}$`));
    assert.equal(img.status, 'queued');
    assert.equal(img.visibility, 'shared');
    assert.equal(img.color, 'red');
    for (const key of ['checksum', 'os_hash_algo', 'os_hash_value', 'size', 'virtual_size'])
      assert.equal(img[key], null);
    assert.equal(img.protected, false);
    assert.equal(img.os_hidden, false);
    assert.equal(img.self, `/v2/images/${img.id}`);
    assert.equal(img.file, `/v2/images/${img.id}/file`);
    assert.equal(img.schema, '/v2/schemas/image');
    assert.match(img.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const shown = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${img.id}`,
      headers: f.demo,
    });
    assert.deepEqual(shown.json(), img);
  });

  test('create with a chosen id; the same id twice is a 409', async () => {
    const id = '6a1b2c3d-0000-4000-8000-000000000001';
    assert.equal((await create({ id })).id, id);
    const again = await f.t.inject({
      method: 'POST',
      url: '/image/v2/images',
      headers: f.demo,
      payload: { id },
    });
    glanceError(again, 409);
  });

  test('PATCH add/replace/remove with the v2.1 media type', async () => {
    const img = await create({ color: 'red' });
    const res = await f.t.inject({
      method: 'PATCH',
      url: `/image/v2/images/${img.id}`,
      headers: { ...f.demo, ...PATCH },
      payload: [
        { op: 'replace', path: '/name', value: 'renamed' },
        { op: 'add', path: '/shape', value: 'round' },
        { op: 'remove', path: '/color' },
        { op: 'add', path: '/tags', value: ['t1', 't2'] },
        { op: 'replace', path: '/min_ram', value: 512 },
        { op: 'replace', path: '/protected', value: true },
      ],
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.name, 'renamed');
    assert.equal(body.shape, 'round');
    assert.equal(body.color, undefined);
    assert.deepEqual(body.tags.sort(), ['t1', 't2']);
    assert.equal(body.min_ram, 512);
    assert.equal(body.protected, true);
  });

  test('a protected image cannot be deleted (403); unprotected it can, then 404', async () => {
    const img = await create({ protected: true });
    const del = await f.t.inject({
      method: 'DELETE',
      url: `/image/v2/images/${img.id}`,
      headers: f.demo,
    });
    glanceError(del, 403, `Image ${img.id} is protected and cannot be deleted.`);
    await f.t.inject({
      method: 'PATCH',
      url: `/image/v2/images/${img.id}`,
      headers: { ...f.demo, ...PATCH },
      payload: [{ op: 'replace', path: '/protected', value: false }],
    });
    assert.equal(
      (await f.t.inject({ method: 'DELETE', url: `/image/v2/images/${img.id}`, headers: f.demo }))
        .statusCode,
      204,
    );
    glanceError(
      await f.t.inject({ method: 'GET', url: `/image/v2/images/${img.id}`, headers: f.demo }),
      404,
      `No image found with ID ${img.id}`,
    );
    glanceError(
      await f.t.inject({ method: 'DELETE', url: `/image/v2/images/${img.id}`, headers: f.demo }),
      404,
      `Failed to find image ${img.id} to delete`,
    );
  });

  test('tags: add is idempotent, removing a missing tag is a 404', async () => {
    const img = await create();
    for (let i = 0; i < 2; i++) {
      const res = await f.t.inject({
        method: 'PUT',
        url: `/image/v2/images/${img.id}/tags/blue`,
        headers: f.demo,
      });
      assert.equal(res.statusCode, 204);
      assert.equal(res.body, '');
    }
    const shown = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${img.id}`,
      headers: f.demo,
    });
    assert.deepEqual(shown.json().tags, ['blue']);
    assert.equal(
      (
        await f.t.inject({
          method: 'DELETE',
          url: `/image/v2/images/${img.id}/tags/blue`,
          headers: f.demo,
        })
      ).statusCode,
      204,
    );
    glanceError(
      await f.t.inject({
        method: 'DELETE',
        url: `/image/v2/images/${img.id}/tags/blue`,
        headers: f.demo,
      }),
      404,
    );
  });

  test('schemas', async () => {
    const image = (
      await f.t.inject({ method: 'GET', url: '/image/v2/schemas/image', headers: f.demo })
    ).json();
    assert.equal(image.name, 'image');
    assert.deepEqual(image.additionalProperties, { type: 'string' });
    assert.deepEqual(image.properties.visibility.enum, [
      'community',
      'public',
      'private',
      'shared',
    ]);
    assert.deepEqual(
      image.links.map((l: any) => l.rel),
      ['self', 'enclosure', 'describedby'],
    );
    const images = (
      await f.t.inject({ method: 'GET', url: '/image/v2/schemas/images', headers: f.demo })
    ).json();
    assert.equal(images.name, 'images');
    assert.equal(images.properties.images.items.name, 'image');
    for (const name of ['member', 'members']) {
      assert.equal(
        (
          await f.t.inject({ method: 'GET', url: `/image/v2/schemas/${name}`, headers: f.demo })
        ).json().name,
        name,
      );
    }
  });
});

describe('bad input gets Glance 4xx, never a 500', () => {
  test('malformed JSON and non-object bodies are 400', async () => {
    const res = await f.t.inject({
      method: 'POST',
      url: '/image/v2/images',
      headers: { ...f.demo, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    glanceError(res, 400);
    glanceError(
      await f.t.inject({
        method: 'POST',
        url: '/image/v2/images',
        headers: f.demo,
        payload: [1, 2],
      }),
      400,
    );
  });

  test('invalid formats, long names, non-string properties, read-only and reserved keys', async () => {
    const post = (payload: object) =>
      f.t.inject({ method: 'POST', url: '/image/v2/images', headers: f.demo, payload });
    glanceError(await post({ container_format: 'wrong' }), 400, /does not match schema/);
    glanceError(await post({ disk_format: 'wrong' }), 400);
    glanceError(await post({ name: 'n'.repeat(256) }), 400, /is too long/);
    glanceError(await post({ color: 5 }), 400, /is not of type 'string'/);
    glanceError(await post({ ['k'.repeat(256)]: 'v' }), 400);
    glanceError(await post({ min_disk: -1 }), 400);
    glanceError(await post({ protected: 'yes' }), 400);
    glanceError(await post({ id: 'not-a-uuid' }), 400);
    glanceError(await post({ status: 'active' }), 403, "Attribute 'status' is read-only.");
    glanceError(
      await post({ os_glance_import_task: 'x' }),
      403,
      "Attribute 'os_glance_import_task' is reserved.",
    );
    glanceError(await post({ visibility: 'public' }), 403);
  });

  test('PATCH with the wrong media type is 415; bad operations are 400/403/409', async () => {
    const img = await create();
    const url = `/image/v2/images/${img.id}`;
    glanceError(
      await f.t.inject({
        method: 'PATCH',
        url,
        headers: f.demo,
        payload: [{ op: 'replace', path: '/name', value: 'y' }],
      }),
      415,
    );
    const patch = (payload: unknown) =>
      f.t.inject({
        method: 'PATCH',
        url,
        headers: { ...f.demo, ...PATCH },
        payload: JSON.stringify(payload),
      });
    glanceError(await patch({ op: 'replace' }), 400);
    glanceError(await patch([{ op: 'move', path: '/name', value: 'y' }]), 400);
    glanceError(await patch([{ op: 'replace', path: '/name', value: 'n'.repeat(256) }]), 400);
    glanceError(
      await patch([{ op: 'replace', path: '/size', value: 1 }]),
      403,
      "Attribute 'size' is read-only.",
    );
    glanceError(
      await patch([{ op: 'replace', path: '/missing', value: 'v' }]),
      409,
      'Property missing does not exist.',
    );
    glanceError(await patch([{ op: 'add', path: '/os_glance_x', value: 'v' }]), 403);
    const malformed = await f.t.inject({
      method: 'PATCH',
      url,
      headers: { ...f.demo, ...PATCH },
      payload: '[{',
    });
    glanceError(malformed, 400);
  });

  test('unknown ids, names in the id slot and an empty id are 404', async () => {
    for (const id of ['6a1b2c3d-0000-4000-8000-00000000dead', 'cirros', 'null', '%20']) {
      glanceError(
        await f.t.inject({ method: 'GET', url: `/image/v2/images/${id}`, headers: f.demo }),
        404,
      );
      glanceError(
        await f.t.inject({ method: 'DELETE', url: `/image/v2/images/${id}`, headers: f.demo }),
        404,
      );
    }
    glanceError(
      await f.t.inject({ method: 'GET', url: '/image/v2/images/x/bogus', headers: f.demo }),
      404,
    );
  });

  test('limits, markers and sorts', async () => {
    const get = (qs: string) =>
      f.t.inject({ method: 'GET', url: `/image/v2/images?${qs}`, headers: f.demo });
    glanceError(await get('limit=-1'), 400, 'limit param must be positive');
    glanceError(await get('limit=abc'), 400, 'limit param must be an integer');
    assert.equal((await get('limit=99999999999999999999')).statusCode, 200);
    glanceError(
      await get('marker=6a1b2c3d-0000-4000-8000-00000000dead'),
      400,
      /Marker .* could not be found/,
    );
    glanceError(await get('marker=bogus'), 400);
    glanceError(await get('sort_key=bogus'), 400, /^Invalid sort key: bogus/);
    glanceError(await get('sort_dir=sideways'), 400);
    glanceError(await get('visibility=everyone'), 400);
    glanceError(await get('size_min=x'), 400);
  });

  test('missing or bogus tokens are 401 in Keystone form', async () => {
    for (const headers of [{}, { 'x-auth-token': 'bogus' }]) {
      const res = await f.t.inject({ method: 'GET', url: '/image/v2/images', headers });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.message, 'The request you have made requires authentication.');
    }
  });
});
