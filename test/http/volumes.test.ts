import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { assertFault, testApp, useApp } from '../helpers/app.js';

const fx = useApp();
/** The demo project's Cinder URL; admins use their own project's (another is a 400). */
const vb = () => `/volume/v3/${fx.demoProject}`;
const ab = () => `/volume/v3/${fx.adminProject}`;

async function createVolume(body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await fx.t.inject({
    method: 'POST',
    url: `${vb()}/volumes`,
    headers: fx.demo,
    payload: { volume: { size: 1, ...body } },
  });
  assert.equal(res.statusCode, 202, res.body);
  await fx.t.app.tasks.idle();
  return res.json().volume;
}

async function createSnapshot(
  volumeId: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const res = await fx.t.inject({
    method: 'POST',
    url: `${vb()}/snapshots`,
    headers: fx.demo,
    payload: { snapshot: { volume_id: volumeId, ...extra } },
  });
  assert.equal(res.statusCode, 202, res.body);
  await fx.t.app.tasks.idle();
  return res.json().snapshot;
}

describe('versions and microversions', () => {
  test('the root answers 300 and /v3 200, both with a versions list', async () => {
    const root = await fx.t.inject({ method: 'GET', url: '/volume' });
    assert.equal(root.statusCode, 300);
    const v3 = await fx.t.inject({ method: 'GET', url: '/volume/v3' });
    assert.equal(v3.statusCode, 200);
    assert.equal(v3.json().versions[0].id, 'v3.0');
    assert.equal(v3.json().versions[0].version, '3.70');
    assert.equal(v3.json().versions[0].min_version, '3.0');
  });

  test('the version header is echoed; out of range is 406', async () => {
    const ok = await fx.t.inject({
      method: 'GET',
      url: `${vb()}/volumes`,
      headers: { ...fx.demo, 'openstack-api-version': 'volume 3.50' },
    });
    assert.equal(ok.headers['openstack-api-version'], 'volume 3.50');
    const none = await fx.t.inject({ method: 'GET', url: `${vb()}/volumes`, headers: fx.demo });
    assert.equal(none.headers['openstack-api-version'], 'volume 3.0');
    const bad = await fx.t.inject({
      method: 'GET',
      url: `${vb()}/volumes`,
      headers: { ...fx.demo, 'openstack-api-version': 'volume 3.99' },
    });
    assertFault(
      bad,
      406,
      'notAcceptable',
      'Version 3.99 is not supported by the API. Minimum is 3.0 and maximum is 3.70.',
    );
  });

  test('fields appear only from their microversion', async () => {
    const v = await createVolume();
    const at30 = (
      await fx.t.inject({ method: 'GET', url: `${vb()}/volumes/${v.id}`, headers: fx.demo })
    ).json().volume;
    assert.equal(at30.volume_type_id, undefined);
    assert.equal(at30.consumes_quota, undefined);
    const at365 = (
      await fx.t.inject({
        method: 'GET',
        url: `${vb()}/volumes/${v.id}`,
        headers: { ...fx.demo, 'openstack-api-version': 'volume 3.65' },
      })
    ).json().volume;
    assert.ok(at365.volume_type_id);
    assert.equal(at365.consumes_quota, true);
  });
});

describe('bad input gets Cinder 4xx, never a 500', () => {
  test('sizes of 0, negative, non-integer and above quota', async () => {
    for (const size of [0, -1, 1.5, 'abc', null]) {
      const res = await fx.t.inject({
        method: 'POST',
        url: `${vb()}/volumes`,
        headers: fx.demo,
        payload: { volume: { size } },
      });
      assertFault(
        res,
        400,
        'badRequest',
        /^Invalid input received: Volume size '.*' must be an integer and greater than 0$/,
      );
    }
    const big = await fx.t.inject({
      method: 'POST',
      url: `${vb()}/volumes`,
      headers: fx.demo,
      payload: { volume: { size: 5000 } },
    });
    assertFault(
      big,
      413,
      'overLimit',
      'Requested volume or snapshot exceeds allowed gigabytes quota. Requested 5000G, quota is 1000G and 1G has been consumed.',
    );
  });

  test('malformed bodies and unknown actions', async () => {
    assertFault(
      await fx.t.inject({ method: 'POST', url: `${vb()}/volumes`, headers: fx.demo, payload: {} }),
      400,
      'badRequest',
    );
    const json = await fx.t.inject({
      method: 'POST',
      url: `${vb()}/volumes`,
      headers: { ...fx.demo, 'content-type': 'application/json' },
      payload: '{"volume": ',
    });
    assertFault(json, 400, 'badRequest');
    const v = await createVolume();
    assertFault(
      await fx.t.inject({
        method: 'POST',
        url: `${vb()}/volumes/${v.id}/action`,
        headers: fx.demo,
        payload: { 'os-bogus': {} },
      }),
      400,
      'badRequest',
    );
    assertFault(
      await fx.t.inject({
        method: 'POST',
        url: `${vb()}/snapshots`,
        headers: fx.demo,
        payload: { snapshot: {} },
      }),
      400,
      'badRequest',
      /'volume_id' is a required property/,
    );
  });

  test('unknown and malformed ids are 404', async () => {
    for (const id of ['6a1b2c3d-0000-4000-8000-00000000dead', 'not-a-uuid']) {
      assertFault(
        await fx.t.inject({ method: 'GET', url: `${vb()}/volumes/${id}`, headers: fx.demo }),
        404,
        'itemNotFound',
        `Volume ${id} could not be found.`,
      );
      assertFault(
        await fx.t.inject({ method: 'GET', url: `${vb()}/snapshots/${id}`, headers: fx.demo }),
        404,
        'itemNotFound',
        `Snapshot ${id} could not be found.`,
      );
      assertFault(
        await fx.t.inject({ method: 'DELETE', url: `${vb()}/volumes/${id}`, headers: fx.demo }),
        404,
        'itemNotFound',
      );
      const snap = await fx.t.inject({
        method: 'POST',
        url: `${vb()}/snapshots`,
        headers: fx.demo,
        payload: { snapshot: { volume_id: id } },
      });
      assertFault(snap, 404, 'itemNotFound');
    }
  });

  test('invalid sort keys, limits and markers', async () => {
    for (const collection of ['volumes', 'snapshots']) {
      const get = (qs: string) =>
        fx.t.inject({ method: 'GET', url: `${vb()}/${collection}/detail?${qs}`, headers: fx.demo });
      assertFault(await get('sort_key=bogus'), 400, 'badRequest');
      assertFault(await get('sort=name:sideways'), 400, 'badRequest');
      assertFault(await get('limit=abc'), 400, 'badRequest');
      assertFault(await get('limit=-1'), 400, 'badRequest');
      assertFault(await get('offset=-1'), 400, 'badRequest');
      assertFault(await get('marker=6a1b2c3d-0000-4000-8000-00000000dead'), 404, 'itemNotFound');
      assert.deepEqual((await get('limit=0')).json()[collection], []);
    }
  });

  test('snapshot of a volume in error; volume from a snapshot with a smaller size', async () => {
    const v = await createVolume({ size: 2 });
    const reset = await fx.t.inject({
      method: 'POST',
      url: `${ab()}/volumes/${v.id}/action`,
      headers: fx.admin,
      payload: { 'os-reset_status': { status: 'error' } },
    });
    assert.equal(reset.statusCode, 202);
    const res = await fx.t.inject({
      method: 'POST',
      url: `${vb()}/snapshots`,
      headers: fx.demo,
      payload: { snapshot: { volume_id: v.id } },
    });
    assertFault(
      res,
      400,
      'badRequest',
      `Invalid volume: Volume ${v.id} status must be available, but current status is: error.`,
    );
    await fx.t.inject({
      method: 'POST',
      url: `${ab()}/volumes/${v.id}/action`,
      headers: fx.admin,
      payload: { 'os-reset_status': { status: 'available' } },
    });
    const snap = await createSnapshot(v.id);
    const small = await fx.t.inject({
      method: 'POST',
      url: `${vb()}/volumes`,
      headers: fx.demo,
      payload: { volume: { snapshot_id: snap.id, size: 1 } },
    });
    assertFault(
      small,
      400,
      'badRequest',
      "Invalid input received: Volume size '1'GB cannot be smaller than the snapshot size 2GB. They must be >= original snapshot size.",
    );
    const noSize = await createVolume({ snapshot_id: snap.id, size: undefined });
    assert.equal(noSize.size, 2);
  });
});

describe('the delete rules', () => {
  test("a volume with snapshots is refused with Cinder Zed's text; cascade deletes both", async () => {
    const v = await createVolume();
    const s = await createSnapshot(v.id);
    const res = await fx.t.inject({
      method: 'DELETE',
      url: `${vb()}/volumes/${v.id}`,
      headers: fx.demo,
    });
    assertFault(
      res,
      400,
      'badRequest',
      'Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.',
    );
    const cascade = await fx.t.inject({
      method: 'DELETE',
      url: `${vb()}/volumes/${v.id}?cascade=true`,
      headers: fx.demo,
    });
    assert.equal(cascade.statusCode, 202);
    await fx.t.app.tasks.idle();
    assert.equal(
      (await fx.t.inject({ method: 'GET', url: `${vb()}/volumes/${v.id}`, headers: fx.demo }))
        .statusCode,
      404,
    );
    assert.equal(
      (await fx.t.inject({ method: 'GET', url: `${vb()}/snapshots/${s.id}`, headers: fx.demo }))
        .statusCode,
      404,
    );
  });

  test('racing snapshot creates and deletes against a volume delete never deletes a volume that has snapshots', async () => {
    let volumesDeleted = 0;
    for (let round = 0; round < 5; round++) {
      const v = await createVolume();
      const ops = [];
      for (let i = 0; i < 6; i++) {
        // Round 0 sends the volume delete first, so that some rounds do delete the volume.
        if (i === round)
          ops.push(
            fx.t.inject({ method: 'DELETE', url: `${vb()}/volumes/${v.id}`, headers: fx.demo }),
          );
        ops.push(
          fx.t.inject({
            method: 'POST',
            url: `${vb()}/snapshots`,
            headers: fx.demo,
            payload: { snapshot: { volume_id: v.id } },
          }),
        );
      }
      const results = await Promise.all(ops);
      await fx.t.app.tasks.idle();
      const created = results
        .filter((r) => r.statusCode === 202 && r.body !== '')
        .map((r) => r.json().snapshot.id as string);
      // Delete the snapshots again, racing a second volume delete.
      const deletes = await Promise.all([
        ...created.map((id: string) =>
          fx.t.inject({ method: 'DELETE', url: `${vb()}/snapshots/${id}`, headers: fx.demo }),
        ),
        fx.t.inject({ method: 'DELETE', url: `${vb()}/volumes/${v.id}`, headers: fx.demo }),
      ]);
      for (const r of [...results, ...deletes]) assert.ok(r.statusCode < 500, r.body);
      await fx.t.app.tasks.idle();
      const volumeRow = await fx.t.db
        .selectFrom('volumes')
        .selectAll()
        .where('id', '=', v.id)
        .executeTakeFirst();
      const snapRows = await fx.t.db
        .selectFrom('snapshots')
        .selectAll()
        .where('volume_id', '=', v.id)
        .execute();
      if (!volumeRow) {
        volumesDeleted++;
        assert.deepEqual(snapRows, [], 'no snapshot outlives its volume');
      }
      await checkNoDanglingLayers();
    }
    assert.ok(volumesDeleted > 0, 'some round deleted its volume, so the invariant was tested');
  });
});

/** Every layer a row points at exists, and so does every layer in its backing chain. */
async function checkNoDanglingLayers(): Promise<void> {
  const roots = await fx.t.app.volumes.repo.layerRoots();
  for (const id of roots) {
    assert.ok(fs.existsSync(fx.t.app.layers.pathOf(id)), `layer ${id} is missing`);
    for (const parent of await fx.t.app.layers.backingChain(id))
      assert.ok(fs.existsSync(fx.t.app.layers.pathOf(parent)));
  }
}

test('deleting everything leaves no layer file behind', async () => {
  const list = await fx.t.inject({ method: 'GET', url: `${vb()}/snapshots`, headers: fx.demo });
  for (const s of list.json().snapshots)
    await fx.t.inject({ method: 'DELETE', url: `${vb()}/snapshots/${s.id}`, headers: fx.demo });
  await fx.t.app.tasks.idle();
  const vols = await fx.t.inject({ method: 'GET', url: `${vb()}/volumes`, headers: fx.demo });
  for (const v of vols.json().volumes) {
    await fx.t.inject({
      method: 'POST',
      url: `${ab()}/volumes/${v.id}/action`,
      headers: fx.admin,
      payload: { 'os-reset_status': { status: 'available' } },
    });
    const res = await fx.t.inject({
      method: 'DELETE',
      url: `${vb()}/volumes/${v.id}?cascade=true`,
      headers: fx.demo,
    });
    assert.equal(res.statusCode, 202, res.body);
  }
  await fx.t.app.tasks.idle();
  const left = fs
    .readdirSync(path.join(fx.t.dataDir, 'layers'))
    .filter((f) => f.endsWith('.qcow2'));
  assert.deepEqual(left, []);
});

test('an image deleted while a volume is being made from it: the delete waits, then keeps the file the volume reads', async () => {
  const data = Buffer.alloc(4096, 1);
  const img = (
    await fx.t.inject({
      method: 'POST',
      url: '/image/v2/images',
      headers: fx.demo,
      payload: { name: 'racing', disk_format: 'raw', container_format: 'bare' },
    })
  ).json();
  await fx.t.inject({
    method: 'PUT',
    url: `/image/v2/images/${img.id}/file`,
    headers: { ...fx.demo, 'content-type': 'application/octet-stream' },
    payload: data,
  });
  // The delete is sent while the create reads the image inside its transaction.
  const images = fx.t.app.images;
  const realGet = images.get.bind(images);
  let deleted: Promise<{ statusCode: number }> | undefined;
  images.get = async (...args: Parameters<typeof images.get>) => {
    images.get = realGet;
    deleted = fx.t.inject({
      method: 'DELETE',
      url: `/image/v2/images/${img.id}`,
      headers: fx.demo,
    });
    return realGet(...args);
  };
  const res = await fx.t.inject({
    method: 'POST',
    url: `${vb()}/volumes`,
    headers: fx.demo,
    payload: { volume: { size: 1, imageRef: img.id } },
  });
  images.get = realGet;
  assert.equal(res.statusCode, 202, res.body);
  assert.equal((await deleted!).statusCode, 204);
  await fx.t.app.tasks.idle();
  const volume = await fx.t.app.volumes.repo.findVolume(res.json().volume.id);
  assert.equal(volume?.row.status, 'available');
  assert.deepEqual(
    await fx.t.app.layers.readAt(volume!.row.head_layer!, 0, data.length),
    data,
    'the file the volume reads was kept',
  );

  // Once the image is gone, a create from it is refused.
  assertFault(
    await fx.t.inject({
      method: 'POST',
      url: `${vb()}/volumes`,
      headers: fx.demo,
      payload: { volume: { size: 1, imageRef: img.id } },
    }),
    400,
    'badRequest',
    'Invalid input received: Invalid image identifier or unable to access requested image.',
  );
});

test('an image file a volume still reads outlives its image, and goes with the last volume, without a restart', async () => {
  const img = (
    await fx.t.inject({
      method: 'POST',
      url: '/image/v2/images',
      headers: fx.demo,
      payload: { name: 'pinned', disk_format: 'raw', container_format: 'bare' },
    })
  ).json();
  const put = await fx.t.inject({
    method: 'PUT',
    url: `/image/v2/images/${img.id}/file`,
    headers: { ...fx.demo, 'content-type': 'application/octet-stream' },
    payload: Buffer.alloc(4096, 7),
  });
  assert.equal(put.statusCode, 204);
  const imageFiles = () =>
    fs.readdirSync(path.join(fx.t.dataDir, 'images')).filter((f) => f !== '.tmp');
  const filesBefore = imageFiles();
  const vol = await createVolume({ imageRef: img.id });
  const snap = await createSnapshot(vol.id);
  assert.equal(
    (await fx.t.inject({ method: 'DELETE', url: `/image/v2/images/${img.id}`, headers: fx.demo }))
      .statusCode,
    204,
  );
  assert.deepEqual(imageFiles(), filesBefore, 'the volume still reads the file');

  assert.equal(
    (
      await fx.t.inject({
        method: 'DELETE',
        url: `${vb()}/volumes/${vol.id}?cascade=true`,
        headers: fx.demo,
      })
    ).statusCode,
    202,
  );
  await fx.t.app.tasks.idle();
  assert.equal(
    imageFiles().length,
    filesBefore.length - 1,
    'the file went with the last layer that read it',
  );
  assert.equal(
    (await fx.t.inject({ method: 'GET', url: `${vb()}/snapshots/${snap.id}`, headers: fx.demo }))
      .statusCode,
    404,
  );
});

test('work interrupted by a crash settles after a restart: creating and deleting resume', async () => {
  const keep = await createVolume();
  const doomed = await createVolume();
  // What a crash leaves behind: rows moved to creating/deleting whose task rows were never run.
  const now = new Date().toISOString();
  const pending = {
    ...(await fx.t.db
      .selectFrom('volumes')
      .selectAll()
      .where('id', '=', keep.id)
      .executeTakeFirstOrThrow()),
  };
  const fresh = {
    ...pending,
    id: '6a1b2c3d-0000-4000-8000-0000000c0ffe',
    status: 'creating',
    head_layer: null,
    created_at: now,
  };
  await fx.t.db.insertInto('volumes').values(fresh).execute();
  await fx.t.db
    .insertInto('tasks')
    .values({ kind: 'volume.create', target_id: fresh.id, payload: '{}', created_at: now })
    .execute();
  await fx.t.db
    .updateTable('volumes')
    .set({ status: 'deleting' })
    .where('id', '=', doomed.id)
    .execute();
  await fx.t.db
    .insertInto('tasks')
    .values({ kind: 'volume.delete', target_id: doomed.id, payload: '{}', created_at: now })
    .execute();

  // And a head a crash left before its row was committed.
  const orphan = await fx.t.app.layers.createHead({ sizeBytes: 1024 ** 3 });

  await fx.t.close();
  fx.t = await testApp(fx.t.dataDir);
  await fx.t.app.tasks.idle();
  assert.ok(!fs.existsSync(fx.t.app.layers.pathOf(orphan)), 'the orphan head is swept at start-up');
  const created = await fx.t.inject({
    method: 'GET',
    url: `${vb()}/volumes/${fresh.id}`,
    headers: fx.demo,
  });
  assert.equal(created.json().volume.status, 'available');
  assert.equal(
    (await fx.t.inject({ method: 'GET', url: `${vb()}/volumes/${doomed.id}`, headers: fx.demo }))
      .statusCode,
    404,
  );
  assert.equal(
    (
      await fx.t.inject({ method: 'GET', url: `${vb()}/volumes/${keep.id}`, headers: fx.demo })
    ).json().volume.status,
    'available',
  );
  await checkNoDanglingLayers();
});
