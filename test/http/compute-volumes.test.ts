import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFault, useApp } from '../helpers/app.js';
import { serverKit } from '../helpers/servers.js';

const fx = useApp();
const k = serverKit(fx);
const mv = (v: string): Record<string, string> => ({
  ...fx.demo,
  'openstack-api-version': `compute ${v}`,
});

const attachments = (server: string) => `${k.c}/servers/${server}/os-volume_attachments`;

function attach(server: string, body: unknown, headers = fx.demo) {
  return fx.t.inject({
    method: 'POST',
    url: attachments(server),
    headers,
    payload: body as object,
  });
}

function detach(server: string, volume: string, headers = fx.demo) {
  return fx.t.inject({ method: 'DELETE', url: `${attachments(server)}/${volume}`, headers });
}

async function list(server: string, headers = fx.demo): Promise<Record<string, unknown>[]> {
  const res = await fx.t.inject({ method: 'GET', url: attachments(server), headers });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().volumeAttachments;
}

async function actionsOf(server: string): Promise<string[]> {
  const rows = await fx.t.db
    .selectFrom('instance_actions')
    .select('action')
    .where('server_id', '=', server)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

async function eventsOf(server: string, action: string): Promise<string[]> {
  const rows = await fx.t.db
    .selectFrom('instance_action_events as e')
    .innerJoin('instance_actions as a', 'a.id', 'e.action_id')
    .select(['e.event', 'e.result'])
    .where('a.server_id', '=', server)
    .where('a.action', '=', action)
    .execute();
  return rows.map((r) => `${r.event}:${r.result ?? ''}`);
}

describe('os-volume_attachments', () => {
  before(() => k.unlimited());

  test('attach, list, show, detach: Cinder in-use with the server, devices vdb then vdc, actions recorded', async () => {
    const image = await k.image();
    const server = (await k.server({ imageRef: image })).id as string;
    const v1 = await k.volume();
    const v2 = await k.volume();
    const res = await attach(server, { volumeAttachment: { volumeId: v1 } });
    assert.equal(res.statusCode, 200, res.body);
    const made = res.json().volumeAttachment;
    assert.deepEqual(made, { id: v1, serverId: server, volumeId: v1, device: '/dev/vdb' });
    // Tempest compares the POST answer with the list entry as whole dicts.
    assert.deepEqual(await list(server), [made]);
    const vol = await k.showVolume(v1);
    assert.equal(vol.status, 'in-use');
    assert.equal(vol.attachments.length, 1);
    assert.equal(vol.attachments[0].server_id, server);
    assert.equal(vol.attachments[0].device, '/dev/vdb');

    const second = await attach(server, { volumeAttachment: { volumeId: v2 } });
    assert.equal(second.json().volumeAttachment.device, '/dev/vdc');
    assert.equal((await list(server)).length, 2);
    const shown = await fx.t.inject({
      method: 'GET',
      url: `${attachments(server)}/${v2}`,
      headers: fx.demo,
    });
    assert.deepEqual(shown.json().volumeAttachment, {
      id: v2,
      serverId: server,
      volumeId: v2,
      device: '/dev/vdc',
    });

    // The driver was given the volume's head layer at the device.
    const head = await fx.t.app.volumes.volumeHead(await adminCtx(), v1);
    const log = await fx.t.app.compute.servers.consoleOutput(await adminCtx(), server, null);
    assert.ok(log.includes(`attach /dev/vdb: ${fx.t.app.layers.pathOf(head!)}`), log);

    // Cinder refuses to delete an attached volume.
    assertFault(
      await fx.t.inject({ method: 'DELETE', url: `${k.vb()}/volumes/${v1}`, headers: fx.demo }),
      400,
      'badRequest',
      /^Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer\.$/,
    );

    assert.equal((await detach(server, v1)).statusCode, 202);
    assert.equal((await k.showVolume(v1)).status, 'available');
    assert.deepEqual((await k.showVolume(v1)).attachments, []);
    assert.deepEqual(
      (await list(server)).map((a) => a.volumeId),
      [v2],
    );
    assert.equal(
      (await fx.t.inject({ method: 'DELETE', url: `${k.vb()}/volumes/${v1}`, headers: fx.demo }))
        .statusCode,
      202,
    );
    assert.deepEqual(await actionsOf(server), [
      'create',
      'attach_volume',
      'attach_volume',
      'detach_volume',
    ]);
    assert.deepEqual(await eventsOf(server, 'detach_volume'), ['compute_detach_volume:Success']);
    // A freed device name is given again.
    const v3 = await k.volume();
    assert.equal(
      (await attach(server, { volumeAttachment: { volumeId: v3 } })).json().volumeAttachment.device,
      '/dev/vdb',
    );
    // Server delete detaches: the volumes are available again, not deleted.
    await k.deleteServer(server);
    assert.equal((await k.showVolume(v2)).status, 'available');
    assert.equal((await k.showVolume(v3)).status, 'available');
  });

  test('fields by microversion: 2.70 tag, 2.79 delete_on_termination, 2.89 attachment_id and bdm_uuid without id', async () => {
    const server = (await k.server({ imageRef: await k.image() })).id as string;
    const v = await k.volume();
    const res = await attach(
      server,
      {
        volumeAttachment: {
          volumeId: v,
          tag: 'data',
          delete_on_termination: true,
          device: '/dev/vdd',
        },
      },
      mv('2.79'),
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().volumeAttachment, {
      id: v,
      serverId: server,
      volumeId: v,
      device: '/dev/vdd',
      tag: 'data',
      delete_on_termination: true,
    });
    assert.deepEqual((await list(server, mv('2.70')))[0], {
      id: v,
      serverId: server,
      volumeId: v,
      device: '/dev/vdd',
      tag: 'data',
    });
    const at89 = (await list(server, mv('2.89')))[0]!;
    assert.equal(at89.id, undefined);
    const bdm = await fx.t.db
      .selectFrom('block_device_mappings')
      .selectAll()
      .where('volume_id', '=', v)
      .executeTakeFirstOrThrow();
    assert.deepEqual(at89, {
      volumeId: v,
      serverId: server,
      device: '/dev/vdd',
      tag: 'data',
      delete_on_termination: true,
      attachment_id: bdm.attachment_id,
      bdm_uuid: bdm.id,
    });
    assert.equal((await k.showVolume(v)).attachments[0].attachment_id, bdm.attachment_id);
    // Before 2.49 there is no tag; before 2.79 no delete_on_termination.
    assertFault(
      await attach(server, { volumeAttachment: { volumeId: v, tag: 'x' } }),
      400,
      'badRequest',
      `Invalid input for field/attribute volumeAttachment. Value: {'volumeId': '${v}', 'tag': 'x'}. Additional properties are not allowed ('tag' was unexpected)`,
    );
    // 2.85 PUT changes delete_on_termination; other fields must stay as they are.
    const put = (body: object, headers = mv('2.85')) =>
      fx.t.inject({ method: 'PUT', url: `${attachments(server)}/${v}`, headers, payload: body });
    assert.equal(
      (await put({ volumeAttachment: { volumeId: v, delete_on_termination: false } })).statusCode,
      202,
    );
    assert.equal((await list(server, mv('2.79')))[0]!.delete_on_termination, false);
    assertFault(
      await put({ volumeAttachment: { volumeId: v, device: '/dev/vdb' } }),
      400,
      'badRequest',
      'The device property is not mutable',
    );
    // A swap is an admin's request, and not something these drivers can do.
    assertFault(
      await put({ volumeAttachment: { volumeId: v } }, fx.demo),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-volumes-attachments:swap to be performed.",
    );
    const other = await k.volume();
    assertFault(
      await put({ volumeAttachment: { volumeId: other } }, fx.admin),
      501,
      'notImplemented',
      /^The requested functionality is not supported/,
    );
    await k.deleteServer(server);
  });
  test("Tempest's attach, stop, start, detach: the volume stays in-use across power actions; a stopped server takes and gives volumes", async () => {
    const server = (await k.server({ imageRef: await k.image() })).id as string;
    const v = await k.volume();
    const act = (body: object) =>
      fx.t.inject({
        method: 'POST',
        url: `${k.c}/servers/${server}/action`,
        headers: fx.demo,
        payload: body,
      });
    assert.equal((await attach(server, { volumeAttachment: { volumeId: v } })).statusCode, 200);
    assert.equal((await act({ 'os-stop': null })).statusCode, 202);
    await k.waitServer(server, 'SHUTOFF');
    assert.equal((await k.showVolume(v)).status, 'in-use');
    assert.equal((await act({ 'os-start': null })).statusCode, 202);
    await k.waitServer(server, 'ACTIVE');
    assert.equal((await detach(server, v)).statusCode, 202);
    assert.equal((await k.showVolume(v)).status, 'available');
    assert.equal((await act({ 'os-stop': null })).statusCode, 202);
    await k.waitServer(server, 'SHUTOFF');
    assert.equal((await attach(server, { volumeAttachment: { volumeId: v } })).statusCode, 200);
    assert.equal((await k.showVolume(v)).status, 'in-use');
    assert.equal((await detach(server, v)).statusCode, 202);
    assert.equal((await k.showVolume(v)).status, 'available');
    await k.deleteServer(server);
  });
});

async function adminCtx() {
  const { userContext } = await import('../../src/context.js');
  return { ...userContext(fx.demoProject, 'x', ['admin']), isAdmin: true };
}

describe('os-volume_attachments refusals', () => {
  before(() => k.unlimited());

  test("Nova's texts: unknown volume, bad ids and devices, device in use, already attached, not attached", async () => {
    const server = (await k.server({ imageRef: await k.image() })).id as string;
    const other = (await k.server({ imageRef: await k.image() })).id as string;
    const v = await k.volume();
    const missing = '0b6f3d7e-1111-4222-8333-444455556666';
    assertFault(
      await attach(server, { volumeAttachment: { volumeId: missing } }),
      404,
      'itemNotFound',
      `Volume ${missing} could not be found.`,
    );
    assertFault(
      await attach(server, { volumeAttachment: { volumeId: 'abc' } }),
      400,
      'badRequest',
      "Invalid input for field/attribute volumeId. Value: abc. 'abc' is not a 'uuid'",
    );
    assertFault(
      await attach(server, { volumeAttachment: { volumeId: v, device: '/dev/!' } }),
      400,
      'badRequest',
      "Invalid input for field/attribute device. Value: /dev/!. '/dev/!' does not match '(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$'",
    );
    assertFault(
      await attach(server, { volumeAttachment: { volumeId: v, device: '/dev/vda' } }),
      409,
      'conflictingRequest',
      'The supplied device path (/dev/vda) is in use.',
    );
    assert.equal((await k.showVolume(v)).status, 'available');
    // A volume Cinder will not reserve: its refusal as Nova's cinder client passes it on.
    const held = await k.volume();
    const reserve = await fx.t.inject({
      method: 'POST',
      url: `${k.vb()}/volumes/${held}/action`,
      headers: fx.demo,
      payload: { 'os-reserve': null },
    });
    assert.equal(reserve.statusCode, 202);
    assertFault(
      await attach(server, { volumeAttachment: { volumeId: held } }),
      400,
      'badRequest',
      new RegExp(
        `^Invalid input received: Invalid volume: Volume ${held} status must be available or downloading to reserve, but the current status is attaching\\. \\(HTTP 400\\) \\(Request-ID: req-[0-9a-f-]+\\)$`,
      ),
    );
    assert.deepEqual(await list(server), []);
    assert.equal((await attach(server, { volumeAttachment: { volumeId: v } })).statusCode, 200);
    for (const target of [server, other])
      assertFault(
        await attach(target, { volumeAttachment: { volumeId: v } }),
        400,
        'badRequest',
        `Invalid volume: volume ${v} is already attached to instances: ${server}`,
      );
    for (const method of ['GET', 'DELETE'] as const)
      assertFault(
        await fx.t.inject({ method, url: `${attachments(other)}/${v}`, headers: fx.demo }),
        404,
        'itemNotFound',
        `Instance ${other} is not attached to volume ${v}`,
      );
    assertFault(
      await detach(other, missing),
      404,
      'itemNotFound',
      `Volume ${missing} could not be found.`,
    );
    // 2.75 refuses unknown list parameters; before, they are ignored.
    assert.equal(
      (await fx.t.inject({ method: 'GET', url: `${attachments(server)}?x=1`, headers: fx.demo }))
        .statusCode,
      200,
    );
    assertFault(
      await fx.t.inject({ method: 'GET', url: `${attachments(server)}?x=1`, headers: mv('2.75') }),
      400,
      'badRequest',
      "Additional properties are not allowed ('x' was unexpected)",
    );
    const paged = await fx.t.inject({
      method: 'GET',
      url: `${attachments(server)}?limit=0`,
      headers: fx.demo,
    });
    assert.deepEqual(paged.json(), { volumeAttachments: [] });
    await k.deleteServer(server);
    await k.deleteServer(other);
  });

  test("another project's server is not found; a locked or suspended server refuses", async () => {
    const mine = (await k.server({ imageRef: await k.image() })).id as string;
    const theirs = (await k.server({ imageRef: await k.image() }, { headers: fx.admin }))
      .id as string;
    const v = await k.volume();
    for (const res of [
      await attach(theirs, { volumeAttachment: { volumeId: v } }),
      await fx.t.inject({ method: 'GET', url: attachments(theirs), headers: fx.demo }),
      await detach(theirs, v),
    ])
      assertFault(res, 404, 'itemNotFound', `Instance ${theirs} could not be found.`);
    const act = (body: object, headers = fx.demo) =>
      fx.t.inject({ method: 'POST', url: `${k.c}/servers/${mine}/action`, headers, payload: body });
    assert.equal((await act({ lock: null })).statusCode, 202);
    assertFault(
      await attach(mine, { volumeAttachment: { volumeId: v } }),
      409,
      'conflictingRequest',
      `Instance ${mine} is locked`,
    );
    assert.equal((await act({ unlock: null })).statusCode, 202);
    assert.equal((await act({ suspend: null })).statusCode, 202);
    await k.waitServer(mine, 'SUSPENDED');
    assertFault(
      await attach(mine, { volumeAttachment: { volumeId: v } }),
      409,
      'conflictingRequest',
      `Cannot 'attach_volume' instance ${mine} while it is in vm_state suspended`,
    );
    assert.equal((await k.showVolume(v)).status, 'available');
    await k.deleteServer(mine);
    await k.deleteServer(theirs, fx.admin);
  });

  test('hostile bodies and queries get 400s', async () => {
    const server = (await k.server({ imageRef: await k.image() })).id as string;
    let deep: unknown = 'x';
    for (let i = 0; i < 2000; i++) deep = { a: deep };
    const bodies: unknown[] = [
      null,
      [],
      {},
      { volumeAttachment: null },
      { volumeAttachment: { volumeId: { toString: 'x' } } },
      { volumeAttachment: { volumeId: null } },
      { volumeAttachment: { volumeId: 1e308 } },
      { volumeAttachment: JSON.parse('{"__proto__": {"volumeId": "x"}}') },
      { volumeAttachment: { volumeId: '0b6f3d7e-1111-4222-8333-444455556666', constructor: 1 } },
      { volumeAttachment: { volumeId: '0b6f3d7e-1111-4222-8333-444455556666', device: 7 } },
      { volumeAttachment: deep },
    ];
    for (const body of bodies) {
      const res = await fx.t.inject({
        method: 'POST',
        url: attachments(server),
        headers: { ...fx.demo, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)?.slice(0, 80)}: ${res.body}`);
    }
    const many = Array.from({ length: 1200 }, (_, i) => `p${i}=1`).join('&');
    const q = await fx.t.inject({
      method: 'GET',
      url: `${attachments(server)}?${many}`,
      headers: mv('2.75'),
    });
    assert.equal(q.statusCode, 400);
    for (const bad of ['limit=abc', 'limit=-1', 'offset=99999999999999999999999'])
      assert.ok(
        [200, 400].includes(
          (
            await fx.t.inject({
              method: 'GET',
              url: `${attachments(server)}?${bad}`,
              headers: fx.demo,
            })
          ).statusCode,
        ),
      );
    assertFault(
      await fx.t.inject({
        method: 'GET',
        url: `${attachments(server)}?limit=abc`,
        headers: fx.demo,
      }),
      400,
      'badRequest',
    );
    await k.deleteServer(server);
  });

  test('two attaches of one volume to two servers at once: exactly one wins', async () => {
    const a = (await k.server({ imageRef: await k.image() })).id as string;
    const b = (await k.server({ imageRef: await k.image() })).id as string;
    for (let round = 0; round < 3; round++) {
      const v = await k.volume();
      const results = await Promise.all([
        attach(a, { volumeAttachment: { volumeId: v } }),
        attach(b, { volumeAttachment: { volumeId: v } }),
      ]);
      const codes = results.map((r) => r.statusCode).sort();
      assert.deepEqual(codes, [200, 400], results.map((r) => r.body).join(' '));
      const vol = await k.showVolume(v);
      assert.equal(vol.status, 'in-use');
      assert.equal(vol.attachments.length, 1);
      const winner = results[0]!.statusCode === 200 ? a : b;
      assert.equal(vol.attachments[0].server_id, winner);
      const rows = await fx.t.db
        .selectFrom('block_device_mappings')
        .select('server_id')
        .where('volume_id', '=', v)
        .execute();
      assert.deepEqual(rows, [{ server_id: winner }]);
      assert.equal((await detach(winner, v)).statusCode, 202);
    }
    await k.deleteServer(a);
    await k.deleteServer(b);
  });
});
