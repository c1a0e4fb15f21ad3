import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFault, useApp } from '../helpers/app.js';
import { serverKit } from '../helpers/servers.js';

const fx = useApp();
const k = serverKit(fx);
const net = '/network/v2.0';
const mv = (v: string): Record<string, string> => ({
  ...fx.demo,
  'openstack-api-version': `compute ${v}`,
});
const ifaces = (server: string) => `${k.c}/servers/${server}/os-interface`;

function attach(server: string, body: unknown, headers = fx.demo) {
  return fx.t.inject({ method: 'POST', url: ifaces(server), headers, payload: body as object });
}

async function privateNetwork(): Promise<string> {
  const res = await fx.t.inject({
    method: 'GET',
    url: `${net}/networks?name=private`,
    headers: fx.demo,
  });
  return res.json().networks[0].id as string;
}

async function port(id: string): Promise<{ statusCode: number; port?: Record<string, any> }> {
  const res = await fx.t.inject({ method: 'GET', url: `${net}/ports/${id}`, headers: fx.demo });
  return { statusCode: res.statusCode, port: res.json().port };
}

async function actions(server: string): Promise<string[]> {
  const rows = await fx.t.db
    .selectFrom('instance_actions as a')
    .leftJoin('instance_action_events as e', 'e.action_id', 'a.id')
    .select(['a.action', 'e.event', 'e.result'])
    .where('a.server_id', '=', server)
    .orderBy('a.id')
    .execute();
  return rows
    .filter((r) => r.action.endsWith('interface'))
    .map((r) => `${r.action}/${r.event}:${r.result}`);
}

describe('os-interface', () => {
  before(() => k.unlimited());

  test('list, attach on a network (a port Nova made, deleted on detach), show, detach, actions', async () => {
    const server = (await k.server({ imageRef: await k.image() })).id as string;
    const network = await privateNetwork();
    const listed = await fx.t.inject({ method: 'GET', url: ifaces(server), headers: fx.demo });
    assert.equal(listed.statusCode, 200);
    const first = listed.json().interfaceAttachments;
    assert.equal(first.length, 1);
    assert.deepEqual(Object.keys(first[0]).sort(), [
      'fixed_ips',
      'mac_addr',
      'net_id',
      'port_id',
      'port_state',
    ]);
    assert.equal(first[0].net_id, network);

    const res = await attach(server, { interfaceAttachment: { net_id: network } });
    assert.equal(res.statusCode, 200, res.body);
    const made = res.json().interfaceAttachment;
    assert.equal(made.net_id, network);
    assert.equal(made.fixed_ips.length, 1);
    assert.ok(made.fixed_ips[0].subnet_id);
    const p = (await port(made.port_id)).port!;
    assert.equal(p.device_id, server);
    assert.equal(p.device_owner, 'compute:nova');
    assert.equal(p.mac_address, made.mac_addr);
    const shown = await fx.t.inject({
      method: 'GET',
      url: `${ifaces(server)}/${made.port_id}`,
      headers: fx.demo,
    });
    assert.deepEqual(shown.json().interfaceAttachment, made);
    const all = await fx.t.inject({ method: 'GET', url: ifaces(server), headers: fx.demo });
    assert.equal(all.json().interfaceAttachments.length, 2);
    // The server shows the new address.
    const s = await fx.t.inject({
      method: 'GET',
      url: `${k.c}/servers/${server}`,
      headers: fx.demo,
    });
    assert.equal(s.json().server.addresses.private.length, 2);

    const del = await fx.t.inject({
      method: 'DELETE',
      url: `${ifaces(server)}/${made.port_id}`,
      headers: fx.demo,
    });
    assert.equal(del.statusCode, 202);
    assert.equal((await port(made.port_id)).statusCode, 404);
    assert.deepEqual(await actions(server), [
      'attach_interface/compute_attach_interface:Success',
      'detach_interface/compute_detach_interface:Success',
    ]);
    await k.deleteServer(server);
  });

  test("the user's port: bound on attach, unbound and kept on detach; fixed IPs; 2.70 tags", async () => {
    const server = (await k.server({ imageRef: await k.image() })).id as string;
    const network = await privateNetwork();
    const created = await fx.t.inject({
      method: 'POST',
      url: `${net}/ports`,
      headers: fx.demo,
      payload: { port: { network_id: network } },
    });
    const portId = created.json().port.id as string;
    const res = await attach(
      server,
      { interfaceAttachment: { port_id: portId, tag: 'nic' } },
      mv('2.70'),
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().interfaceAttachment.port_id, portId);
    assert.equal(res.json().interfaceAttachment.tag, 'nic');
    assert.equal((await port(portId)).port!.device_id, server);
    assertFault(
      await attach(server, { interfaceAttachment: { port_id: portId } }),
      409,
      'conflictingRequest',
      `Port ${portId} is still in use.`,
    );
    const del = await fx.t.inject({
      method: 'DELETE',
      url: `${ifaces(server)}/${portId}`,
      headers: fx.demo,
    });
    assert.equal(del.statusCode, 202);
    const kept = (await port(portId)).port!;
    assert.equal(kept.device_id, '');
    assert.equal(kept.device_owner, '');

    // A fixed address on the network; the same address again is in use.
    const subnet = (
      await fx.t.inject({
        method: 'GET',
        url: `${net}/subnets?network_id=${network}`,
        headers: fx.demo,
      })
    ).json().subnets[0];
    const ip = subnet.allocation_pools[0].end as string;
    const fixed = await attach(server, {
      interfaceAttachment: { net_id: network, fixed_ips: [{ ip_address: ip }] },
    });
    assert.equal(fixed.statusCode, 200, fixed.body);
    assert.equal(fixed.json().interfaceAttachment.fixed_ips[0].ip_address, ip);
    assertFault(
      await attach(server, {
        interfaceAttachment: { net_id: network, fixed_ips: [{ ip_address: ip }] },
      }),
      409,
      'conflictingRequest',
      `Fixed IP address ${ip} is already in use on instance ${server}.`,
    );
    await k.deleteServer(server);
    // Server delete unbinds the user's ports and deletes Nova's.
    assert.equal((await port(portId)).statusCode, 200);
    assert.equal((await port(fixed.json().interfaceAttachment.port_id)).statusCode, 404);
  });

  test("Nova's texts: both ids, an address without a network, unknown port or network, another server's port, another project's server", async () => {
    const server = (await k.server({ imageRef: await k.image() })).id as string;
    const other = (await k.server({ imageRef: await k.image() })).id as string;
    const theirs = (await k.server({ imageRef: await k.image() }, { headers: fx.admin }))
      .id as string;
    const network = await privateNetwork();
    const missing = '0b6f3d7e-1111-4222-8333-444455556666';
    assertFault(
      await attach(server, { interfaceAttachment: { net_id: network, port_id: missing } }),
      400,
      'badRequest',
      'Must not input both network_id and port_id',
    );
    assertFault(
      await attach(server, { interfaceAttachment: { fixed_ips: [{ ip_address: '10.0.0.9' }] } }),
      400,
      'badRequest',
      'Must input network_id when request IP address',
    );
    assertFault(
      await attach(server, { interfaceAttachment: { port_id: missing } }),
      404,
      'itemNotFound',
      `Port id ${missing} could not be found.`,
    );
    assertFault(
      await attach(server, { interfaceAttachment: { net_id: missing } }),
      404,
      'itemNotFound',
      `Network ${missing} could not be found.`,
    );
    assertFault(
      await attach(server, { interfaceAttachment: { net_id: 'x' } }),
      400,
      'badRequest',
      "Invalid input for field/attribute net_id. Value: x. 'x' is not a 'uuid'",
    );
    assertFault(
      await attach(server, {
        interfaceAttachment: { net_id: network, fixed_ips: [{ ip_address: 'nope' }] },
      }),
      400,
      'badRequest',
      "Invalid input for field/attribute ip_address. Value: nope. 'nope' is not valid under any of the given schemas",
    );
    const otherPort = (
      await fx.t.inject({ method: 'GET', url: ifaces(other), headers: fx.demo })
    ).json().interfaceAttachments[0].port_id;
    assertFault(
      await fx.t.inject({ method: 'GET', url: `${ifaces(server)}/${otherPort}`, headers: fx.demo }),
      404,
      'itemNotFound',
      `Instance ${server} does not have a port with id ${otherPort}`,
    );
    assertFault(
      await fx.t.inject({ method: 'GET', url: `${ifaces(server)}/${missing}`, headers: fx.demo }),
      404,
      'itemNotFound',
      `Port id ${missing} could not be found.`,
    );
    // Detaching a port the server does not have is accepted, and fails in its instance action.
    const del = await fx.t.inject({
      method: 'DELETE',
      url: `${ifaces(server)}/${otherPort}`,
      headers: fx.demo,
    });
    assert.equal(del.statusCode, 202);
    assert.equal((await port(otherPort)).port!.device_id, other);
    // As in Nova, an attach that fails on the compute side leaves its action with an Error event.
    assert.deepEqual(await actions(server), [
      'attach_interface/compute_attach_interface:Error',
      'attach_interface/compute_attach_interface:Error',
      'detach_interface/compute_detach_interface:Error',
    ]);
    for (const res of [
      await fx.t.inject({ method: 'GET', url: ifaces(theirs), headers: fx.demo }),
      await attach(theirs, { interfaceAttachment: { net_id: network } }),
      await fx.t.inject({
        method: 'DELETE',
        url: `${ifaces(theirs)}/${missing}`,
        headers: fx.demo,
      }),
    ])
      assertFault(res, 404, 'itemNotFound', `Instance ${theirs} could not be found.`);
    // Locked: refused for the owner.
    const act = (body: object) =>
      fx.t.inject({
        method: 'POST',
        url: `${k.c}/servers/${server}/action`,
        headers: fx.demo,
        payload: body,
      });
    assert.equal((await act({ lock: null })).statusCode, 202);
    assertFault(
      await attach(server, { interfaceAttachment: { net_id: network } }),
      409,
      'conflictingRequest',
      `Instance ${server} is locked`,
    );
    assert.equal((await act({ unlock: null })).statusCode, 202);
    for (const id of [server, other]) await k.deleteServer(id);
    await k.deleteServer(theirs, fx.admin);
  });

  test('hostile bodies get 400s', async () => {
    const server = (await k.server({ imageRef: await k.image() })).id as string;
    let deep: unknown = 'x';
    for (let i = 0; i < 2000; i++) deep = { a: deep };
    const bodies: unknown[] = [
      [],
      { interfaceAttachment: null },
      { interfaceAttachment: { port_id: { toString: 'x' } } },
      { interfaceAttachment: { net_id: null } },
      { interfaceAttachment: { fixed_ips: [] } },
      {
        interfaceAttachment: {
          fixed_ips: [{ ip_address: '10.0.0.1' }, { ip_address: '10.0.0.2' }],
        },
      },
      { interfaceAttachment: JSON.parse('{"__proto__": {"net_id": "x"}}') },
      { interfaceAttachment: { constructor: 1 } },
      { interfaceAttachment: { tag: 'x' } },
      { interfaceAttachment: deep },
    ];
    for (const body of bodies) {
      const res = await fx.t.inject({
        method: 'POST',
        url: ifaces(server),
        headers: { ...fx.demo, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)?.slice(0, 80)}: ${res.body}`);
    }
    await k.deleteServer(server);
  });
});
