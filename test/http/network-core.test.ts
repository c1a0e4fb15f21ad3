import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../helpers/app.js';

const app = useApp();
const n = '/network/v2.0';

const post = (path: string, payload: unknown, headers = app.demo) =>
  app.t.inject({ method: 'POST', url: `${n}/${path}`, headers, payload: payload as object });
const get = (path: string, headers = app.demo) =>
  app.t.inject({ method: 'GET', url: `${n}/${path}`, headers });

async function makeNetwork(name: string, headers = app.demo): Promise<string> {
  const res = await post('networks', { network: { name } }, headers);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().network.id;
}

async function makeSubnet(networkId: string, cidr: string, extra = {}): Promise<any> {
  const res = await post('subnets', {
    subnet: { network_id: networkId, cidr, ip_version: cidr.includes(':') ? 6 : 4, ...extra },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().subnet;
}

function assertNeutronError(res: any, status: number, type: string, message?: string): void {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json().NeutronError;
  assert.equal(body.type, type);
  if (message !== undefined) assert.equal(body.message, message);
  assert.equal(body.detail, '');
}

test('a network: created with defaults, shown, listed, updated with a revision, deleted', async () => {
  const res = await post('networks', { network: { name: 'net-a' } });
  assert.equal(res.statusCode, 201);
  const net = res.json().network;
  assert.equal(net.status, 'ACTIVE');
  assert.equal(net.admin_state_up, true);
  assert.equal(net.shared, false);
  assert.equal(net['router:external'], false);
  assert.equal(net.mtu, 1450);
  assert.deepEqual(net.subnets, []);
  assert.equal(net.project_id, net.tenant_id);
  assert.equal(net.revision_number, 0);
  assert.ok(!('provider:network_type' in net), 'provider attributes are for admins');

  const shown = (await get(`networks/${net.id}?fields=name&fields=id`)).json().network;
  assert.deepEqual(shown, { name: 'net-a', id: net.id });

  const listed = (await get('networks?name=net-a')).json().networks;
  assert.deepEqual(
    listed.map((x: any) => x.id),
    [net.id],
  );

  const upd = await app.t.inject({
    method: 'PUT',
    url: `${n}/networks/${net.id}`,
    headers: { ...app.demo, 'if-match': 'revision_number=0' },
    payload: { network: { name: 'net-a2' } },
  });
  assert.equal(upd.statusCode, 200, upd.body);
  assert.equal(upd.json().network.revision_number, 1);
  const stale = await app.t.inject({
    method: 'PUT',
    url: `${n}/networks/${net.id}`,
    headers: { ...app.demo, 'if-match': 'revision_number=0' },
    payload: { network: { name: 'net-a3' } },
  });
  assertNeutronError(stale, 412, 'RevisionNumberConstraintFailed');

  const del = await app.t.inject({
    method: 'DELETE',
    url: `${n}/networks/${net.id}`,
    headers: app.demo,
  });
  assert.equal(del.statusCode, 204);
  assertNeutronError(
    await get(`networks/${net.id}`),
    404,
    'NetworkNotFound',
    `Network ${net.id} could not be found.`,
  );
});

test("another project's network is not found; members cannot set admin attributes", async () => {
  const adminNet = await makeNetwork('admin-private', app.admin);
  assertNeutronError(await get(`networks/${adminNet}`), 404, 'NetworkNotFound');
  const res = await post('networks', { network: { name: 'x', 'router:external': true } });
  assert.equal(res.statusCode, 403);
});

test('bad bodies get Neutron texts', async () => {
  assertNeutronError(
    await post('networks', { network: { name: 'x', bogus: 1 } }),
    400,
    'HTTPBadRequest',
    "Unrecognized attribute(s) 'bogus'",
  );
  assertNeutronError(
    await post('networks', { network: { admin_state_up: 'maybe' } }),
    400,
    'InvalidInput',
    "Invalid input for operation: 'maybe' cannot be converted to boolean.",
  );
  assertNeutronError(
    await post('networks', { network: { name: { toString: 'x' } } }),
    400,
    'HTTPBadRequest',
  );
  assertNeutronError(await post('networks', { nope: {} }), 400, 'HTTPBadRequest');
  assertNeutronError(await get('networks?sort_key=__proto__'), 400, 'HTTPBadRequest');
});

test('a subnet gets the first address as gateway and the rest as its pool', async () => {
  const net = await makeNetwork('net-s');
  const s = await makeSubnet(net, '10.1.0.0/24');
  assert.equal(s.gateway_ip, '10.1.0.1');
  assert.deepEqual(s.allocation_pools, [{ start: '10.1.0.2', end: '10.1.0.254' }]);
  const v6 = await makeSubnet(net, '2001:db8::/64');
  assert.equal(v6.gateway_ip, '2001:db8::');
  assert.deepEqual(v6.allocation_pools, [
    { start: '2001:db8::1', end: '2001:db8::ffff:ffff:ffff:ffff' },
  ]);
  const shown = (await get(`networks/${net}`)).json().network;
  assert.deepEqual(shown.subnets, [s.id, v6.id]);
  const overlap = await post('subnets', {
    subnet: { network_id: net, cidr: '10.1.0.128/25', ip_version: 4 },
  });
  assertNeutronError(overlap, 400, 'InvalidInput');
  const conflictGw = await post('subnets', {
    subnet: {
      network_id: net,
      cidr: '10.2.0.0/24',
      ip_version: 4,
      gateway_ip: '10.2.0.5',
      allocation_pools: [{ start: '10.2.0.2', end: '10.2.0.10' }],
    },
  });
  assertNeutronError(conflictGw, 409, 'GatewayConflictWithAllocationPools');
});

test('ports take addresses from the pool once each, requested ones conflict, and return them on delete', async () => {
  const net = await makeNetwork('net-p');
  const s = await makeSubnet(net, '10.3.0.0/29');
  // Pool 10.3.0.2 - 10.3.0.6: five addresses.
  const made = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      post('ports', { port: { network_id: net, name: `p${i}` } }),
    ),
  );
  for (const r of made) assert.equal(r.statusCode, 201, r.body);
  const ips = made.map((r) => r.json().port.fixed_ips[0].ip_address).sort();
  assert.deepEqual(ips, ['10.3.0.2', '10.3.0.3', '10.3.0.4', '10.3.0.5', '10.3.0.6']);
  for (const r of made) assert.match(r.json().port.mac_address, /^fa:16:3e(:[0-9a-f]{2}){3}$/);

  assertNeutronError(
    await post('ports', { port: { network_id: net } }),
    409,
    'IpAddressGenerationFailure',
    `No more IP addresses available on network ${net}.`,
  );
  assertNeutronError(
    await post('ports', { port: { network_id: net, fixed_ips: [{ ip_address: '10.3.0.4' }] } }),
    409,
    'IpAddressAlreadyAllocated',
    `IP address 10.3.0.4 already allocated in subnet ${s.id}`,
  );
  const victim = made.find((r) => r.json().port.fixed_ips[0].ip_address === '10.3.0.4')!;
  const del = await app.t.inject({
    method: 'DELETE',
    url: `${n}/ports/${victim.json().port.id}`,
    headers: app.demo,
  });
  assert.equal(del.statusCode, 204);
  const again = await post('ports', { port: { network_id: net } });
  assert.equal(again.json().port.fixed_ips[0].ip_address, '10.3.0.4');

  assertNeutronError(
    await app.t.inject({ method: 'DELETE', url: `${n}/subnets/${s.id}`, headers: app.demo }),
    409,
    'SubnetInUse',
  );
  assertNeutronError(
    await app.t.inject({ method: 'DELETE', url: `${n}/networks/${net}`, headers: app.demo }),
    409,
    'NetworkInUse',
  );
});

test('many concurrent port creates on one subnet never share an address', async () => {
  const net = await makeNetwork('net-race');
  await makeSubnet(net, '10.4.0.0/24');
  const made = await Promise.all(
    Array.from({ length: 60 }, () => post('ports', { port: { network_id: net } })),
  );
  const ips = made.map((r) => {
    assert.equal(r.statusCode, 201, r.body);
    return r.json().port.fixed_ips[0].ip_address as string;
  });
  assert.equal(new Set(ips).size, 60);
  const stored = await app.t.db
    .selectFrom('ip_allocations')
    .select('ip_address')
    .where('network_id', '=', net)
    .execute();
  assert.equal(stored.length, 60);
});

test('lists page with limit and marker and link to the next page', async () => {
  const net = await makeNetwork('net-page');
  await makeSubnet(net, '10.5.0.0/24');
  for (let i = 0; i < 5; i++) await post('ports', { port: { network_id: net, name: `pg${i}` } });
  const first = (await get(`ports?network_id=${net}&limit=2&sort_key=name&sort_dir=asc`)).json();
  assert.deepEqual(
    first.ports.map((p: any) => p.name),
    ['pg0', 'pg1'],
  );
  const next = first.ports_links.find((l: any) => l.rel === 'next');
  assert.ok(next);
  const url = new URL(next.href);
  const second = (await get(`ports${url.search}`)).json();
  assert.deepEqual(
    second.ports.map((p: any) => p.name),
    ['pg2', 'pg3'],
  );
});

test('list queries are checked as Neutron checks them', async () => {
  assertNeutronError(
    await get('networks?bogus=1&name=x'),
    400,
    'HTTPBadRequest',
    "['bogus'] is invalid attribute for filtering",
  );
  assertNeutronError(
    await get('networks?sort_key=name'),
    400,
    'HTTPBadRequest',
    'The number of sort_keys and sort_dirs must be same',
  );
  assertNeutronError(
    await get('networks?sort_key=__proto__&sort_dir=asc'),
    400,
    'HTTPBadRequest',
    "['__proto__'] is invalid attribute for sort_keys",
  );
  assertNeutronError(
    await get('networks?sort_key=name&sort_dir=up'),
    400,
    'HTTPBadRequest',
    "['up'] is invalid value for sort_dirs, valid value is 'asc' and 'desc'",
  );
  assertNeutronError(
    await get('networks?limit=-1'),
    400,
    'BadRequest',
    "Bad limit request: Limit must be an integer 0 or greater and not '-1'.",
  );
  assertNeutronError(
    await get('networks?limit=1&marker=00000000-0000-0000-0000-000000000000'),
    404,
    'NetworkNotFound',
  );
  assertNeutronError(
    await get('networks?tenant_id=a&project_id=b'),
    400,
    'TenantIdProjectIdFilterConflict',
    'Both tenant_id and project_id passed as filters.',
  );
  const many = Array.from({ length: 1200 }, (_, i) => `name=n${i}`).join('&');
  assert.equal((await get(`networks?${many}`)).statusCode, 200);
});

test('a full page links to the next and the previous page as Neutron does', async () => {
  await makeNetwork('links-1');
  await makeNetwork('links-2');
  const body = (await get('networks?limit=1&sort_key=id&sort_dir=asc')).json();
  assert.equal(body.networks.length, 1);
  const id = body.networks[0].id;
  assert.deepEqual(
    body.networks_links.map((l: any) => [l.rel, new URL(l.href).search]),
    [
      ['next', `?limit=1&sort_key=id&sort_dir=asc&marker=${id}`],
      ['previous', `?limit=1&sort_key=id&sort_dir=asc&marker=${id}&page_reverse=True`],
    ],
  );
});

test('bulk creates answer in request order, and are all or nothing', async () => {
  const res = await post('networks', { networks: [{ name: 'bulk-1' }, {}] });
  assert.equal(res.statusCode, 201, res.body);
  const made = res.json().networks;
  assert.equal(made.length, 2);
  assert.equal(made[0].name, 'bulk-1');
  assert.equal(made[1].name, '');
  const bad = await post('networks', { networks: [{ name: 'bulk-ok' }, { mtu: 'x' }] });
  assertNeutronError(bad, 400, 'InvalidInput');
  const bad2 = await post('networks', {
    networks: [{ name: 'bulk-undo' }, { name: 'y', 'router:external': true }],
  });
  assert.equal(bad2.statusCode, 403);
  assert.deepEqual((await get('networks?name=bulk-undo')).json().networks, []);
  assertNeutronError(
    await post('networks', { networks: [] }),
    400,
    'HTTPBadRequest',
    'Resources required',
  );
});
