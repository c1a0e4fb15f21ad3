import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFault, useApp } from '../helpers/app.js';

const fx = useApp();
const CB = '/compute/v2.1';
const GiB = 1024 ** 3;
const mv = (v: string, headers = fx.demo) => ({ ...headers, 'x-openstack-nova-api-version': v });

/** A 1 MiB raw image whose first bytes say which image it is. */
async function makeImage(fill: number): Promise<string> {
  const res = await fx.t.inject({
    method: 'POST',
    url: '/image/v2/images',
    headers: fx.demo,
    payload: { name: `img-${fill}`, disk_format: 'raw', container_format: 'bare' },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as string;
  const put = await fx.t.inject({
    method: 'PUT',
    url: `/image/v2/images/${id}/file`,
    headers: { ...fx.demo, 'content-type': 'application/octet-stream' },
    payload: Buffer.alloc(1024 * 1024, fill),
  });
  assert.equal(put.statusCode, 204, put.body);
  return id;
}

const settle = () => fx.t.app.serverTasks.idle();

let unlimited = false;

async function makeServer(headers = fx.demo, flavor = '42'): Promise<string> {
  // Many servers in this file: the demo project gets no instance quota.
  if (!unlimited) {
    const res = await fx.t.inject({
      method: 'PUT',
      url: `${CB}/os-quota-sets/${fx.demoProject}`,
      headers: fx.admin,
      payload: { quota_set: { instances: -1, cores: -1, ram: -1 } },
    });
    assert.equal(res.statusCode, 200, res.body);
    unlimited = true;
  }
  const image = await makeImage(0x01);
  const res = await fx.t.inject({
    method: 'POST',
    url: `${CB}/servers`,
    headers: mv('2.37', headers),
    payload: { server: { name: 'lc', imageRef: image, flavorRef: flavor, networks: 'none' } },
  });
  assert.equal(res.statusCode, 202, res.body);
  const id = res.json().server.id as string;
  await settle();
  assert.equal((await show(id, headers)).status, 'ACTIVE');
  return id;
}

async function show(id: string, headers = fx.demo): Promise<Record<string, any>> {
  const res = await fx.t.inject({ method: 'GET', url: `${CB}/servers/${id}`, headers });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().server;
}

function act(id: string, body: unknown, headers = fx.demo) {
  return fx.t.inject({
    method: 'POST',
    url: `${CB}/servers/${id}/action`,
    headers,
    payload: body as object,
  });
}

async function rootLayer(id: string): Promise<string | null> {
  const row = await fx.t.app.compute.servers.row({ isAdmin: true } as never, id);
  return row.root_layer;
}

async function writeRoot(id: string, fill: number): Promise<void> {
  await fx.t.app.layers.writeAt((await rootLayer(id))!, 0, Buffer.alloc(65536, fill));
}

async function readRoot(id: string): Promise<Buffer> {
  return fx.t.app.layers.readAt((await rootLayer(id))!, 0, 65536);
}

async function actions(id: string): Promise<string[]> {
  const rows = await fx.t.db
    .selectFrom('instance_actions')
    .select('action')
    .where('server_id', '=', id)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

async function imagesNamed(name: string): Promise<Array<Record<string, any>>> {
  const res = await fx.t.inject({
    method: 'GET',
    url: `/image/v2/images?name=${encodeURIComponent(name)}`,
    headers: fx.demo,
  });
  return res.json().images;
}

describe('shelve and unshelve', () => {
  test('shelve goes to SHELVED_OFFLOADED with a <name>-shelved image; unshelve brings the data back', async () => {
    const id = await makeServer();
    await writeRoot(id, 0x5a);
    const res = await act(id, { shelve: {} });
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.body, '');
    assert.equal((await show(id))['OS-EXT-STS:task_state'], 'shelving');
    assertFault(
      await act(id, { resize: { flavorRef: '84' } }),
      409,
      'conflictingRequest',
      `Cannot 'resize' instance ${id} while it is in task_state shelving`,
    );
    await settle();
    const events = await fx.t.db
      .selectFrom('instance_action_events')
      .innerJoin('instance_actions', 'instance_actions.id', 'instance_action_events.action_id')
      .select(['instance_actions.action', 'event', 'result'])
      .where('server_id', '=', id)
      .execute();
    assert.deepEqual(
      events.filter((e) => e.action === 'shelve'),
      [{ action: 'shelve', event: 'compute_shelve_instance', result: 'Success' }],
    );
    const s = await show(id, fx.admin);
    assert.equal(s.status, 'SHELVED_OFFLOADED');
    assert.equal(s['OS-EXT-STS:task_state'], null);
    assert.equal(s['OS-EXT-STS:power_state'], 4);
    assert.equal(s['OS-EXT-SRV-ATTR:host'], null);
    assert.equal(await rootLayer(id), null);
    const [image] = await imagesNamed('lc-shelved');
    assert.ok(image);
    assert.equal(image.status, 'active');
    assert.equal(image.image_type, 'snapshot');
    assert.equal(image.instance_uuid, id);

    assertFault(
      await act(id, { shelve: null }),
      409,
      'conflictingRequest',
      `Cannot 'shelve' instance ${id} while it is in vm_state shelved_offloaded`,
    );
    assert.equal((await act(id, { unshelve: null })).statusCode, 202);
    await settle();
    const back = await show(id, fx.admin);
    assert.equal(back.status, 'ACTIVE');
    assert.equal(back['OS-EXT-STS:power_state'], 1);
    assert.ok(back['OS-EXT-SRV-ATTR:host']);
    assert.deepEqual(await readRoot(id), Buffer.alloc(65536, 0x5a));
    const gone = await fx.t.inject({
      method: 'GET',
      url: `/image/v2/images/${image.id}`,
      headers: fx.demo,
    });
    assert.equal(gone.statusCode, 404);
    assert.deepEqual(await actions(id), ['create', 'shelve', 'unshelve']);
    assertFault(
      await act(id, { unshelve: null }),
      409,
      'conflictingRequest',
      `Cannot 'unshelve' instance ${id} while it is in vm_state active`,
    );
    assertFault(
      await act(id, { shelveOffload: null }),
      409,
      'conflictingRequest',
      `Cannot 'shelveOffload' instance ${id} while it is in vm_state active`,
    );
  });

  test('a paused server shelves; a locked one is refused', async () => {
    const id = await makeServer();
    assert.equal((await act(id, { lock: null })).statusCode, 202);
    assertFault(
      await act(id, { shelve: null }),
      409,
      'conflictingRequest',
      `Instance ${id} is locked`,
    );
    assert.equal((await act(id, { unlock: null })).statusCode, 202);
    assert.equal((await act(id, { pause: null })).statusCode, 202);
    await settle();
    assert.equal((await act(id, { shelve: null })).statusCode, 202);
    await settle();
    assert.equal((await show(id)).status, 'SHELVED_OFFLOADED');
    // Deleting it deletes its shelved image too.
    const [image] = await imagesNamed('lc-shelved');
    assert.equal(
      (await fx.t.inject({ method: 'DELETE', url: `${CB}/servers/${id}`, headers: fx.demo }))
        .statusCode,
      204,
    );
    await settle();
    const gone = await fx.t.inject({
      method: 'GET',
      url: `/image/v2/images/${image!.id}`,
      headers: fx.demo,
    });
    assert.equal(gone.statusCode, 404);
  });
});

async function makeFlavor(disk: number): Promise<string> {
  const res = await fx.t.inject({
    method: 'POST',
    url: `${CB}/flavors`,
    headers: fx.admin,
    payload: { flavor: { name: `disk-${disk}-${Math.random()}`, ram: 256, vcpus: 1, disk } },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().flavor.id;
}

describe('resize', () => {
  test('resize walks to VERIFY_RESIZE on a grown disk with the data; confirm answers 204', async () => {
    const id = await makeServer();
    const flavor = await makeFlavor(2);
    await writeRoot(id, 0x5a);
    assert.equal((await act(id, { resize: { flavorRef: flavor } })).statusCode, 202);
    assert.equal((await show(id)).status, 'RESIZE');
    await settle();
    const s = await show(id);
    assert.equal(s.status, 'VERIFY_RESIZE');
    assert.equal(s['OS-EXT-STS:task_state'], null);
    assert.equal(s.flavor.id, flavor);
    assert.equal(await fx.t.app.layers.virtualSize((await rootLayer(id))!), 2 * GiB);
    assert.deepEqual(await readRoot(id), Buffer.alloc(65536, 0x5a));
    assertFault(
      await act(id, { resize: { flavorRef: flavor } }),
      409,
      'conflictingRequest',
      `Cannot 'resize' instance ${id} while it is in vm_state resized`,
    );
    const confirm = await act(id, { confirmResize: null });
    assert.equal(confirm.statusCode, 204, confirm.body);
    assert.equal((await show(id)).status, 'ACTIVE');
    assertFault(
      await act(id, { confirmResize: null }),
      409,
      'conflictingRequest',
      `Cannot 'confirmResize' instance ${id} while it is in vm_state active`,
    );
    assertFault(
      await act(id, { resize: { flavorRef: flavor } }),
      400,
      'badRequest',
      'When resizing, instances must change flavor!',
    );
    assert.deepEqual(await actions(id), ['create', 'resize', 'confirmResize']);
  });

  test('revert gives back the old flavor and the disk as it was before the resize', async () => {
    const id = await makeServer();
    const flavor = await makeFlavor(2);
    await writeRoot(id, 0x5a);
    assert.equal((await act(id, { resize: { flavorRef: flavor } })).statusCode, 202);
    await settle();
    await writeRoot(id, 0x11);
    assert.equal((await act(id, { revertResize: null })).statusCode, 202);
    assert.equal((await show(id)).status, 'REVERT_RESIZE');
    await settle();
    const s = await show(id);
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s.flavor.id, '42');
    assert.equal(await fx.t.app.layers.virtualSize((await rootLayer(id))!), 1 * GiB);
    assert.deepEqual(await readRoot(id), Buffer.alloc(65536, 0x5a));
  });

  test('a stopped server resizes and confirms back to SHUTOFF', async () => {
    const id = await makeServer();
    assert.equal((await act(id, { 'os-stop': null })).statusCode, 202);
    await settle();
    assert.equal((await act(id, { resize: { flavorRef: '84' } })).statusCode, 202);
    await settle();
    assert.equal((await show(id))['OS-EXT-STS:power_state'], 4);
    assert.equal((await act(id, { confirmResize: {} })).statusCode, 204);
    assert.equal((await show(id)).status, 'SHUTOFF');
  });

  test('a local disk never shrinks: the resize fails and the server stays as it was', async () => {
    const id = await makeServer(fx.demo, await makeFlavor(2));
    assert.equal((await act(id, { resize: { flavorRef: '42' } })).statusCode, 202);
    await settle();
    const s = await show(id);
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s['OS-EXT-STS:task_state'], null);
    assert.notEqual(s.flavor.id, '42');
    const event = await fx.t.db
      .selectFrom('instance_action_events')
      .innerJoin('instance_actions', 'instance_actions.id', 'instance_action_events.action_id')
      .select(['event', 'result', 'message'])
      .where('server_id', '=', id)
      .where('action', '=', 'resize')
      .executeTakeFirstOrThrow();
    assert.deepEqual(event, {
      event: 'compute_resize_instance',
      result: 'Error',
      message: 'Error',
    });
  });

  test("the new flavor's growth is counted against the quota (403)", async () => {
    const id = await makeServer(fx.admin);
    const flavor = await fx.t.inject({
      method: 'POST',
      url: `${CB}/flavors`,
      headers: fx.admin,
      payload: { flavor: { name: 'two-cores', ram: 128, vcpus: 2, disk: 1 } },
    });
    assert.equal(flavor.statusCode, 200, flavor.body);
    const quota = `${CB}/os-quota-sets/${fx.adminProject}`;
    const detail = await fx.t.inject({ method: 'GET', url: `${quota}/detail`, headers: fx.admin });
    const used = detail.json().quota_set.cores.in_use as number;
    const put = (cores: number) =>
      fx.t.inject({
        method: 'PUT',
        url: quota,
        headers: fx.admin,
        payload: { quota_set: { cores } },
      });
    assert.equal((await put(used)).statusCode, 200);
    assertFault(
      await act(id, { resize: { flavorRef: flavor.json().flavor.id } }, fx.admin),
      403,
      'forbidden',
      `Quota exceeded for cores: Requested 1, but already used ${used} of ${used} cores`,
    );
    assert.equal((await show(id, fx.admin)).status, 'ACTIVE');
    assert.equal((await put(-1)).statusCode, 200);
  });

  test('a revert to a larger flavor is counted too', async () => {
    const big = await fx.t.inject({
      method: 'POST',
      url: `${CB}/flavors`,
      headers: fx.admin,
      payload: { flavor: { name: 'two-cores-b', ram: 128, vcpus: 2, disk: 1 } },
    });
    const id = await makeServer(fx.admin, big.json().flavor.id);
    assert.equal((await act(id, { resize: { flavorRef: '42' } }, fx.admin)).statusCode, 202);
    await settle();
    const quota = `${CB}/os-quota-sets/${fx.adminProject}`;
    const detail = await fx.t.inject({ method: 'GET', url: `${quota}/detail`, headers: fx.admin });
    const used = detail.json().quota_set.cores.in_use as number;
    const put = (cores: number) =>
      fx.t.inject({
        method: 'PUT',
        url: quota,
        headers: fx.admin,
        payload: { quota_set: { cores } },
      });
    assert.equal((await put(used)).statusCode, 200);
    assertFault(
      await act(id, { revertResize: null }, fx.admin),
      403,
      'forbidden',
      `Quota exceeded for cores: Requested 1, but already used ${used} of ${used} cores`,
    );
    assert.equal((await show(id, fx.admin)).status, 'VERIFY_RESIZE');
    assert.equal((await put(-1)).statusCode, 200);
    assert.equal((await act(id, { revertResize: null }, fx.admin)).statusCode, 202);
    await settle();
    assert.equal((await show(id, fx.admin)).flavor.id, big.json().flavor.id);
  });

  test('bad flavors and bodies are 400', async () => {
    const id = await makeServer();
    assertFault(
      await act(id, { resize: { flavorRef: 'nope' } }),
      400,
      'badRequest',
      'Flavor nope could not be found.',
    );
    assertFault(await act(id, { resize: {} }), 400, 'badRequest');
    assertFault(await act(id, { resize: { flavorRef: '' } }), 400, 'badRequest');
    assertFault(await act(id, { resize: { flavorRef: { toString: 'x' } } }), 400, 'badRequest');
  });
});

describe('rebuild', () => {
  test('rebuild answers the server, then a new root disk from the new image', async () => {
    const id = await makeServer();
    await writeRoot(id, 0x5a);
    const image = await makeImage(0x22);
    const res = await act(id, {
      rebuild: {
        imageRef: image,
        name: 'rebuilt',
        metadata: { rebuild: 'server' },
        adminPass: 'pw',
      },
    });
    assert.equal(res.statusCode, 202, res.body);
    const body = res.json().server;
    assert.equal(body.status, 'REBUILD');
    assert.equal(body.name, 'rebuilt');
    assert.equal(body.adminPass, 'pw');
    assert.equal(body.image.id, image);
    assert.deepEqual(body.metadata, { rebuild: 'server' });
    assert.equal(body.key_name, undefined);
    assert.match(res.headers.location as string, new RegExp(`/compute/v2.1/servers/${id}$`));
    await settle();
    const s = await show(id);
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s.image.id, image);
    assert.deepEqual(await readRoot(id), Buffer.alloc(65536, 0x22));
    assert.deepEqual(await actions(id), ['create', 'rebuild']);
  });

  test('a stopped server stays stopped; a missing image and bad bodies are 400', async () => {
    const id = await makeServer();
    assert.equal((await act(id, { 'os-stop': null })).statusCode, 202);
    await settle();
    const image = await makeImage(0x33);
    const res = await act(id, { rebuild: { imageRef: image } }, mv('2.75'));
    assert.equal(res.statusCode, 202, res.body);
    assert.ok(typeof res.json().server.adminPass === 'string');
    assert.equal(res.json().server['OS-EXT-STS:task_state'], 'rebuilding');
    await settle();
    assert.equal((await show(id)).status, 'SHUTOFF');
    assertFault(
      await act(id, { rebuild: { imageRef: '8a1b2c3d-0000-4000-8000-00000000beef' } }),
      400,
      'badRequest',
      'Cannot find image for rebuild',
    );
    assertFault(await act(id, { rebuild: {} }), 400, 'badRequest');
    assertFault(await act(id, { rebuild: { imageRef: image, bogus: 1 } }), 400, 'badRequest');
    assertFault(await act(id, { rebuild: { imageRef: image, key_name: 'k' } }), 400, 'badRequest');
  });
});

describe('createBackup', () => {
  test('backups carry image_type and backup_type; rotation keeps the newest', async () => {
    const id = await makeServer();
    const made: string[] = [];
    for (const name of ['b1', 'b2', 'b3']) {
      const res = await act(id, { createBackup: { name, backup_type: 'daily', rotation: 2 } });
      assert.equal(res.statusCode, 202, res.body);
      assert.equal(res.body, '');
      made.push((res.headers.location as string).split('/images/')[1]!);
      await settle();
    }
    const res = await fx.t.inject({
      method: 'GET',
      url: `/image/v2/images?image_type=backup&backup_type=daily&instance_uuid=${id}&sort_key=created_at&sort_dir=asc`,
      headers: fx.demo,
    });
    const images = res.json().images as Array<Record<string, any>>;
    assert.deepEqual(
      images.map((i) => i.name),
      ['b2', 'b3'],
    );
    assert.deepEqual(
      images.map((i) => i.id),
      made.slice(1),
    );
    assert.equal(images[0]!.status, 'active');
    assert.equal((await show(id)).status, 'ACTIVE');
    assert.deepEqual(await actions(id), ['create', 'createBackup', 'createBackup', 'createBackup']);
    const v245 = await act(
      id,
      { createBackup: { name: 'b4', backup_type: 'weekly', rotation: '1' } },
      mv('2.45'),
    );
    assert.equal(v245.statusCode, 202);
    assert.ok(v245.json().image_id);
    await settle();
  });

  test('bodies missing a field or with a negative rotation are 400', async () => {
    const id = await makeServer();
    for (const body of [
      { name: 'b', backup_type: 'daily' },
      { name: 'b', rotation: 1 },
      { backup_type: 'daily', rotation: 1 },
      { name: 'b', backup_type: 'daily', rotation: -1 },
      { name: 'b', backup_type: 'daily', rotation: 'x' },
    ])
      assertFault(await act(id, { createBackup: body }), 400, 'badRequest');
  });
});

describe('admin and other actions', () => {
  test('os-resetState is for admins; it sets the vm_state and clears the task', async () => {
    const id = await makeServer();
    assertFault(
      await act(id, { 'os-resetState': { state: 'error' } }),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-admin-actions:reset_state to be performed.",
    );
    assertFault(
      await act(id, { 'os-resetState': { state: 'stopped' } }, fx.admin),
      400,
      'badRequest',
    );
    assert.equal(
      (await act(id, { 'os-resetState': { state: 'error' } }, fx.admin)).statusCode,
      202,
    );
    assert.equal((await show(id)).status, 'ERROR');
    assert.equal(
      (await act(id, { 'os-resetState': { state: 'active' } }, fx.admin)).statusCode,
      202,
    );
    assert.equal((await show(id)).status, 'ACTIVE');
  });

  test('trigger_crash_dump from 2.17, changePassword, restore, forceDelete', async () => {
    const id = await makeServer();
    assertFault(await act(id, { trigger_crash_dump: null }), 404, 'itemNotFound');
    assert.equal((await act(id, { trigger_crash_dump: null }, mv('2.17'))).statusCode, 202);
    assert.equal((await act(id, { changePassword: { adminPass: 'x' } })).statusCode, 202);
    assertFault(await act(id, { changePassword: {} }), 400, 'badRequest');
    await settle();
    assert.equal((await show(id))['OS-EXT-STS:task_state'], null);
    assertFault(
      await act(id, { restore: null }),
      409,
      'conflictingRequest',
      `Cannot 'restore' instance ${id} while it is in vm_state active`,
    );
    assert.deepEqual(await actions(id), ['create', 'trigger_crash_dump', 'changePassword']);
    assert.equal((await act(id, { forceDelete: null })).statusCode, 202);
    await settle();
    const gone = await fx.t.inject({ method: 'GET', url: `${CB}/servers/${id}`, headers: fx.demo });
    assert.equal(gone.statusCode, 404);
  });

  test("another project's server is not found for any of these actions", async () => {
    const id = await makeServer(fx.admin);
    for (const body of [
      { shelve: null },
      { unshelve: null },
      { resize: { flavorRef: '84' } },
      { confirmResize: null },
      { revertResize: null },
      { rebuild: { imageRef: id } },
      { createBackup: { name: 'b', backup_type: 'd', rotation: 1 } },
      { forceDelete: null },
      { restore: null },
    ])
      assertFault(await act(id, body), 404, 'itemNotFound', `Instance ${id} could not be found.`);
  });
});

describe('rescue', () => {
  test('rescue answers the admin password and goes to RESCUE; unrescue back to ACTIVE', async () => {
    const id = await makeServer();
    const res = await act(id, { rescue: { adminPass: 'secret' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { adminPass: 'secret' });
    await settle();
    assert.equal((await show(id)).status, 'RESCUE');
    assertFault(
      await act(id, { rescue: null }),
      409,
      'conflictingRequest',
      `Cannot 'rescue' instance ${id} while it is in vm_state rescued`,
    );
    assert.equal((await act(id, { unrescue: null })).statusCode, 202);
    await settle();
    assert.equal((await show(id)).status, 'ACTIVE');
    assertFault(
      await act(id, { unrescue: null }),
      409,
      'conflictingRequest',
      `Cannot 'unrescue' instance ${id} while it is in vm_state active`,
    );
    assert.equal(typeof (await act(id, { rescue: null })).json().adminPass, 'string');
    assertFault(await act(id, { rescue: { rescue_image_ref: 'x' } }), 400, 'badRequest');
    await settle();
    assert.deepEqual((await actions(id)).slice(1), ['rescue', 'unrescue', 'rescue']);
  });
});

describe('volume-backed and never-launched servers', () => {
  test('a volume-backed server shelves without an image, refuses backups and other images', async () => {
    const image = await makeImage(0x44);
    const res = await fx.t.inject({
      method: 'POST',
      url: `${CB}/servers`,
      headers: mv('2.37'),
      payload: {
        server: {
          name: 'vb',
          imageRef: '',
          flavorRef: '42',
          networks: 'none',
          block_device_mapping_v2: [
            {
              uuid: image,
              source_type: 'image',
              destination_type: 'volume',
              volume_size: 1,
              boot_index: 0,
              delete_on_termination: true,
            },
          ],
        },
      },
    });
    assert.equal(res.statusCode, 202, res.body);
    const id = res.json().server.id as string;
    await settle();
    await fx.t.app.tasks.idle();
    await settle();
    assert.equal((await show(id)).status, 'ACTIVE');
    assertFault(
      await act(id, { createBackup: { name: 'b', backup_type: 'daily', rotation: 1 } }),
      400,
      'badRequest',
      'Backup is not supported for volume-backed instances.',
    );
    assertFault(
      await act(id, { rescue: null }),
      400,
      'badRequest',
      `Instance ${id} cannot be rescued: Cannot rescue a volume-backed instance`,
    );
    const other = await makeImage(0x45);
    assertFault(
      await act(id, { rebuild: { imageRef: other } }),
      400,
      'badRequest',
      `Image ${other} is unacceptable: Unable to rebuild with a different image for a volume-backed server.`,
    );
    assert.equal((await act(id, { shelve: null })).statusCode, 202);
    await settle();
    assert.equal((await show(id)).status, 'SHELVED_OFFLOADED');
    assert.deepEqual(await imagesNamed('vb-shelved'), []);
    assertFault(
      await act(id, { rescue: null }),
      409,
      'conflictingRequest',
      `Cannot 'rescue' instance ${id} while it is in vm_state shelved_offloaded`,
    );
    assert.equal((await act(id, { unshelve: null })).statusCode, 202);
    await settle();
    const s = await show(id);
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s['os-extended-volumes:volumes_attached'].length, 1);
  });

  test('a server that never ran is refused a rebuild by its launched_at', async () => {
    const flavor = await fx.t.inject({
      method: 'POST',
      url: `${CB}/flavors`,
      headers: fx.admin,
      payload: { flavor: { name: 'huge', ram: 256, vcpus: 100000, disk: 1 } },
    });
    assert.equal(flavor.statusCode, 200, flavor.body);
    const image = await makeImage(0x46);
    const res = await fx.t.inject({
      method: 'POST',
      url: `${CB}/servers`,
      headers: mv('2.37'),
      payload: {
        server: {
          name: 'e',
          imageRef: image,
          flavorRef: flavor.json().flavor.id,
          networks: 'none',
        },
      },
    });
    assert.equal(res.statusCode, 202, res.body);
    const id = res.json().server.id as string;
    await settle();
    assert.equal((await show(id)).status, 'ERROR');
    assertFault(
      await act(id, { rebuild: { imageRef: image } }),
      409,
      'conflictingRequest',
      `Cannot 'rebuild' instance ${id} while it is in launched_at None`,
    );
  });
});
