import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../helpers/app.js';
import { assertNeutronError, l3Client } from '../helpers/network-l3.js';

const app = useApp();
const c = l3Client(app);

/** A member's network and subnet joined by a router to an external network. */
async function topology(cidr: string, extCidr: string) {
  const ext = await c.external(extCidr);
  const net = await c.network({ name: `fip-${cidr}` });
  const subnet = await c.subnet(net.id, cidr, { enable_dhcp: false });
  const router = await c.router({ external_gateway_info: { network_id: ext.net.id } });
  await c.addInterface(router.id, { subnet_id: subnet.id });
  return { ext, net, subnet, router };
}

test('a floating IP: created with a port, re-pointed, disassociated, deleted', async () => {
  const t = await topology('10.100.0.0/28', '172.24.20.0/24');
  const p0 = await c.port(t.net.id);
  const p1 = await c.port(t.net.id);
  const res = await c.post('floatingips', {
    floatingip: { floating_network_id: t.ext.net.id, port_id: p0.id },
  });
  assert.equal(res.statusCode, 201, res.body);
  const fip = res.json().floatingip;
  assert.equal(fip.port_id, p0.id);
  assert.equal(fip.fixed_ip_address, p0.fixed_ips[0].ip_address);
  assert.equal(fip.router_id, t.router.id);
  assert.equal(fip.floating_network_id, t.ext.net.id);
  assert.equal(fip.status, 'ACTIVE');
  assert.equal(fip.project_id, app.demoProject);
  assert.match(fip.floating_ip_address, /^172\.24\.20\.\d+$/);
  assert.deepEqual(fip.port_details, {
    name: '',
    network_id: t.net.id,
    mac_address: p0.mac_address,
    admin_state_up: true,
    status: p0.status,
    device_id: '',
    device_owner: '',
  });
  assert.deepEqual((await c.get(`floatingips/${fip.id}`)).json().floatingip, fip);

  const fipPort = (
    await c.get(`ports?device_id=${fip.id}&device_owner=network:floatingip`, app.admin)
  ).json().ports;
  assert.equal(fipPort.length, 1);
  assert.equal(fipPort[0].project_id, '');
  assert.equal(fipPort[0].status, 'N/A');
  assert.equal(fipPort[0].fixed_ips[0].ip_address, fip.floating_ip_address);

  for (const q of [
    `port_id=${p0.id}`,
    `floating_network_id=${t.ext.net.id}`,
    `router_id=${t.router.id}`,
    'status=ACTIVE',
    `fixed_ip_address=${fip.fixed_ip_address}`,
    `floating_ip_address=${fip.floating_ip_address}`,
  ]) {
    const ids = (await c.get(`floatingips?${q}`)).json().floatingips.map((f: any) => f.id);
    assert.deepEqual(ids, [fip.id], q);
  }

  const moved = await c.put(`floatingips/${fip.id}`, { floatingip: { port_id: p1.id } });
  assert.equal(moved.statusCode, 200, moved.body);
  assert.equal(moved.json().floatingip.fixed_ip_address, p1.fixed_ips[0].ip_address);
  assert.equal(moved.json().floatingip.router_id, t.router.id);

  const other = await c.post('floatingips', {
    floatingip: { floating_network_id: t.ext.net.id },
  });
  assert.equal(other.json().floatingip.status, 'DOWN');
  const otherId = other.json().floatingip.id;
  assertNeutronError(
    await c.put(`floatingips/${otherId}`, { floatingip: { port_id: p1.id } }),
    409,
    'FloatingIPPortAlreadyAssociated',
    `Cannot associate floating IP ${other.json().floatingip.floating_ip_address} (${otherId}) with port ${p1.id} using fixed IP ${p1.fixed_ips[0].ip_address}, as that fixed IP already has a floating IP on external network ${t.ext.net.id}.`,
  );

  assertNeutronError(
    await c.put(`routers/${t.router.id}/remove_router_interface`, { subnet_id: t.subnet.id }),
    409,
    'RouterInterfaceInUseByFloatingIP',
    `Router interface for subnet ${t.subnet.id} on router ${t.router.id} cannot be deleted, as it is required by one or more floating IPs.`,
  );
  assertNeutronError(
    await c.put(`routers/${t.router.id}`, { router: { external_gateway_info: {} } }),
    409,
    'RouterExternalGatewayInUseByFloatingIp',
    `Gateway cannot be updated for router ${t.router.id}, since a gateway to external network ${t.ext.net.id} is required by one or more floating IPs.`,
  );

  const off = await c.put(`floatingips/${fip.id}`, { floatingip: { port_id: null } });
  const offFip = off.json().floatingip;
  assert.equal(offFip.port_id, null);
  assert.equal(offFip.fixed_ip_address, null);
  assert.equal(offFip.router_id, null);
  assert.equal(offFip.port_details, null);
  assert.equal(offFip.status, 'DOWN');

  assert.equal((await c.del(`floatingips/${fip.id}`)).statusCode, 204);
  assertNeutronError(
    await c.get(`floatingips/${fip.id}`),
    404,
    'FloatingIPNotFound',
    `Floating IP ${fip.id} could not be found`,
  );
  assert.deepEqual(
    (await c.get(`ports?device_id=${fip.id}`, app.admin)).json().ports,
    [],
    'the address goes back to the pool with its port',
  );
  // With no floating IP left behind it, the gateway may go and the router may be deleted.
  assert.equal((await c.del(`floatingips/${otherId}`)).statusCode, 204);
  await c.put(`routers/${t.router.id}/remove_router_interface`, { subnet_id: t.subnet.id });
  assert.equal((await c.del(`routers/${t.router.id}`)).statusCode, 204);
  assert.deepEqual(
    (await c.get(`ports?network_id=${t.ext.net.id}`, app.admin)).json().ports,
    [],
    'the gateway port went with its router',
  );
});

test('floating IP association errors: unreachable, several addresses, no port', async () => {
  const ext = await c.external('172.24.21.0/24');
  const net = await c.network({ name: 'unreach' });
  const subnet = await c.subnet(net.id, '10.100.5.0/28');
  const r = await c.router({ name: 'no-gw' });
  await c.addInterface(r.id, { subnet_id: subnet.id });
  const p = await c.port(net.id);
  const ip = p.fixed_ips[0].ip_address;
  assertNeutronError(
    await c.post('floatingips', {
      floatingip: { floating_network_id: ext.net.id, port_id: p.id, fixed_ip_address: ip },
    }),
    404,
    'ExternalGatewayForFloatingIPNotFound',
    `External network ${ext.net.id} is not reachable from subnet ${subnet.id}.  Therefore, cannot associate Port ${p.id} with a Floating IP.`,
  );
  assert.deepEqual(
    (await c.get(`ports?network_id=${ext.net.id}`, app.admin)).json().ports,
    [],
    'a failed create leaves no address taken',
  );
  const fip = (
    await c.post('floatingips', { floatingip: { floating_network_id: ext.net.id } })
  ).json().floatingip;
  assertNeutronError(
    await c.put(`floatingips/${fip.id}`, { floatingip: { port_id: p.id, fixed_ip_address: ip } }),
    404,
    'ExternalGatewayForFloatingIPNotFound',
  );
  assertNeutronError(
    await c.post('floatingips', { floatingip: { floating_network_id: net.id } }),
    400,
    'BadRequest',
    `Bad floatingip request: Network ${net.id} is not a valid external network.`,
  );
  const two = await c.port(net.id, {
    fixed_ips: [{ ip_address: '10.100.5.13' }, { ip_address: '10.100.5.14' }],
  });
  await c.put(`routers/${r.id}`, { router: { external_gateway_info: { network_id: ext.net.id } } });
  assertNeutronError(
    await c.put(`floatingips/${fip.id}`, { floatingip: { port_id: two.id } }),
    400,
    'BadRequest',
    `Bad floatingip request: Port ${two.id} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP.`,
  );
  const chosen = await c.put(`floatingips/${fip.id}`, {
    floatingip: { port_id: two.id, fixed_ip_address: '10.100.5.14' },
  });
  assert.equal(chosen.json().floatingip.fixed_ip_address, '10.100.5.14');
  const other = await c.put(`floatingips/${fip.id}`, {
    floatingip: { port_id: two.id, fixed_ip_address: '10.100.5.13' },
  });
  assert.equal(other.json().floatingip.fixed_ip_address, '10.100.5.13');
  assertNeutronError(
    await c.put(`floatingips/${fip.id}`, {
      floatingip: { port_id: two.id, fixed_ip_address: '10.100.5.9' },
    }),
    400,
    'BadRequest',
    `Bad floatingip request: Port ${two.id} does not have fixed ip 10.100.5.9.`,
  );
  assertNeutronError(
    await c.post('floatingips', {
      floatingip: { floating_network_id: ext.net.id, fixed_ip_address: '10.100.5.9' },
    }),
    400,
    'BadRequest',
    'Bad floatingip request: fixed_ip_address cannot be specified without a port_id.',
  );
  const extNoV4 = await c.network({ name: 'ext6', 'router:external': true }, app.admin);
  assertNeutronError(
    await c.post('floatingips', { floatingip: { floating_network_id: extNoV4.id } }),
    400,
    'BadRequest',
    `Bad floatingip request: Network ${extNoV4.id} does not contain any IPv4 subnet.`,
  );
});

test('floating IP addresses: admin chooses one, members may not, taken ones conflict', async () => {
  const ext = await c.external('172.24.22.0/24');
  const chosen = await c.post(
    'floatingips',
    { floatingip: { floating_network_id: ext.net.id, floating_ip_address: '172.24.22.50' } },
    app.admin,
  );
  assert.equal(chosen.statusCode, 201, chosen.body);
  assert.equal(chosen.json().floatingip.floating_ip_address, '172.24.22.50');
  assert.equal(chosen.json().floatingip.project_id, app.adminProject);
  assertNeutronError(
    await c.post(
      'ports',
      { port: { network_id: ext.net.id, fixed_ips: [{ ip_address: '172.24.22.50' }] } },
      app.admin,
    ),
    409,
    'IpAddressAlreadyAllocated',
  );
  assertNeutronError(
    await c.post('floatingips', {
      floatingip: { floating_network_id: ext.net.id, floating_ip_address: '172.24.22.51' },
    }),
    403,
    'PolicyNotAuthorized',
    '(rule:create_floatingip and rule:create_floatingip:floating_ip_address) is disallowed by policy',
  );
  const mine = (
    await c.post('floatingips', {
      floatingip: { floating_network_id: ext.net.id, subnet_id: ext.subnet.id },
    })
  ).json().floatingip;
  const ids = (await c.get('floatingips')).json().floatingips.map((f: any) => f.id);
  assert.ok(ids.includes(mine.id) && !ids.includes(chosen.json().floatingip.id));
  assertNeutronError(
    await c.get(`floatingips/${chosen.json().floatingip.id}`),
    404,
    'FloatingIPNotFound',
  );
  const bad: [unknown, string][] = [
    [
      { floatingip: {} },
      "Failed to parse request. Required attribute 'floating_network_id' not specified",
    ],
    [
      { floatingip: { floating_network_id: 'x' } },
      "Invalid input for floating_network_id. Reason: 'x' is not a valid UUID.",
    ],
    [
      { floatingip: { floating_network_id: ext.net.id, port_id: { toString: 1 } } },
      "Invalid input for port_id. Reason: '{'toString': 1}' is not a valid UUID.",
    ],
    [
      { floatingip: { floating_network_id: ext.net.id, router_id: ext.net.id } },
      "Attribute 'router_id' not allowed in POST",
    ],
  ];
  for (const [body, message] of bad) {
    assertNeutronError(await c.post('floatingips', body), 400, 'HTTPBadRequest', message);
  }
  assertNeutronError(
    await c.put(`floatingips/${mine.id}`, { floatingip: { floating_network_id: ext.net.id } }),
    400,
    'HTTPBadRequest',
    'Cannot update read-only attribute floating_network_id',
  );
  assertNeutronError(await c.get('floatingips?color=red'), 400, 'HTTPBadRequest');
});

test('concurrent floating IP creates on a small pool never share an address', async () => {
  const ext = await c.external('172.24.23.0/28', {
    allocation_pools: [{ start: '172.24.23.2', end: '172.24.23.9' }],
  });
  const results = await Promise.all(
    Array.from({ length: 12 }, () =>
      c.post('floatingips', { floatingip: { floating_network_id: ext.net.id } }),
    ),
  );
  const ok = results.filter((r) => r.statusCode === 201);
  const addresses = ok.map((r) => r.json().floatingip.floating_ip_address);
  assert.equal(ok.length, 8, 'the pool holds eight addresses');
  assert.equal(new Set(addresses).size, 8);
  for (const r of results.filter((x) => x.statusCode !== 201)) {
    assertNeutronError(
      r,
      409,
      'IpAddressGenerationFailure',
      `No more IP addresses available on network ${ext.net.id}.`,
    );
  }
});

test('a port deleted under its floating IP leaves it unassociated; admin creates for a project', async () => {
  const t = await topology('10.100.6.0/28', '172.24.24.0/24');
  const p = await c.port(t.net.id);
  const res = await c.post(
    'floatingips',
    {
      floatingip: {
        floating_network_id: t.ext.net.id,
        port_id: p.id,
        project_id: app.demoProject,
      },
    },
    app.admin,
  );
  assert.equal(res.statusCode, 201, res.body);
  const fip = res.json().floatingip;
  assert.equal(fip.project_id, app.demoProject);
  assert.equal(fip.fixed_ip_address, p.fixed_ips[0].ip_address);
  assert.equal((await c.del(`ports/${p.id}`)).statusCode, 204);
  const shown = (await c.get(`floatingips/${fip.id}`)).json().floatingip;
  assert.equal(shown.port_id, null);
  assert.equal(shown.fixed_ip_address, null);
  assert.equal(shown.router_id, null);
  assert.equal(shown.port_details, null);
  assert.equal((await c.del(`floatingips/${fip.id}`)).statusCode, 204, 'the member deletes it');
});

test('deleting an external network takes its unassociated floating IPs with it', async () => {
  const ext = await c.external('172.24.25.0/24');
  const fip = (
    await c.post('floatingips', { floatingip: { floating_network_id: ext.net.id } }, app.admin)
  ).json().floatingip;
  const listed = await c.get(`floatingips?floating_network_id=${ext.net.id}`, app.admin);
  assert.deepEqual(
    listed.json().floatingips.map((f: any) => f.id),
    [fip.id],
  );
  assert.equal((await c.del(`networks/${ext.net.id}`, app.admin)).statusCode, 204);
  assertNeutronError(await c.get(`floatingips/${fip.id}`, app.admin), 404, 'FloatingIPNotFound');

  const t = await topology('10.100.7.0/28', '172.24.26.0/24');
  const p = await c.port(t.net.id);
  await c.post('floatingips', { floatingip: { floating_network_id: t.ext.net.id, port_id: p.id } });
  assertNeutronError(await c.del(`networks/${t.ext.net.id}`, app.admin), 409, 'NetworkInUse');
});

test('the floatingip quota: OverQuota at the limit, and nothing taken', async () => {
  const ext = await c.external('172.24.27.0/24');
  await app.t.db
    .insertInto('network_quotas')
    .values({ project_id: app.demoProject, resource: 'floatingip', hard_limit: 0 })
    .onConflict((oc) => oc.columns(['project_id', 'resource']).doUpdateSet({ hard_limit: 0 }))
    .execute();
  try {
    assertNeutronError(
      await c.post('floatingips', { floatingip: { floating_network_id: ext.net.id } }),
      409,
      'OverQuota',
      "Quota exceeded for resources: ['floatingip'].",
    );
    assert.deepEqual((await c.get(`ports?network_id=${ext.net.id}`, app.admin)).json().ports, []);
  } finally {
    await app.t.db
      .deleteFrom('network_quotas')
      .where('project_id', '=', app.demoProject)
      .where('resource', '=', 'floatingip')
      .execute();
  }
});
