import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../helpers/app.js';
import { assertNeutronError, l3Client } from '../helpers/network-l3.js';

const app = useApp();
const c = l3Client(app);

test('interface by subnet: a port on the gateway IP, listed by device_id, removed with it', async () => {
  const net = await c.network({ name: 'if-net' });
  const subnet = await c.subnet(net.id, '10.100.0.0/28');
  const r = await c.router({ name: 'if-r', admin_state_up: false });
  const info = await c.addInterface(r.id, { subnet_id: subnet.id });
  assert.equal(info.id, r.id);
  assert.equal(info.subnet_id, subnet.id);
  assert.deepEqual(info.subnet_ids, [subnet.id]);
  assert.equal(info.network_id, net.id);
  assert.equal(info.project_id, app.demoProject);
  assert.equal(info.tenant_id, app.demoProject);

  const port = (await c.get(`ports/${info.port_id}`)).json().port;
  assert.equal(port.device_id, r.id);
  assert.equal(port.device_owner, 'network:router_interface');
  assert.equal(port.fixed_ips[0].ip_address, '10.100.0.1');
  assert.equal(port.status, 'ACTIVE');
  const listed = (await c.get(`ports?device_id=${r.id}`)).json().ports;
  assert.deepEqual(
    listed.map((p: any) => p.id),
    [info.port_id],
  );
  assert.equal((await c.get(`routers/${r.id}`)).json().router.revision_number, 1);

  assertNeutronError(
    await c.put(`routers/${r.id}/add_router_interface`, { subnet_id: subnet.id }),
    400,
    'BadRequest',
    `Bad router request: Router already has a port on subnet ${subnet.id}.`,
  );
  assertNeutronError(
    await c.del(`routers/${r.id}`),
    409,
    'RouterInUse',
    `Router ${r.id} has ports still attached: ${info.port_id}`,
  );

  const removed = await c.put(`routers/${r.id}/remove_router_interface`, { subnet_id: subnet.id });
  assert.equal(removed.statusCode, 200, removed.body);
  assert.equal(removed.json().subnet_id, subnet.id);
  assert.equal(removed.json().port_id, info.port_id);
  assertNeutronError(await c.get(`ports/${info.port_id}`), 404, 'PortNotFound');
  assertNeutronError(
    await c.put(`routers/${r.id}/remove_router_interface`, { subnet_id: subnet.id }),
    404,
    'RouterInterfaceNotFoundForSubnet',
    `Router ${r.id} has no interface on subnet ${subnet.id}`,
  );
  assert.equal((await c.del(`subnets/${subnet.id}`)).statusCode, 204);
  assert.equal((await c.del(`routers/${r.id}`)).statusCode, 204);
});

test("interface by port: the port becomes the router's; removal by port deletes it", async () => {
  const net = await c.network({ name: 'byport' });
  const subnet = await c.subnet(net.id, '10.100.1.0/28');
  const r = await c.router({ name: 'byport-r' });
  const p = await c.port(net.id);
  const info = await c.addInterface(r.id, { port_id: p.id });
  assert.equal(info.port_id, p.id);
  assert.equal(info.subnet_id, subnet.id);
  const port = (await c.get(`ports/${p.id}`)).json().port;
  assert.equal(port.device_id, r.id);
  assert.equal(port.device_owner, 'network:router_interface');

  const r2 = await c.router({ name: 'byport-r2' });
  assertNeutronError(
    await c.put(`routers/${r2.id}/add_router_interface`, { port_id: p.id }),
    409,
    'PortInUse',
    `Unable to complete operation on port ${p.id} for network ${net.id}. Port already has an attached device ${r.id}.`,
  );
  const bare = await c.port((await c.network({ name: 'no-subnet' })).id);
  assertNeutronError(
    await c.put(`routers/${r2.id}/add_router_interface`, { port_id: bare.id }),
    400,
    'BadRequest',
    'Bad router request: Router port must have at least one fixed IP.',
  );

  const removed = await c.put(`routers/${r.id}/remove_router_interface`, { port_id: p.id });
  assert.equal(removed.statusCode, 200, removed.body);
  assert.equal(removed.json().subnet_id, subnet.id);
  assertNeutronError(await c.get(`ports/${p.id}`), 404, 'PortNotFound');
  assertNeutronError(
    await c.put(`routers/${r.id}/remove_router_interface`, { port_id: p.id }),
    404,
    'RouterInterfaceNotFound',
    `Router ${r.id} does not have an interface with id ${p.id}`,
  );
  assert.equal((await c.del(`subnets/${subnet.id}`)).statusCode, 204);
});

test('interfaces: overlapping subnets, no gateway, bad bodies', async () => {
  const r = await c.router({ name: 'ovl' });
  const a = await c.subnet((await c.network({ name: 'ovl-a' })).id, '10.100.2.0/28');
  const b = await c.subnet((await c.network({ name: 'ovl-b' })).id, '10.100.2.0/28');
  await c.addInterface(r.id, { subnet_id: a.id });
  assertNeutronError(
    await c.put(`routers/${r.id}/add_router_interface`, { subnet_id: b.id }),
    400,
    'BadRequest',
    `Bad router request: Cidr 10.100.2.0/28 of subnet ${b.id} overlaps with cidr 10.100.2.0/28 of subnet ${a.id}.`,
  );
  const noGw = await c.subnet((await c.network({ name: 'nogw' })).id, '10.100.3.0/28', {
    gateway_ip: null,
  });
  assertNeutronError(
    await c.put(`routers/${r.id}/add_router_interface`, { subnet_id: noGw.id }),
    400,
    'BadRequest',
    'Bad router request: Subnet for router interface must have a gateway IP.',
  );
  const cases: [unknown, string][] = [
    [{}, 'Bad router request: Either subnet_id or port_id must be specified.'],
    [[1, 2], 'Bad router request: Either subnet_id or port_id must be specified.'],
    [{ subnet_id: 'x' }, "Bad router request: 'x' is not a valid UUID."],
    [{ subnet_id: null }, "Bad router request: 'None' is not a valid UUID."],
    [
      { port_id: { toString: 'x' } },
      "Bad router request: '{'toString': 'x'}' is not a valid UUID.",
    ],
    [
      { subnet_id: a.id, port_id: a.id },
      'Bad router request: Cannot specify both subnet-id and port-id.',
    ],
  ];
  for (const [body, message] of cases) {
    const res = await c.put(`routers/${r.id}/add_router_interface`, body);
    assertNeutronError(res, 400, 'BadRequest', message);
  }
  const missing = '2b3c4d5e-0000-4000-8000-000000000000';
  assertNeutronError(
    await c.put(`routers/${r.id}/add_router_interface`, { subnet_id: missing }),
    404,
    'SubnetNotFound',
  );
  assertNeutronError(
    await c.put(`routers/${missing}/add_router_interface`, { subnet_id: a.id }),
    404,
    'RouterNotFound',
  );
});

test("extra routes: nexthop on an attached subnet, not the router's own, null clears", async () => {
  const r = await c.router({ name: 'routes', admin_state_up: true });
  const s = await c.subnet((await c.network({ name: 'rt' })).id, '10.100.4.0/28');
  await c.addInterface(r.id, { subnet_id: s.id });
  const routes = [
    { destination: '192.168.5.0/24', nexthop: '10.100.4.2' },
    { destination: '10.100.4.0/28', nexthop: '10.100.4.2' },
  ];
  const set = await c.put(`routers/${r.id}`, { router: { routes } });
  assert.equal(set.statusCode, 200, set.body);
  assert.deepEqual(set.json().router.routes, routes);
  assert.deepEqual((await c.get(`routers/${r.id}`)).json().router.routes, routes);

  assertNeutronError(
    await c.put(`routers/${r.id}/remove_router_interface`, { subnet_id: s.id }),
    409,
    'RouterInterfaceInUseByRoute',
    `Router interface for subnet ${s.id} on router ${r.id} cannot be deleted, as it is required by one or more routes.`,
  );
  const far = [{ destination: '192.168.6.0/24', nexthop: '10.200.0.2' }];
  assertNeutronError(
    await c.put(`routers/${r.id}`, { router: { routes: far } }),
    400,
    'InvalidRoutes',
    "Invalid format for routes: [{'destination': '192.168.6.0/24', 'nexthop': '10.200.0.2'}], the nexthop is not connected with router",
  );
  const own = [{ destination: '192.168.6.0/24', nexthop: '10.100.4.1' }];
  assertNeutronError(
    await c.put(`routers/${r.id}`, { router: { routes: own } }),
    400,
    'InvalidRoutes',
    "Invalid format for routes: [{'destination': '192.168.6.0/24', 'nexthop': '10.100.4.1'}], the nexthop is used by router",
  );
  assertNeutronError(
    await c.put(`routers/${r.id}`, {
      router: { routes: [{ destination: 'x', nexthop: '1.2.3.4' }] },
    }),
    400,
    'HTTPBadRequest',
    "Invalid input for routes. Reason: 'x' is not a valid IP subnet.",
  );
  assertNeutronError(
    await c.put(`routers/${r.id}`, { router: { routes: [routes[0], routes[0]] } }),
    400,
    'HTTPBadRequest',
  );

  const added = await c.put(`routers/${r.id}/add_extraroutes`, {
    router: { routes: [{ destination: '192.168.7.0/24', nexthop: '10.100.4.3' }] },
  });
  assert.equal(added.statusCode, 200, added.body);
  assert.equal(added.json().router.routes.length, 3);
  const removed = await c.put(`routers/${r.id}/remove_extraroutes`, { router: { routes } });
  assert.deepEqual(removed.json().router.routes, [
    { destination: '192.168.7.0/24', nexthop: '10.100.4.3' },
  ]);

  const cleared = await c.put(`routers/${r.id}`, { router: { routes: null } });
  assert.deepEqual(cleared.json().router.routes, []);
  const out = await c.put(`routers/${r.id}/remove_router_interface`, { subnet_id: s.id });
  assert.equal(out.statusCode, 200, out.body);
});

test('the router quota: OverQuota at the limit', async () => {
  const quota = await c.put(`quotas/${app.demoProject}`, { quota: { router: 0 } }, app.admin);
  if (quota.statusCode !== 200) {
    // Quotas' API is another part's; write the limit as it would.
    await app.t.db
      .insertInto('network_quotas')
      .values({ project_id: app.demoProject, resource: 'router', hard_limit: 0 })
      .execute();
  }
  assertNeutronError(
    await c.post('routers', { router: { name: 'over' } }),
    409,
    'OverQuota',
    "Quota exceeded for resources: ['router'].",
  );
  await app.t.db
    .deleteFrom('network_quotas')
    .where('project_id', '=', app.demoProject)
    .where('resource', '=', 'router')
    .execute();
});
