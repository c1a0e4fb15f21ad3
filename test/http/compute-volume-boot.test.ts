import { execFileSync } from 'node:child_process';
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { userContext } from '../../src/context.js';
import { assertFault, useApp } from '../helpers/app.js';
import { serverKit } from '../helpers/servers.js';

const fx = useApp();
const k = serverKit(fx);
const admin = () => ({ ...userContext(fx.demoProject, 'test', ['admin']), isAdmin: true });
const KiB64 = 64 * 1024;

/** The volume's current head file, where a guest would write (the documented test path). */
async function headPath(volumeId: string): Promise<string> {
  const head = await fx.t.app.volumes.volumeHead(admin(), volumeId);
  assert.ok(head, 'the volume has a head layer');
  return fx.t.app.layers.pathOf(head);
}

async function write(volumeId: string, pattern: number): Promise<void> {
  execFileSync('qemu-io', [
    '-f',
    'qcow2',
    '-c',
    `write -P 0x${pattern.toString(16)} 0 64k`,
    await headPath(volumeId),
  ]);
}

async function readBack(volumeId: string): Promise<Buffer> {
  const head = await fx.t.app.volumes.volumeHead(admin(), volumeId);
  return fx.t.app.layers.readAt(head!, 0, KiB64);
}

const rootVolume = (s: Record<string, any>): string =>
  s['os-extended-volumes:volumes_attached'][0].id as string;

async function snapshot(volumeId: string, force = false): Promise<string> {
  const res = await fx.t.inject({
    method: 'POST',
    url: `${k.vb()}/snapshots`,
    headers: fx.demo,
    payload: { snapshot: { volume_id: volumeId, force, name: 's' } },
  });
  assert.equal(res.statusCode, 202, res.body);
  const id = res.json().snapshot.id as string;
  await k.until('snapshot available', async () => {
    const got = await fx.t.inject({
      method: 'GET',
      url: `${k.vb()}/snapshots/${id}`,
      headers: fx.demo,
    });
    return got.json().snapshot.status === 'available' ? true : undefined;
  });
  return id;
}

function bdm(uuid: string, source: string, extra: Record<string, unknown> = {}) {
  return [{ uuid, boot_index: '0', source_type: source, destination_type: 'volume', ...extra }];
}

describe('volume-backed servers', () => {
  before(() => k.unlimited());

  test('--volume: image "", the root volume in-use with the server, its root not detachable, left available on delete', async () => {
    const image = await k.image();
    const v = await k.volume({ size: 1, imageRef: image });
    const s = await k.server({ imageRef: '', block_device_mapping_v2: bdm(v, 'volume') });
    assert.equal(s.image, '');
    assert.deepEqual(s['os-extended-volumes:volumes_attached'], [{ id: v }]);
    const vol = await k.showVolume(v);
    assert.equal(vol.status, 'in-use');
    assert.equal(vol.attachments[0].server_id, s.id);
    assert.equal(vol.attachments[0].device, '/dev/vda');
    assert.equal(vol.volume_image_metadata.image_id, image);
    const list = await fx.t.inject({
      method: 'GET',
      url: `${k.c}/servers/${s.id}/os-volume_attachments`,
      headers: fx.demo,
    });
    assert.deepEqual(list.json().volumeAttachments, [
      { id: v, serverId: s.id, volumeId: v, device: '/dev/vda' },
    ]);
    assertFault(
      await fx.t.inject({
        method: 'DELETE',
        url: `${k.c}/servers/${s.id}/os-volume_attachments/${v}`,
        headers: fx.demo,
      }),
      400,
      'badRequest',
      'Cannot detach a root device volume',
    );
    await k.deleteServer(s.id);
    const after = await k.showVolume(v);
    assert.equal(after.status, 'available');
    assert.deepEqual(after.attachments, []);
  });

  test('--boot-from-volume: a new volume of the size asked from the image; delete_on_termination deletes it', async () => {
    const image = await k.image();
    const s = await k.server({
      imageRef: '',
      block_device_mapping_v2: bdm(image, 'image', { volume_size: 2, delete_on_termination: true }),
    });
    assert.equal(s.image, '');
    const v = rootVolume(s);
    const vol = await k.showVolume(v);
    assert.equal(vol.size, 2);
    assert.equal(vol.status, 'in-use');
    assert.equal(vol.volume_image_metadata.image_id, image);
    const bytes = await readBack(v);
    assert.ok(bytes.equals(Buffer.alloc(KiB64, 0x11)), 'the image bytes are on the volume');
    await k.deleteServer(s.id);
    await k.volumeGone(v);
  });

  test("--snapshot and Heat's legacy mapping: a new volume from the snapshot with its bytes, kept on delete", async () => {
    const image = await k.image();
    const origin = await k.volume({ size: 1, imageRef: image });
    await write(origin, 0x5a);
    const snap = await snapshot(origin);
    // More bytes after the snapshot must not reach volumes made from it.
    await write(origin, 0x77);
    const viaOsc = await k.server({
      imageRef: '',
      block_device_mapping_v2: bdm(snap, 'snapshot', { delete_on_termination: false }),
    });
    const heat = await k.server({
      imageRef: '',
      block_device_mapping: [
        { device_name: 'vda', snapshot_id: snap, delete_on_termination: false },
      ],
    });
    for (const s of [viaOsc, heat]) {
      assert.equal(s.image, '');
      const v = rootVolume(s);
      const vol = await k.showVolume(v);
      assert.equal(vol.snapshot_id, snap);
      assert.equal(vol.status, 'in-use');
      assert.equal(vol.attachments[0].server_id, s.id);
      assert.equal(vol.volume_image_metadata.image_id, image);
      assert.ok((await readBack(v)).equals(Buffer.alloc(KiB64, 0x5a)), 'the snapshot moment');
      await k.deleteServer(s.id);
      assert.equal((await k.showVolume(v)).status, 'available');
    }
  });

  test('snapshot of a volume-backed server: forced Cinder snapshot, 0-byte image with its mappings; booting from it makes a new volume with the bytes', async () => {
    const image = await k.image();
    const origin = await k.volume({ size: 1, imageRef: image });
    const first = await k.server({
      imageRef: '',
      block_device_mapping_v2: bdm(origin, 'volume', { delete_on_termination: true }),
    });
    await write(origin, 0x5a);
    const res = await fx.t.inject({
      method: 'POST',
      url: `${k.c}/servers/${first.id}/action`,
      headers: fx.demo,
      payload: { createImage: { name: 'vb-snap' } },
    });
    assert.equal(res.statusCode, 202, res.body);
    const imageId = String(res.headers.location).split('/').pop()!;
    const shown = await fx.t.inject({
      method: 'GET',
      url: `/image/v2/images/${imageId}`,
      headers: fx.demo,
    });
    const img = shown.json();
    assert.equal(img.status, 'active');
    assert.equal(img.size, 0);
    assert.equal(img.name, 'vb-snap');
    assert.equal(img.bdm_v2, 'True');
    assert.equal(img.root_device_name, '/dev/vda');
    assert.equal(img.image_type, undefined);
    const mappings = JSON.parse(img.block_device_mapping);
    assert.equal(mappings.length, 1);
    assert.equal(mappings[0].source_type, 'snapshot');
    assert.equal(mappings[0].destination_type, 'volume');
    assert.equal(mappings[0].boot_index, 0);
    assert.equal(mappings[0].delete_on_termination, true);
    const snap = await fx.t.inject({
      method: 'GET',
      url: `${k.vb()}/snapshots/${mappings[0].snapshot_id}`,
      headers: fx.demo,
    });
    assert.equal(snap.json().snapshot.name, 'snapshot for vb-snap');
    assert.equal(snap.json().snapshot.volume_id, origin);
    const events = await fx.t.db
      .selectFrom('instance_action_events as e')
      .innerJoin('instance_actions as a', 'a.id', 'e.action_id')
      .select(['e.event', 'e.result'])
      .where('a.server_id', '=', first.id)
      .where('a.action', '=', 'createImage')
      .execute();
    assert.deepEqual(events, [{ event: 'api_snapshot_instance', result: 'Success' }]);

    const second = await k.server({ imageRef: imageId });
    assert.equal(second.image, '');
    assert.equal(second['os-extended-volumes:volumes_attached'].length, 1);
    const v = rootVolume(second);
    assert.notEqual(v, origin);
    const vol = await k.showVolume(v);
    assert.equal(vol.attachments.length, 1);
    assert.equal(vol.attachments[0].server_id, second.id);
    assert.equal(vol.volume_image_metadata.image_id, image);
    assert.ok((await readBack(v)).equals(Buffer.alloc(KiB64, 0x5a)), 'the bytes carried through');
    await k.deleteServer(second.id);
    await k.volumeGone(v);
    // Tempest's order: the image's snapshot goes, then the first server and its volume.
    const snapshotId = mappings[0].snapshot_id as string;
    const del = await fx.t.inject({
      method: 'DELETE',
      url: `${k.vb()}/snapshots/${snapshotId}`,
      headers: fx.demo,
    });
    assert.equal(del.statusCode, 202, del.body);
    await k.until('snapshot gone', async () => {
      const got = await fx.t.inject({
        method: 'GET',
        url: `${k.vb()}/snapshots/${snapshotId}`,
        headers: fx.demo,
      });
      return got.statusCode === 404 ? true : undefined;
    });
    await k.deleteServer(first.id);
    await k.volumeGone(origin);
  });

  test("Cinder's snapshot quota is checked before any snapshot is taken; a volume Cinder keeps does not block a delete", async () => {
    const image = await k.image();
    const origin = await k.volume({ size: 1, imageRef: image });
    const s = await k.server({
      imageRef: '',
      block_device_mapping_v2: bdm(origin, 'volume', { delete_on_termination: true }),
    });
    const quota = (snapshots: number) =>
      fx.t.inject({
        method: 'PUT',
        url: `/volume/v3/${fx.adminProject}/os-quota-sets/${fx.demoProject}`,
        headers: fx.admin,
        payload: { quota_set: { snapshots } },
      });
    assert.equal((await quota(0)).statusCode, 200);
    try {
      assertFault(
        await fx.t.inject({
          method: 'POST',
          url: `${k.c}/servers/${s.id}/action`,
          headers: fx.demo,
          payload: { createImage: { name: 'over' } },
        }),
        403,
        'forbidden',
        'Quota exceeded for resources: snapshots',
      );
    } finally {
      assert.equal((await quota(-1)).statusCode, 200);
    }
    const images = await fx.t.inject({
      method: 'GET',
      url: '/image/v2/images?name=over',
      headers: fx.demo,
    });
    assert.deepEqual(images.json().images, []);
    // A volume Cinder keeps (it has a snapshot) does not keep the server from being deleted.
    await snapshot(origin, true);
    await k.deleteServer(s.id);
    assert.equal((await k.showVolume(origin)).status, 'available');
  });
});
