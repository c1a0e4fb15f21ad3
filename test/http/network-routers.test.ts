import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../helpers/app.js';
import { assertNeutronError, l3Client } from '../helpers/network-l3.js';

const app = useApp();
const c = l3Client(app);

test('a router: created, shown, listed, renamed with a revision, deleted', async () => {
  const r = await c.router({ name: 'r1', admin_state_up: false, external_gateway_info: {} });
  assert.equal(r.status, 'ACTIVE');
  assert.equal(r.admin_state_up, false);
  assert.equal(r.external_gateway_info, null);
  assert.deepEqual(r.routes, []);
  assert.deepEqual(r.availability_zone_hints, []);
  assert.equal(r.flavor_id, null);
  assert.equal(r.project_id, app.demoProject);
  assert.equal(r.tenant_id, app.demoProject);
  assert.equal(r.revision_number, 0);
  assert.ok(!('distributed' in r) && !('ha' in r), 'distributed and ha are for admins');

  const shown = (await c.get(`routers/${r.id}?fields=id&fields=name`)).json().router;
  assert.deepEqual(shown, { id: r.id, name: 'r1' });
  const listed = (await c.get('routers?name=r1')).json().routers;
  assert.deepEqual(
    listed.map((x: any) => x.id),
    [r.id],
  );
  const adminView = (await c.get(`routers/${r.id}`, app.admin)).json().router;
  assert.equal(adminView.distributed, false);
  assert.equal(adminView.ha, false);

  const upd = await c.put(`routers/${r.id}`, { router: { name: 'r1b', admin_state_up: true } });
  assert.equal(upd.statusCode, 200, upd.body);
  assert.equal(upd.json().router.name, 'r1b');
  assert.equal(upd.json().router.admin_state_up, true);
  assert.equal(upd.json().router.revision_number, 1);

  assert.equal((await c.del(`routers/${r.id}`)).statusCode, 204);
  assertNeutronError(
    await c.get(`routers/${r.id}`),
    404,
    'RouterNotFound',
    `Router ${r.id} could not be found`,
  );
  for (const res of [
    await c.get('routers/non_exist_router-1'),
    await c.put('routers/non_exist_router-1', { router: { name: 'x' } }),
    await c.del('routers/non_exist_router-1'),
  ]) {
    assertNeutronError(res, 404, 'RouterNotFound');
  }
});

test("routers: another project's router is not found; admin may create one for a project", async () => {
  const mine = await c.router({ name: 'admins' }, app.admin);
  assertNeutronError(await c.get(`routers/${mine.id}`), 404, 'RouterNotFound');
  assertNeutronError(await c.del(`routers/${mine.id}`), 404, 'RouterNotFound');
  const forDemo = await c.router({ name: 'for-demo', project_id: app.demoProject }, app.admin);
  assert.equal(forDemo.project_id, app.demoProject);
  assert.equal((await c.get(`routers/${forDemo.id}`)).statusCode, 200);
});

test('router gateway: set by a member, shown with its address, port hidden, cleared by {}', async () => {
  const { net, subnet } = await c.external('172.24.10.0/24');
  const r = await c.router({ name: 'gw', external_gateway_info: { network_id: net.id } });
  const gw = r.external_gateway_info;
  assert.equal(gw.network_id, net.id);
  assert.equal(gw.enable_snat, true);
  assert.equal(gw.external_fixed_ips.length, 1);
  assert.equal(gw.external_fixed_ips[0].subnet_id, subnet.id);
  assert.equal(r.revision_number, 0);

  const ports = (
    await c.get(
      `ports?network_id=${net.id}&device_id=${r.id}&device_owner=network:router_gateway`,
      app.admin,
    )
  ).json().ports;
  assert.equal(ports.length, 1);
  assert.equal(ports[0].project_id, '');
  assert.equal(ports[0].status, 'ACTIVE');
  assert.deepEqual(ports[0].security_groups, []);
  assert.equal(ports[0].fixed_ips[0].ip_address, gw.external_fixed_ips[0].ip_address);
  assert.deepEqual(
    (await c.get(`ports?device_id=${r.id}`)).json().ports,
    [],
    'members do not see it',
  );

  const cleared = await c.put(`routers/${r.id}`, { router: { external_gateway_info: {} } });
  assert.equal(cleared.statusCode, 200, cleared.body);
  assert.equal(cleared.json().router.external_gateway_info, null);
  assert.deepEqual(
    (await c.get(`ports?network_id=${net.id}&device_id=${r.id}`, app.admin)).json().ports,
    [],
  );
  const again = await c.put(`routers/${r.id}`, {
    router: { external_gateway_info: { network_id: net.id } },
  });
  assert.equal(again.json().router.external_gateway_info.network_id, net.id);
  const nulled = await c.put(`routers/${r.id}`, { router: { external_gateway_info: null } });
  assert.equal(nulled.json().router.external_gateway_info, null);
});

test('router gateway: admin chooses SNAT and the address; members may not', async () => {
  const { net, subnet } = await c.external('172.24.11.0/24');
  const r = await c.router(
    {
      external_gateway_info: {
        network_id: net.id,
        enable_snat: false,
        external_fixed_ips: [{ subnet_id: subnet.id, ip_address: '172.24.11.77' }],
      },
    },
    app.admin,
  );
  assert.equal(r.external_gateway_info.enable_snat, false);
  assert.deepEqual(r.external_gateway_info.external_fixed_ips, [
    { subnet_id: subnet.id, ip_address: '172.24.11.77' },
  ]);
  // The address is taken: a port asking for it, or a second router, gets IpAddressAlreadyAllocated.
  assertNeutronError(
    await c.post(
      'routers',
      {
        router: {
          external_gateway_info: {
            network_id: net.id,
            external_fixed_ips: [{ subnet_id: subnet.id, ip_address: '172.24.11.77' }],
          },
        },
      },
      app.admin,
    ),
    409,
    'IpAddressAlreadyAllocated',
    `IP address 172.24.11.77 already allocated in subnet ${subnet.id}`,
  );
  // Re-addressing on the same network moves the port; the old address is free at once.
  const moved = await c.put(
    `routers/${r.id}`,
    {
      router: {
        external_gateway_info: {
          network_id: net.id,
          external_fixed_ips: [{ subnet_id: subnet.id, ip_address: '172.24.11.78' }],
        },
      },
    },
    app.admin,
  );
  assert.equal(
    moved.json().router.external_gateway_info.external_fixed_ips[0].ip_address,
    '172.24.11.78',
  );
  const port = await c.port(
    net.id,
    { fixed_ips: [{ subnet_id: subnet.id, ip_address: '172.24.11.77' }] },
    app.admin,
  );
  assert.equal(port.fixed_ips[0].ip_address, '172.24.11.77');

  assertNeutronError(
    await c.post('routers', {
      router: { external_gateway_info: { network_id: net.id, enable_snat: false } },
    }),
    403,
    'PolicyNotAuthorized',
    '(rule:create_router and (rule:create_router:external_gateway_info and (rule:create_router:external_gateway_info:network_id and rule:create_router:external_gateway_info:enable_snat))) is disallowed by policy',
  );
  assertNeutronError(
    await c.post('routers', { router: { distributed: true } }),
    403,
    'PolicyNotAuthorized',
    '(rule:create_router and rule:create_router:distributed) is disallowed by policy',
  );
  assertNeutronError(
    await c.post('routers', {
      router: {
        external_gateway_info: {
          network_id: net.id,
          external_fixed_ips: [{ subnet_id: subnet.id }],
        },
      },
    }),
    403,
    'PolicyNotAuthorized',
  );
  assertNeutronError(
    await c.post(
      'routers',
      {
        router: {
          external_gateway_info: {
            network_id: net.id,
            external_fixed_ips: [{ ip_address: subnet.gateway_ip }],
          },
        },
      },
      app.admin,
    ),
    400,
    'BadRequest',
    `Bad router request: External IP ${subnet.gateway_ip} is the same as the gateway IP.`,
  );
});

test('router gateway errors: a missing network is 404, a non-external one 400', async () => {
  const r = await c.router({ name: 'neg' });
  assertNeutronError(
    await c.put(`routers/${r.id}`, { router: { external_gateway_info: { network_id: r.id } } }),
    404,
    'NetworkNotFound',
    `Network ${r.id} could not be found.`,
  );
  const net = await c.network({ name: 'internal' });
  assertNeutronError(
    await c.put(`routers/${r.id}`, { router: { external_gateway_info: { network_id: net.id } } }),
    400,
    'BadRequest',
    `Bad router request: Network ${net.id} is not an external network.`,
  );
  assertNeutronError(
    await c.post('routers', { router: { external_gateway_info: { enable_snat: true } } }),
    400,
    'HTTPBadRequest',
    "Invalid input for external_gateway_info. Reason: Validation of dictionary's keys failed. Expected keys: {'network_id'} Provided keys: {'enable_snat'}.",
  );
  assertNeutronError(
    await c.post('routers', {
      router: { external_gateway_info: { network_id: net.id, color: 'red' } },
    }),
    400,
    'HTTPBadRequest',
    'Invalid input for external_gateway_info. Reason: Unexpected keys supplied: color.',
  );
  assertNeutronError(
    await c.post('routers', { router: { external_gateway_info: 'x' } }),
    400,
    'HTTPBadRequest',
    "Invalid input for external_gateway_info. Reason: 'x' is not a dictionary.",
  );
  assertNeutronError(
    await c.post('routers', { router: { routes: [] } }),
    400,
    'HTTPBadRequest',
    "Attribute 'routes' not allowed in POST",
  );
});
