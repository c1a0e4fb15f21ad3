import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../helpers/app.js';
import { assertNeutronError, l3Client } from '../helpers/network-l3.js';

const app = useApp();
const c = l3Client(app);
const topo = 'auto-allocated-topology';

/** No network is the default external one. */
async function clearDefaults(): Promise<void> {
  const nets = (await c.get('networks?is_default=true', app.admin)).json().networks;
  for (const n of nets) {
    await c.put(`networks/${n.id}`, { network: { is_default: false } }, app.admin);
  }
}

/** No subnet pool is the default of its family (start-up makes DevStack's two). */
async function clearDefaultPools(): Promise<void> {
  const pools = (await c.get('subnetpools?is_default=true', app.admin)).json().subnetpools;
  for (const p of pools) {
    await c.put(`subnetpools/${p.id}`, { subnetpool: { is_default: false } }, app.admin);
  }
}

async function defaultExternal(cidr: string): Promise<any> {
  const { net } = await c.external(cidr);
  const res = await c.put(`networks/${net.id}`, { network: { is_default: true } }, app.admin);
  assert.equal(res.statusCode, 200, res.body);
  return net;
}

test('get-me-a-network refuses what Neutron refuses, and leaves nothing behind', async () => {
  await clearDefaults();
  assertNeutronError(
    await c.get(`${topo}/None?fields=dry-run`),
    409,
    'AutoAllocationFailure',
    'Deployment error: No default router:external network.',
  );
  assertNeutronError(
    await c.get(`${topo}/${app.demoProject}`),
    409,
    'AutoAllocationFailure',
    'Deployment error: No default router:external network.',
  );
  assertNeutronError(
    await c.get(`${topo}/${app.adminProject}`),
    403,
    'NotAuthorized',
    'Not authorized.',
  );
  assertNeutronError(await c.del(`${topo}/${app.adminProject}`), 403, 'NotAuthorized');
  assertNeutronError(
    await c.get(`${topo}/None?fields=id`),
    400,
    'BadRequest',
    'Bad auto_allocate request: Unrecognized field.',
  );
  assert.equal((await c.del(`${topo}/None`)).statusCode, 204, 'no topology is still 204');

  await defaultExternal('172.24.30.0/24');
  await clearDefaultPools();
  assertNeutronError(
    await c.get(`${topo}/None?fields=dry-run`),
    409,
    'AutoAllocationFailure',
    'Deployment error: No default subnetpools defined.',
  );
  assertNeutronError(
    await c.get(`${topo}/None`),
    409,
    'AutoAllocationFailure',
    'Deployment error: Unable to provide tenant private network.',
  );
  const left = (await c.get('networks?name=auto_allocated_network')).json().networks;
  assert.deepEqual(left, [], 'the half-built network was removed');
});

test('get-me-a-network builds a network, subnet and router once, even when raced', async (t) => {
  await clearDefaults();
  await clearDefaultPools();
  const ext = await defaultExternal('172.24.31.0/24');
  const pool = await c.post(
    'subnetpools',
    {
      subnetpool: {
        name: 'default-v4',
        prefixes: ['10.250.0.0/16'],
        default_prefixlen: 26,
        is_default: true,
        shared: true,
      },
    },
    app.admin,
  );
  if (pool.statusCode === 404) {
    t.skip('needs the subnet pool API (subnet_allocation), which another part of issue 8 builds');
    return;
  }
  assert.equal(pool.statusCode, 201, pool.body);
  const dry = await c.get(`${topo}/None?fields=dry-run`);
  assert.equal(dry.statusCode, 200, dry.body);
  assert.equal(dry.json().auto_allocated_topology.id, 'dry-run=pass');

  const raced = await Promise.all([1, 2, 3].map(() => c.get(`${topo}/None`)));
  for (const r of raced) assert.equal(r.statusCode, 200, r.body);
  const ids = new Set(raced.map((r) => r.json().auto_allocated_topology.id));
  assert.equal(ids.size, 1);
  const body = raced[0]!.json().auto_allocated_topology;
  assert.equal(body.tenant_id, app.demoProject);
  assert.equal(body.project_id, app.demoProject);

  const net = (await c.get(`networks/${body.id}`)).json().network;
  assert.equal(net.name, 'auto_allocated_network');
  assert.equal(net.admin_state_up, true);
  assert.equal(net.subnets.length, 1);
  const subnet = (await c.get(`subnets/${net.subnets[0]}`)).json().subnet;
  assert.equal(subnet.name, 'auto_allocated_subnet_v4');
  assert.equal(subnet.subnetpool_id, pool.json().subnetpool.id);
  const routers = (await c.get('routers?name=auto_allocated_router')).json().routers;
  assert.equal(routers.length, 1);
  assert.equal(routers[0].external_gateway_info.network_id, ext.id);
  const ifaces = (await c.get(`ports?device_id=${routers[0].id}`)).json().ports;
  assert.equal(ifaces.length, 1);
  assert.equal(ifaces[0].fixed_ips[0].subnet_id, subnet.id);
  assert.equal(
    (await c.get('networks?name=auto_allocated_network')).json().networks.length,
    1,
    'the losers of the race removed what they built',
  );
  const again = await c.get(`${topo}/${app.demoProject}`);
  assert.equal(again.json().auto_allocated_topology.id, body.id);

  assert.equal((await c.del(`${topo}/None`)).statusCode, 204);
  assertNeutronError(await c.get(`networks/${body.id}`), 404, 'NetworkNotFound');
  assert.deepEqual((await c.get('routers?name=auto_allocated_router')).json().routers, []);
});
