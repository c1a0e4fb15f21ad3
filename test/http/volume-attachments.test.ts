import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFault, useApp } from '../helpers/app.js';

const fx = useApp();
const vb = () => `/volume/v3/${fx.demoProject}`;
const ab = () => `/volume/v3/${fx.adminProject}`;
const SERVER = '8a1b2c3d-0000-4000-8000-00000000beef';
const mv = (v: string) => ({ ...fx.demo, 'openstack-api-version': `volume ${v}` });

let unlimited = false;

async function createVolume(): Promise<string> {
  // Many volumes per test: the demo project gets no volume quota in this file.
  if (!unlimited) {
    const res = await fx.t.inject({
      method: 'PUT',
      url: `${ab()}/os-quota-sets/${fx.demoProject}`,
      headers: fx.admin,
      payload: { quota_set: { volumes: -1, gigabytes: -1 } },
    });
    assert.equal(res.statusCode, 200, res.body);
    unlimited = true;
  }
  const res = await fx.t.inject({
    method: 'POST',
    url: `${vb()}/volumes`,
    headers: fx.demo,
    payload: { volume: { size: 1 } },
  });
  assert.equal(res.statusCode, 202, res.body);
  await fx.t.app.tasks.idle();
  return res.json().volume.id;
}

async function show(id: string): Promise<Record<string, any>> {
  const res = await fx.t.inject({ method: 'GET', url: `${vb()}/volumes/${id}`, headers: fx.demo });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().volume;
}

function action(id: string, body: unknown, headers = fx.demo) {
  return fx.t.inject({
    method: 'POST',
    url: `${headers === fx.admin ? ab() : vb()}/volumes/${id}/action`,
    headers,
    payload: body as object,
  });
}

describe('the old attach actions', () => {
  test('os-reserve moves available to attaching; a second reserve is refused; os-unreserve goes back', async () => {
    const id = await createVolume();
    assert.equal((await action(id, { 'os-reserve': null })).statusCode, 202);
    assert.equal((await show(id)).status, 'attaching');
    assertFault(
      await action(id, { 'os-reserve': {} }),
      400,
      'badRequest',
      'Invalid volume: Volume status must be available to reserve, but the status is attaching.',
    );
    assert.equal((await action(id, { 'os-unreserve': null })).statusCode, 202);
    assert.equal((await show(id)).status, 'available');
    // Unreserving a volume that is not attaching changes nothing, as in Cinder.
    assert.equal((await action(id, { 'os-unreserve': null })).statusCode, 202);
    assert.equal((await show(id)).status, 'available');
  });

  test('os-attach records the attachment and shows it on the volume; os-detach removes it', async () => {
    const id = await createVolume();
    assert.equal((await action(id, { 'os-reserve': null })).statusCode, 202);
    const attach = await action(id, {
      'os-attach': { instance_uuid: SERVER, mountpoint: '/dev/vdb', mode: 'rw' },
    });
    assert.equal(attach.statusCode, 202, attach.body);
    const volume = await show(id);
    assert.equal(volume.status, 'in-use');
    assert.equal(volume.attachments.length, 1);
    const [a] = volume.attachments;
    assert.equal(a.server_id, SERVER);
    assert.equal(a.device, '/dev/vdb');
    assert.equal(a.id, id);
    assert.equal(a.volume_id, id);
    assert.equal(a.host_name, null, 'the host is shown to admins only');
    assert.match(a.attachment_id, /^[0-9a-f-]{36}$/);
    assert.match(a.attached_at, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(Object.keys(a).sort(), [
      'attached_at',
      'attachment_id',
      'device',
      'host_name',
      'id',
      'server_id',
      'volume_id',
    ]);

    // Attached: a delete is refused, even forced by an admin.
    assertFault(
      await fx.t.inject({ method: 'DELETE', url: `${vb()}/volumes/${id}`, headers: fx.demo }),
      400,
      'badRequest',
      /^Invalid volume: Volume status must be available or error/,
    );
    assertFault(
      await action(id, { 'os-force_delete': {} }, fx.admin),
      400,
      'badRequest',
      'Invalid volume: Volume  must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.',
    );
    // A second server on a volume that is not multiattach.
    assertFault(
      await action(id, {
        'os-attach': {
          instance_uuid: '8a1b2c3d-0000-4000-8000-00000000feed',
          mountpoint: '/dev/vdc',
        },
      }),
      400,
      'badRequest',
      'Error attaching volume - InvalidVolume: Invalid volume: volume is already attached and multiple attachments are not enabled',
    );

    assert.equal((await action(id, { 'os-begin_detaching': null })).statusCode, 202);
    assert.equal((await show(id)).status, 'detaching');
    assert.equal((await action(id, { 'os-roll_detaching': null })).statusCode, 202);
    assert.equal((await show(id)).status, 'in-use');
    assert.equal((await action(id, { 'os-begin_detaching': null })).statusCode, 202);
    const detach = await action(id, { 'os-detach': { attachment_id: a.attachment_id } });
    assert.equal(detach.statusCode, 202, detach.body);
    const after = await show(id);
    assert.equal(after.status, 'available');
    assert.deepEqual(after.attachments, []);
    const del = await fx.t.inject({
      method: 'DELETE',
      url: `${vb()}/volumes/${id}`,
      headers: fx.demo,
    });
    assert.equal(del.statusCode, 202);
  });

  test('os-attach by host name, and os-detach without an id detaches the only attachment', async () => {
    const id = await createVolume();
    const attach = await action(id, {
      'os-attach': { host_name: 'compute-1', mountpoint: '/dev/vdb' },
    });
    assert.equal(attach.statusCode, 202, attach.body);
    const admin = await fx.t.inject({
      method: 'GET',
      url: `${ab()}/volumes/${id}`,
      headers: fx.admin,
    });
    assert.equal(admin.json().volume.attachments[0].host_name, 'compute-1');
    assert.equal(admin.json().volume.attachments[0].server_id, null);
    assert.equal((await action(id, { 'os-detach': {} })).statusCode, 202);
    assert.equal((await show(id)).status, 'available');
  });

  test('os-update_readonly_flag shows in the metadata and makes an rw attach refused', async () => {
    const id = await createVolume();
    assert.equal(
      (await action(id, { 'os-update_readonly_flag': { readonly: true } })).statusCode,
      202,
    );
    assert.equal((await show(id)).metadata.readonly, 'True');
    assertFault(
      await action(id, { 'os-attach': { instance_uuid: SERVER, mountpoint: '/dev/vdb' } }),
      400,
      'badRequest',
      `Error attaching volume - InvalidVolumeAttachMode: Invalid attaching mode 'rw' for volume ${id}.`,
    );
    assert.equal(
      (
        await action(id, {
          'os-attach': { instance_uuid: SERVER, mountpoint: '/dev/vdb', mode: 'ro' },
        })
      ).statusCode,
      202,
    );
    assertFault(
      await action(id, { 'os-update_readonly_flag': { readonly: false } }),
      400,
      'badRequest',
      `Invalid volume: Volume ${id} status must be available to update readonly flag, but current status is: in-use.`,
    );
    assertFault(
      await action(id, { 'os-update_readonly_flag': { readonly: 'perhaps' } }),
      400,
      'badRequest',
      "Invalid input received: readonly must be a boolean: 'perhaps'",
    );
  });

  test('illegal moves are Cinder 400s and leave the status as it was', async () => {
    const id = await createVolume();
    assertFault(
      await action(id, { 'os-begin_detaching': null }),
      400,
      'badRequest',
      "Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.",
    );
    // roll_detaching of a volume that is not detaching is a no-op (Cinder's conditional update).
    assert.equal((await action(id, { 'os-roll_detaching': null })).statusCode, 202);
    assert.equal((await show(id)).status, 'available');
    assert.equal(
      (await action(id, { 'os-reset_status': { status: 'error' } }, fx.admin)).statusCode,
      202,
    );
    assertFault(
      await action(id, { 'os-reserve': null }),
      400,
      'badRequest',
      'Invalid volume: Volume status must be available to reserve, but the status is error.',
    );
    assertFault(
      await action(id, { 'os-extend': { new_size: 2 } }),
      400,
      'badRequest',
      'Invalid volume: Volume status must be available to extend, but current status is: error.',
    );
    assertFault(
      await action(id, { 'os-attach': { instance_uuid: SERVER, mountpoint: '/dev/vdb' } }),
      400,
      'badRequest',
      'Error attaching volume - InvalidVolume: Invalid volume: Volume status must be available or reserved or attaching to attach, but current status is: error.',
    );
    assert.equal((await show(id)).status, 'error');
    // os-reset_status is the one override.
    assert.equal(
      (await action(id, { 'os-reset_status': { status: 'in-use' } }, fx.admin)).statusCode,
      202,
    );
    assert.equal((await show(id)).status, 'in-use');
  });

  test('attach actions check their bodies with Cinder schema texts', async () => {
    const id = await createVolume();
    assertFault(
      await action(id, { 'os-attach': { instance_uuid: SERVER } }),
      400,
      'badRequest',
      `Invalid input for field/attribute os-attach. Value: {'instance_uuid': '${SERVER}'}. 'mountpoint' is a required property`,
    );
    assertFault(
      await action(id, { 'os-attach': { mountpoint: '/dev/vdb' } }),
      400,
      'badRequest',
      "Invalid input for field/attribute os-attach. Value: {'mountpoint': '/dev/vdb'}. {'mountpoint': '/dev/vdb'} is not valid under any of the given schemas",
    );
    assertFault(
      await action(id, { 'os-attach': { instance_uuid: 'nope', mountpoint: '/dev/vdb' } }),
      400,
      'badRequest',
      "Invalid input for field/attribute instance_uuid. Value: nope. 'nope' is not a 'uuid'",
    );
    assertFault(
      await action(id, {
        'os-attach': { instance_uuid: SERVER, mountpoint: '/dev/vdb', mode: 'rx' },
      }),
      400,
      'badRequest',
      "Invalid input for field/attribute mode. Value: rx. 'rx' is not one of ['rw', 'ro']",
    );
    assertFault(
      await action(id, { 'os-detach': { attachment_id: '8a1b2c3d-0000-4000-8000-000000000000' } }),
      409,
      'conflictingRequest',
      'Detach volume from instance  using the Compute API',
    );
    assert.equal((await show(id)).status, 'available');
  });
});

describe('the attachments API (3.27+)', () => {
  test('create reserves; update connects; complete attaches; delete detaches', async () => {
    const id = await createVolume();
    const create = await fx.t.inject({
      method: 'POST',
      url: `${vb()}/attachments`,
      headers: mv('3.44'),
      payload: { attachment: { volume_uuid: id, instance_uuid: SERVER } },
    });
    assert.equal(create.statusCode, 200, create.body);
    const a = create.json().attachment;
    assert.equal(a.status, 'reserved');
    assert.equal(a.instance, SERVER);
    assert.equal(a.volume_id, id);
    assert.equal(a.attached_at, '');
    assert.deepEqual(a.connection_info, {});
    assert.equal((await show(id)).status, 'reserved');

    // Reserved: a second attachment of another server is refused.
    assertFault(
      await fx.t.inject({
        method: 'POST',
        url: `${vb()}/attachments`,
        headers: mv('3.44'),
        payload: {
          attachment: { volume_uuid: id, instance_uuid: '8a1b2c3d-0000-4000-8000-00000000feed' },
        },
      }),
      400,
      'badRequest',
      `Invalid volume: Volume ${id} status must be available or downloading to reserve, but the current status is reserved.`,
    );

    const update = await fx.t.inject({
      method: 'PUT',
      url: `${vb()}/attachments/${a.id}`,
      headers: mv('3.44'),
      payload: { attachment: { connector: { host: 'compute-1', mountpoint: '/dev/vdb' } } },
    });
    assert.equal(update.statusCode, 200, update.body);
    assert.equal(update.json().attachment.status, 'attaching');
    assert.equal(update.json().attachment.attach_mode, 'rw');
    assert.equal(update.json().attachment.connection_info.data.volume_id, id);
    assert.equal((await show(id)).status, 'attaching');

    const complete = await fx.t.inject({
      method: 'POST',
      url: `${vb()}/attachments/${a.id}/action`,
      headers: mv('3.44'),
      payload: { 'os-complete': null },
    });
    assert.equal(complete.statusCode, 204, complete.body);
    const attached = await show(id);
    assert.equal(attached.status, 'in-use');
    assert.equal(attached.attachments[0].attachment_id, a.id);
    assert.equal(attached.attachments[0].device, '/dev/vdb');

    const one = await fx.t.inject({
      method: 'GET',
      url: `${vb()}/attachments/${a.id}`,
      headers: mv('3.27'),
    });
    assert.equal(one.json().attachment.status, 'attached');
    const list = await fx.t.inject({
      method: 'GET',
      url: `${vb()}/attachments?volume_id=${id}`,
      headers: mv('3.27'),
    });
    assert.deepEqual(list.json().attachments, [
      { id: a.id, status: 'attached', instance: SERVER, volume_id: id },
    ]);
    const detail = await fx.t.inject({
      method: 'GET',
      url: `${vb()}/attachments/detail`,
      headers: mv('3.27'),
    });
    const mine = detail.json().attachments.find((x: { id: string }) => x.id === a.id);
    assert.equal(mine.attach_mode, 'rw');
    assert.notEqual(mine.attached_at, '');

    const del = await fx.t.inject({
      method: 'DELETE',
      url: `${vb()}/attachments/${a.id}`,
      headers: mv('3.27'),
    });
    assert.equal(del.statusCode, 200, del.body);
    assert.deepEqual(del.json(), { attachments: [] });
    const after = await show(id);
    assert.equal(after.status, 'available');
    assert.deepEqual(after.attachments, []);
    assertFault(
      await fx.t.inject({ method: 'GET', url: `${vb()}/attachments/${a.id}`, headers: mv('3.27') }),
      404,
      'itemNotFound',
      `Volume attachment could not be found with filter: attachment_id = ${a.id}.`,
    );
  });

  test('with a connector the attachment is made at once (attaching); mode from 3.54', async () => {
    const id = await createVolume();
    const create = await fx.t.inject({
      method: 'POST',
      url: `${vb()}/attachments`,
      headers: mv('3.54'),
      payload: {
        attachment: {
          volume_uuid: id,
          instance_uuid: SERVER,
          connector: { host: 'h' },
          mode: 'ro',
        },
      },
    });
    assert.equal(create.statusCode, 200, create.body);
    assert.equal(create.json().attachment.status, 'attaching');
    assert.equal(create.json().attachment.attach_mode, 'ro');
    assert.equal((await show(id)).status, 'attaching');
    assertFault(
      await fx.t.inject({
        method: 'POST',
        url: `${vb()}/attachments`,
        headers: mv('3.53'),
        payload: { attachment: { volume_uuid: id, mode: 'ro' } },
      }),
      400,
      'badRequest',
      `Invalid input for field/attribute attachment. Value: {'volume_uuid': '${id}', 'mode': 'ro'}. Additional properties are not allowed ('mode' was unexpected)`,
    );
  });

  test('below 3.27 there is no attachments API; os-complete needs 3.44', async () => {
    assertFault(
      await fx.t.inject({ method: 'GET', url: `${vb()}/attachments`, headers: mv('3.26') }),
      404,
      'itemNotFound',
      'The resource could not be found.',
    );
    assertFault(
      await fx.t.inject({
        method: 'POST',
        url: `${vb()}/attachments/8a1b2c3d-0000-4000-8000-000000000000/action`,
        headers: mv('3.43'),
        payload: { 'os-complete': null },
      }),
      404,
      'itemNotFound',
    );
  });

  test('bad attachment bodies and an error volume', async () => {
    const id = await createVolume();
    const post = (payload: unknown) =>
      fx.t.inject({
        method: 'POST',
        url: `${vb()}/attachments`,
        headers: mv('3.27'),
        payload: payload as object,
      });
    assertFault(
      await post({}),
      400,
      'badRequest',
      "Missing required element 'attachment' in request body.",
    );
    assertFault(
      await post({ attachment: {} }),
      400,
      'badRequest',
      "Invalid input for field/attribute attachment. Value: {}. 'volume_uuid' is a required property",
    );
    assertFault(
      await post({ attachment: { volume_uuid: 'x' } }),
      400,
      'badRequest',
      "Invalid input for field/attribute volume_uuid. Value: x. 'x' is not a 'uuid'",
    );
    assertFault(
      await post({ attachment: { volume_uuid: '8a1b2c3d-0000-4000-8000-000000000000' } }),
      404,
      'itemNotFound',
      'Volume 8a1b2c3d-0000-4000-8000-000000000000 could not be found.',
    );
    assert.equal(
      (await action(id, { 'os-reset_status': { status: 'error' } }, fx.admin)).statusCode,
      202,
    );
    assertFault(
      await post({ attachment: { volume_uuid: id } }),
      400,
      'badRequest',
      `Invalid volume: Volume attachments can not be created if the volume is in an error state. The Volume ${id} currently has a status of: error `,
    );
    assertFault(
      await fx.t.inject({
        method: 'PUT',
        url: `${vb()}/attachments/8a1b2c3d-0000-4000-8000-000000000000`,
        headers: mv('3.27'),
        payload: { attachment: { connector: {} } },
      }),
      400,
      'badRequest',
      'Invalid input for field/attribute connector. Value: {}. {} does not have enough properties',
    );
  });
});

describe('races', () => {
  test('two attachments racing for one volume: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await createVolume();
      const results = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          fx.t.inject({
            method: 'POST',
            url: `${vb()}/attachments`,
            headers: mv('3.27'),
            payload: {
              attachment: {
                volume_uuid: id,
                instance_uuid: `8a1b2c3d-0000-4000-8000-00000000000${i}`,
              },
            },
          }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.statusCode).sort(),
        [200, 400, 400, 400],
        results.map((r) => r.body).join('\n'),
      );
      const rows = await fx.t.db
        .selectFrom('volume_attachments')
        .selectAll()
        .where('volume_id', '=', id)
        .execute();
      assert.equal(rows.length, 1);
    }
  });

  test('an attach racing a delete: one of them wins, never both', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await createVolume();
      const [del, attach] = await Promise.all([
        fx.t.inject({ method: 'DELETE', url: `${vb()}/volumes/${id}`, headers: fx.demo }),
        action(id, { 'os-attach': { instance_uuid: SERVER, mountpoint: '/dev/vdb' } }),
      ]);
      assert.equal(
        [del.statusCode, attach.statusCode].filter((s) => s === 202).length,
        1,
        `${del.body} ${attach.body}`,
      );
      await fx.t.app.tasks.idle();
      const row = await fx.t.db
        .selectFrom('volumes')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirst();
      if (del.statusCode === 202) assert.equal(row, undefined);
      else assert.equal(row?.status, 'in-use');
    }
  });
});
