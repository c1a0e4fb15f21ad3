import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CINDER_CONSTRAINTS,
  CINDER_TYPES,
} from '../../src/services/orchestration/resources/cinder/index.js';
import { NOVA_TYPES } from '../../src/services/orchestration/resources/nova/index.js';
import type { ResourceType } from '../../src/services/orchestration/resources/types.js';
import { useApp } from '../helpers/app.js';
import { serverKit } from '../helpers/servers.js';
import { heatKit } from './orchestration-nova-kit.js';

const fx = useApp();
const k = serverKit(fx);
const h = heatKit(fx);
const VOLUME = CINDER_TYPES.find((t) => t.type === 'OS::Cinder::Volume') as ResourceType;
const ATTACH = CINDER_TYPES.find((t) => t.type === 'OS::Cinder::VolumeAttachment') as ResourceType;
const SERVER = NOVA_TYPES.find((t) => t.type === 'OS::Nova::Server') as ResourceType;

describe('OS::Cinder::Volume', () => {
  before(() => k.unlimited());

  test('by size: named after the resource, attributes as Heat prints them, updated in place, deleted twice', async () => {
    const r = await h.rc('vol');
    const props = { size: 1, metadata: { a: 'b' }, multiattach: false };
    await VOLUME.validate!(r, props);
    const id = await h.create(VOLUME, r, props);
    const v = await k.showVolume(id);
    assert.equal(v.name, 'st-vol-abcdefghijkl');
    assert.equal(v.description, 'st-vol-abcdefghijkl');
    assert.equal(await VOLUME.attribute(r, id, 'size', props), '1');
    assert.equal(await VOLUME.attribute(r, id, 'status', props), 'available');
    assert.equal(await VOLUME.attribute(r, id, 'snapshot_id', props), 'None');
    assert.equal(await VOLUME.attribute(r, id, 'bootable', props), 'false');
    assert.equal(await VOLUME.attribute(r, id, 'encrypted', props), 'False');
    assert.equal(await VOLUME.attribute(r, id, 'multiattach', props), 'False');
    assert.equal(await VOLUME.attribute(r, id, 'metadata', props), '{"a": "b"}');
    assert.deepEqual(await VOLUME.attribute(r, id, 'metadata_values', props), { a: 'b' });
    assert.equal(await VOLUME.attribute(r, id, 'display_name', props), 'st-vol-abcdefghijkl');
    assert.equal(await VOLUME.attribute(r, id, 'attachments', props), '[]');
    assert.deepEqual(await VOLUME.attribute(r, id, 'attachments_list', props), []);

    const next = { ...props, name: 'data', size: 2, metadata: { c: 'd' } };
    await VOLUME.update!(r, id, next, props, ['name', 'size', 'metadata']);
    const after = await k.showVolume(id);
    assert.equal(after.name, 'data');
    assert.equal(after.size, 2);
    assert.deepEqual(after.metadata, { c: 'd' });
    assert.deepEqual(await h.failure(VOLUME.update!(r, id, { ...next, size: 1 }, next, ['size'])), {
      type: 'NotSupported',
      message: 'Shrinking volume is not supported.',
    });
    await VOLUME.check!(r, id);

    await h.remove(VOLUME, r, id, next);
    await k.volumeGone(id);
    await h.remove(VOLUME, r, id, next);
  });

  test("the sources' checks with Heat's texts", async () => {
    const r = await h.rc('vol');
    assert.equal(
      (await h.failure(VOLUME.validate!(r, { metadata: {} }))).message,
      'If neither "backup_id" nor "size" is provided, one and only one of "source_volid", "snapshot_id" must be specified, but currently specified options: [].',
    );
    assert.equal(
      (await h.failure(VOLUME.validate!(r, { size: 1, image: 'a', snapshot_id: 'b' }))).message,
      'If "size" is provided, only one of "image", "imageRef", "source_volid", "snapshot_id" can be specified, but currently specified options: [\'snapshot_id\', \'image\'].',
    );
  });

  test('from an image by name; a stack snapshot takes a volume snapshot; restore from it; a volume with snapshots is refused', async () => {
    await k.image();
    const named = await fx.t.inject({
      method: 'POST',
      url: '/image/v2/images',
      headers: fx.demo,
      payload: { name: 'vol-src', disk_format: 'raw', container_format: 'bare' },
    });
    const imageId = named.json().id as string;
    const put = await fx.t.inject({
      method: 'PUT',
      url: `/image/v2/images/${imageId}/file`,
      headers: { ...fx.demo, 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(1 << 20, 7),
    });
    assert.equal(put.statusCode, 204);
    const r = await h.rc('vol');
    const props = { size: 1, image: 'vol-src', metadata: {} };
    const id = await h.create(VOLUME, r, props);
    assert.equal(await VOLUME.attribute(r, id, 'bootable', props), 'true');
    const data = await VOLUME.snapshot!(r, id);
    const snap = await r.services.volumes.getSnapshot(r.ctx, data.snapshot_id as string);
    assert.equal(snap.row.status, 'available');
    assert.equal(snap.row.volume_id, id);
    const restored = VOLUME.restoreProperties!(props, data);
    assert.deepEqual(restored, { size: 1, metadata: {}, snapshot_id: data.snapshot_id });
    const err = await h.failure(VOLUME.delete(r, id, props));
    assert.equal(err.type, 'BadRequest');
    assert.match(err.message, /^Invalid volume: .*have snapshots.* \(HTTP 400\) \(Request-ID: /);
    // The stack snapshot deleted: its volume snapshot goes, waited for; twice is fine.
    await VOLUME.deleteSnapshot!(r, data);
    await VOLUME.deleteSnapshot!(r, data);
    assert.equal(
      await r.services.volumes.getSnapshot(r.ctx, data.snapshot_id as string).catch(() => null),
      null,
    );
    assert.equal(VOLUME.needsReplace!({}, {}, ['volume_type']), true);
    assert.equal(VOLUME.needsReplace!({}, {}, ['size', 'name']), false);
    await h.remove(VOLUME, r, id, props);
  });

  test('deletion_policy Snapshot: the snapshot is taken and the volume left', async () => {
    const r = await h.rc('vol');
    const props = { size: 1, metadata: {} };
    const id = await h.create(VOLUME, r, props);
    await VOLUME.snapshotForDeletion!(r, id);
    await h.remove(VOLUME, r, id, props);
    assert.equal((await k.showVolume(id)).status, 'available');
    const snapId = r.data.get('deletion_snapshot_id')!;
    assert.equal((await r.services.volumes.getSnapshot(r.ctx, snapId)).row.status, 'available');
  });
});

describe('OS::Cinder::VolumeAttachment', () => {
  before(() => k.unlimited());

  test('attaches through Nova, in-use; detaches on delete; delete again', async () => {
    const image = await k.image();
    const rs = await h.rc('srv');
    const sprops = {
      image,
      flavor: '1',
      networks: [{ allocate_network: 'none' }],
      metadata: {},
      security_groups: [],
    };
    const server = await h.create(SERVER, rs, sprops);
    const vol = await k.volume({ size: 1 });
    const r = await h.rc('att');
    const props = { instance_uuid: server, volume_id: vol, mountpoint: '/dev/vdb' };
    const id = await h.create(ATTACH, r, props);
    assert.equal(id, vol);
    const v = await k.showVolume(vol);
    assert.equal(v.status, 'in-use');
    assert.equal(v.attachments[0].server_id, server);
    assert.equal(v.attachments[0].device, '/dev/vdb');
    await h.remove(ATTACH, r, id, props);
    assert.equal((await k.showVolume(vol)).status, 'available');
    await h.remove(ATTACH, r, id, props);

    const bad = await h.failure(ATTACH.create(r, { ...props, volume_id: 'nope' }));
    assert.equal(bad.type, 'Error');
    assert.match(bad.message, new RegExp(`^Failed to attach volume nope to server ${server} - `));
    await h.remove(SERVER, rs, server, sprops);
  });
});

describe('custom constraints: cinder', () => {
  test('cinder.volume, cinder.snapshot, cinder.vtype, cinder.backup', async () => {
    const r = await h.rc();
    const check = (name: string) => CINDER_CONSTRAINTS.get(name)!;
    assert.equal(await check('cinder.volume')(r, 'x'), 'The Volume (x) could not be found.');
    assert.equal(
      await check('cinder.snapshot')(r, 'x'),
      'The VolumeSnapshot (x) could not be found.',
    );
    assert.equal(await check('cinder.vtype')(r, 'x'), 'The VolumeType (x) could not be found.');
    assert.equal(await check('cinder.vtype')(r, '__DEFAULT__'), null);
    assert.equal(await check('cinder.backup')(r, 'x'), 'The Volume backup (x) could not be found.');
    const vol = await k.volume({ size: 1 });
    assert.equal(await check('cinder.volume')(r, vol), null);
  });
});
