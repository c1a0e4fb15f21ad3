import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../helpers/app.js';
import { coalesced } from '../../src/tasks/coalesced.js';

// The volume task handlers on the parallel runner, through the whole app.

const fx = useApp();

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('a snapshot of volume B becomes available while an upload of volume A is still running', async () => {
  const { t, demo, admin, demoProject, adminProject } = fx;
  const volume = async (project: string, headers: Record<string, string>) => {
    const res = await t.inject({
      method: 'POST',
      url: `/volume/v3/${project}/volumes`,
      headers,
      payload: { volume: { size: 1 } },
    });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().volume.id as string;
  };
  const a = await volume(demoProject, demo);
  const b = await volume(adminProject, admin);
  await t.app.tasks.idle();

  // A's upload holds its task until released: the length of a 10 GiB flatten, as long as needed.
  const data = t.app.images.data;
  const realUpload = data.upload.bind(data);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let uploading = false;
  data.upload = async (...args: Parameters<typeof data.upload>) => {
    uploading = true;
    await held;
    return realUpload(...args);
  };
  try {
    const up = await t.inject({
      method: 'POST',
      url: `/volume/v3/${demoProject}/volumes/${a}/action`,
      headers: demo,
      payload: { 'os-volume_upload_image': { image_name: 'held', disk_format: 'raw' } },
    });
    assert.equal(up.statusCode, 202, up.body);
    await waitFor(async () => uploading, 'the upload task to start');

    const snap = await t.inject({
      method: 'POST',
      url: `/volume/v3/${adminProject}/snapshots`,
      headers: admin,
      payload: { snapshot: { volume_id: b } },
    });
    assert.equal(snap.statusCode, 202, snap.body);
    const snapshotId = snap.json().snapshot.id as string;
    await waitFor(async () => {
      const res = await t.inject({
        method: 'GET',
        url: `/volume/v3/${adminProject}/snapshots/${snapshotId}`,
        headers: admin,
      });
      return res.json().snapshot.status === 'available';
    }, 'the snapshot of B');
    const a1 = await t.inject({
      method: 'GET',
      url: `/volume/v3/${demoProject}/volumes/${a}`,
      headers: demo,
    });
    assert.equal(a1.json().volume.status, 'uploading', 'A is still uploading');
  } finally {
    release();
    data.upload = realUpload;
  }
  await t.app.tasks.idle();
  const a2 = await t.inject({
    method: 'GET',
    url: `/volume/v3/${demoProject}/volumes/${a}`,
    headers: demo,
  });
  assert.equal(a2.json().volume.status, 'available');
});

test('the layer index records a volume from an image and forgets it with the volume', async () => {
  const { t, demo, demoProject } = fx;
  const img = (
    await t.inject({
      method: 'POST',
      url: '/image/v2/images',
      headers: demo,
      payload: { name: 'indexed', disk_format: 'raw', container_format: 'bare' },
    })
  ).json();
  await t.inject({
    method: 'PUT',
    url: `/image/v2/images/${img.id}/file`,
    headers: { ...demo, 'content-type': 'application/octet-stream' },
    payload: Buffer.alloc(4096, 3),
  });
  const fileId = (
    await t.db.selectFrom('images').select('file_id').where('id', '=', img.id).executeTakeFirst()
  )?.file_id;
  assert.ok(fileId);
  const res = await t.inject({
    method: 'POST',
    url: `/volume/v3/${demoProject}/volumes`,
    headers: demo,
    payload: { volume: { size: 1, imageRef: img.id } },
  });
  const id = res.json().volume.id as string;
  await t.app.tasks.idle();
  const readers = () =>
    t.db
      .selectFrom('layer_refs')
      .select('layer_id')
      .where('external_file', '=', `../images/${fileId}`)
      .execute();
  const head = (
    await t.db.selectFrom('volumes').select('head_layer').where('id', '=', id).executeTakeFirst()
  )?.head_layer;
  assert.deepEqual(await readers(), [{ layer_id: head }]);

  await t.inject({
    method: 'DELETE',
    url: `/volume/v3/${demoProject}/volumes/${id}`,
    headers: demo,
  });
  await t.app.tasks.idle();
  assert.deepEqual(await readers(), []);
});

test('coalesced work: calls during a run share the next run, which starts after they asked', async () => {
  let runs = 0;
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  const work = coalesced(async () => {
    runs++;
    await gate;
  });
  const first = work();
  const second = work();
  const third = work();
  assert.equal(runs, 1);
  const firstRelease = release;
  gate = new Promise<void>((r) => (release = r));
  firstRelease();
  await first;
  await new Promise((r) => setImmediate(r));
  assert.equal(runs, 2, 'one more run for both calls made meanwhile');
  release();
  await Promise.all([second, third]);
  assert.equal(runs, 2);
});
