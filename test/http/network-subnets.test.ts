import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../helpers/app.js';

const app = useApp();
const n = '/network/v2.0';

const call = (method: string, path: string, payload?: unknown, headers = app.demo) =>
  app.t.inject({
    method: method as 'GET',
    url: `${n}/${path}`,
    headers: { ...headers, 'content-type': 'application/json' },
    ...(payload === undefined
      ? {}
      : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
  });
const post = (path: string, payload: unknown, headers = app.demo) =>
  call('POST', path, payload, headers);
const put = (path: string, payload: unknown, headers = app.demo) =>
  call('PUT', path, payload, headers);
const get = (path: string, headers = app.demo) => call('GET', path, undefined, headers);
const del = (path: string, headers = app.demo) => call('DELETE', path, undefined, headers);

async function makeNetwork(body: Record<string, unknown> = {}, headers = app.demo) {
  const res = await post('networks', { network: { name: 'n', ...body } }, headers);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().network.id as string;
}

const subnetBody = (network_id: string, cidr: string | undefined, extra = {}) => ({
  subnet: {
    network_id,
    ...(cidr === undefined ? {} : { cidr }),
    ip_version: cidr?.includes(':') ? 6 : 4,
    ...extra,
  },
});

async function makeSubnet(net: string, cidr: string | undefined, extra = {}, headers = app.demo) {
  const res = await post('subnets', subnetBody(net, cidr, extra), headers);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().subnet;
}

function fault(res: any, status: number, type: string, message?: string): void {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json().NeutronError;
  assert.equal(body.type, type, res.body);
  if (message !== undefined) assert.equal(body.message, message);
  assert.equal(body.detail, '');
}

const invalid = (reason: string) => `Invalid input for operation: ${reason}.`;

/** No subnet pool is the default of its family (start-up makes DevStack's two). */
async function clearDefaultPools(): Promise<void> {
  const pools = (await get('subnetpools?is_default=true', app.admin)).json().subnetpools;
  for (const p of pools) {
    await put(`subnetpools/${p.id}`, { subnetpool: { is_default: false } }, app.admin);
  }
}

test('create: defaults, host bits dropped, IPv6 gateway on the network address, no gateway', async () => {
  const net = await makeNetwork();
  const s = await makeSubnet(net, '10.10.0.77/24', { name: 's1' });
  assert.equal(s.cidr, '10.10.0.0/24');
  assert.equal(s.gateway_ip, '10.10.0.1');
  assert.deepEqual(s.allocation_pools, [{ start: '10.10.0.2', end: '10.10.0.254' }]);
  assert.deepEqual([s.dns_nameservers, s.host_routes, s.enable_dhcp], [[], [], true]);
  assert.deepEqual([s.ipv6_ra_mode, s.ipv6_address_mode, s.subnetpool_id], [null, null, null]);
  assert.equal(s.revision_number, 0);
  assert.ok(!('segment_id' in s));
  const v6 = await makeSubnet(net, '2001:DB8:0:5::/64');
  assert.equal(v6.cidr, '2001:db8:0:5::/64');
  assert.equal(v6.gateway_ip, '2001:db8:0:5::');
  assert.deepEqual(v6.allocation_pools, [
    { start: '2001:db8:0:5::1', end: '2001:db8:0:5:ffff:ffff:ffff:ffff' },
  ]);
  const bare = await makeSubnet(await makeNetwork(), '10.11.0.0/28', { gateway_ip: null });
  assert.equal(bare.gateway_ip, null);
  assert.deepEqual(bare.allocation_pools, [{ start: '10.11.0.1', end: '10.11.0.14' }]);
  const mid = await makeSubnet(await makeNetwork(), '10.12.0.0/29', { gateway_ip: '10.12.0.3' });
  assert.deepEqual(mid.allocation_pools, [
    { start: '10.12.0.1', end: '10.12.0.2' },
    { start: '10.12.0.4', end: '10.12.0.6' },
  ]);
  const all = await makeSubnet(await makeNetwork(), '10.13.0.0/24', {
    gateway_ip: '10.13.0.1',
    allocation_pools: [{ start: '10.13.0.3', end: '10.13.0.7' }],
    dns_nameservers: ['8.8.4.4', '8.8.8.8'],
    host_routes: [{ destination: '10.20.0.0/32', nexthop: '10.100.1.1' }],
    enable_dhcp: false,
    description: 'd',
  });
  assert.deepEqual(all.allocation_pools, [{ start: '10.13.0.3', end: '10.13.0.7' }]);
  assert.deepEqual(all.dns_nameservers, ['8.8.4.4', '8.8.8.8']);
  assert.deepEqual(all.host_routes, [{ destination: '10.20.0.0/32', nexthop: '10.100.1.1' }]);
  assert.equal(all.enable_dhcp, false);
  assert.equal((await get(`subnets?cidr=10.13.0.9/24`)).json().subnets[0].id, all.id);
});

test('a subnet as a whole is checked with Neutron types and texts', async () => {
  const net = await makeNetwork();
  const bad = async (extra: Record<string, unknown>, cidr = '10.30.0.0/24') =>
    post('subnets', subnetBody(net, cidr, extra));
  fault(
    await bad({ ip_version: 4 }, '2001:db8::/64'),
    400,
    'InvalidInput',
    invalid("cidr '2001:db8::/64' does not match the ip_version '4'"),
  );
  fault(
    await bad({ gateway_ip: '10.30.0.0' }),
    400,
    'InvalidInput',
    invalid('Gateway is not valid on subnet'),
  );
  fault(await bad({ gateway_ip: '10.30.0.255' }), 400, 'InvalidInput');
  fault(
    await bad({ gateway_ip: '2001:db8::1' }),
    400,
    'InvalidInput',
    invalid("gateway_ip '2001:db8::1' does not match the ip_version '4'"),
  );
  fault(
    await bad({ allocation_pools: [{ start: '10.30.0.9', end: '10.30.0.2' }] }),
    400,
    'InvalidAllocationPool',
    "The allocation pool {'start': '10.30.0.9', 'end': '10.30.0.2'} is not valid.",
  );
  fault(
    await bad({ allocation_pools: [{ start: '10.30.0.200', end: '10.30.0.255' }] }),
    400,
    'OutOfBoundsAllocationPool',
    'The allocation pool 10.30.0.200-10.30.0.255 spans beyond the subnet cidr 10.30.0.0/24.',
  );
  fault(
    await bad({
      allocation_pools: [
        { start: '10.30.0.10', end: '10.30.0.20' },
        { start: '10.30.0.15', end: '10.30.0.30' },
      ],
    }),
    409,
    'OverlappingAllocationPools',
    'Found overlapping allocation pools: 10.30.0.10-10.30.0.20 10.30.0.15-10.30.0.30 for subnet 10.30.0.0/24.',
  );
  fault(
    await bad({
      gateway_ip: '10.30.0.5',
      allocation_pools: [{ start: '10.30.0.2', end: '10.30.0.9' }],
    }),
    409,
    'GatewayConflictWithAllocationPools',
    'Gateway ip 10.30.0.5 conflicts with allocation pool 10.30.0.2-10.30.0.9.',
  );
  fault(
    await bad({
      dns_nameservers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5', '1.1.1.6'],
    }),
    400,
    'DNSNameServersExhausted',
    'Unable to complete operation for new subnet. The number of DNS nameservers exceeds the limit 5.',
  );
  const routes = Array.from({ length: 21 }, (_, i) => ({
    destination: `10.99.${i}.0/24`,
    nexthop: '10.30.0.1',
  }));
  fault(
    await bad({ host_routes: routes }),
    400,
    'HostRoutesExhausted',
    'Unable to complete operation for new subnet. The number of host routes exceeds the limit 20.',
  );
  fault(
    await bad({ dns_nameservers: ['2001:db8::53'] }),
    400,
    'InvalidInput',
    invalid("dns_nameserver '2001:db8::53' does not match the ip_version '4'"),
  );
  fault(
    await bad({ ipv6_ra_mode: 'slaac' }),
    400,
    'InvalidInput',
    invalid('ipv6_ra_mode is not valid when ip_version is 4'),
  );
  fault(
    await bad({ ipv6_ra_mode: 'slaac', ipv6_address_mode: 'dhcpv6-stateful' }, '2001:db8:1::/64'),
    400,
    'InvalidInput',
    invalid(
      "ipv6_ra_mode set to 'slaac' with ipv6_address_mode set to 'dhcpv6-stateful' is not valid. If both attributes are set, they must be the same value",
    ),
  );
  fault(
    await bad({ ipv6_address_mode: 'slaac', enable_dhcp: false }, '2001:db8:1::/64'),
    400,
    'InvalidInput',
    invalid('ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False'),
  );
  fault(
    await bad({ ipv6_address_mode: 'slaac' }, '2001:db8:1::/80'),
    400,
    'InvalidInput',
    invalid(
      'Invalid CIDR 2001:db8:1::/80 for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64',
    ),
  );
  fault(
    await bad({}, '10.30.0.0/31'),
    400,
    'InvalidInput',
    invalid('Subnet has a prefix length that is incompatible with DHCP service enabled'),
  );
  fault(
    await bad({}, '127.0.10.0/24'),
    400,
    'InvalidInput',
    invalid('Loopback IP subnet is not supported if enable_dhcp is True'),
  );
  fault(
    await bad({}, '224.0.0.0/24'),
    400,
    'InvalidInput',
    invalid('Multicast IP subnet is not supported if enable_dhcp is True'),
  );
  fault(
    await bad({ enable_dhcp: false, gateway_ip: null }, '0.0.0.0/0'),
    400,
    'InvalidInput',
    invalid('0 is not allowed as CIDR prefix length'),
  );
  fault(
    await bad({ prefixlen: 24 }),
    400,
    'BadRequest',
    'Bad subnets request: cidr and prefixlen must not be supplied together.',
  );
  fault(
    await post('subnets', { subnet: { network_id: net, ip_version: 4 } }),
    400,
    'BadRequest',
    'Bad subnets request: a subnetpool must be specified in the absence of a cidr.',
  );
  await clearDefaultPools();
  fault(
    await post('subnets', {
      subnet: { network_id: net, ip_version: 4, use_default_subnetpool: true },
    }),
    400,
    'BadRequest',
    'Bad subnets request: No default subnetpool found for IPv4.',
  );
  await makeSubnet(net, '10.30.0.0/24');
  fault(
    await bad({}, '10.30.0.128/25'),
    400,
    'InvalidInput',
    invalid(
      `Requested subnet with cidr: 10.30.0.128/25 for network: ${net} overlaps with another subnet`,
    ),
  );
});

test('attribute values are refused with the validator texts', async () => {
  const net = await makeNetwork();
  const bad = (extra: Record<string, unknown>) =>
    post('subnets', subnetBody(net, '10.31.0.0/24', extra));
  fault(await bad({ cidr: 'nope' }), 400, 'InvalidInput', invalid('nope is not in a CIDR format'));
  fault(
    await bad({ gateway_ip: '010.31.0.1' }),
    400,
    'HTTPBadRequest',
    "Invalid input for gateway_ip. Reason: '010.31.0.1' is not an accepted IP address, '10.31.0.1' is recommended.",
  );
  fault(
    await bad({ dns_nameservers: ['8.8.8.8', '8.8.8.8'] }),
    400,
    'HTTPBadRequest',
    "Invalid input for dns_nameservers. Reason: Duplicate nameserver '8.8.8.8'.",
  );
  fault(
    await bad({ dns_nameservers: 'x' }),
    400,
    'HTTPBadRequest',
    "Invalid input for dns_nameservers. Reason: 'x' is not a valid nameserver. 'x' is not a valid IP address.",
  );
  fault(
    await bad({ host_routes: [{ destination: '10.0.0.1/8', nexthop: '10.31.0.1' }] }),
    400,
    'HTTPBadRequest',
    "Invalid input for host_routes. Reason: '10.0.0.1/8' is not a recognized CIDR, '10.0.0.0/8' is recommended.",
  );
  fault(
    await bad({ allocation_pools: [{ start: '10.31.0.2' }] }),
    400,
    'HTTPBadRequest',
    "Invalid input for allocation_pools. Reason: Validation of dictionary's keys failed. Expected keys: {'end', 'start'} Provided keys: {'start'}.",
  );
  fault(
    await bad({ ipv6_ra_mode: 'fast' }),
    400,
    'HTTPBadRequest',
    'Invalid input for ipv6_ra_mode. Reason: fast is not in valid_values.',
  );
  fault(
    await bad({ segment_id: null }),
    400,
    'HTTPBadRequest',
    "Unrecognized attribute(s) 'segment_id'",
  );
  fault(
    await bad({ service_types: ['compute:nova'] }),
    403,
    'PolicyNotAuthorized',
    '(rule:create_subnet and rule:create_subnet:service_types) is disallowed by policy',
  );
});

test('updates: writable attributes, gateway against the pools, read-only ones refused', async () => {
  const net = await makeNetwork();
  const s = await makeSubnet(net, '10.40.0.0/24', {
    allocation_pools: [{ start: '10.40.0.3', end: '10.40.0.7' }],
  });
  const res = await put(`subnets/${s.id}`, {
    subnet: {
      name: 'New_subnet',
      gateway_ip: '10.40.0.2',
      dns_nameservers: ['7.8.8.8', '7.8.4.4'],
      host_routes: [{ destination: '10.20.0.0/32', nexthop: '10.100.1.2' }],
      enable_dhcp: true,
    },
  });
  assert.equal(res.statusCode, 200, res.body);
  const u = res.json().subnet;
  assert.equal(u.gateway_ip, '10.40.0.2');
  assert.deepEqual(u.dns_nameservers, ['7.8.8.8', '7.8.4.4']);
  assert.equal(u.revision_number, 1);
  fault(
    await put(`subnets/${s.id}`, { subnet: { gateway_ip: '10.40.0.5' } }),
    409,
    'GatewayConflictWithAllocationPools',
    'Gateway ip 10.40.0.5 conflicts with allocation pool 10.40.0.3-10.40.0.7.',
  );
  const pools = await put(`subnets/${s.id}`, {
    subnet: { allocation_pools: [{ start: '10.40.0.100', end: '10.40.0.101' }] },
  });
  assert.deepEqual(pools.json().subnet.allocation_pools, [
    { start: '10.40.0.100', end: '10.40.0.101' },
  ]);
  const port = await post('ports', { port: { network_id: net } });
  assert.equal(port.json().port.fixed_ips[0].ip_address, '10.40.0.100');
  fault(
    await put(`subnets/${s.id}`, { subnet: { cidr: '10.41.0.0/24' } }),
    400,
    'HTTPBadRequest',
    'Cannot update read-only attribute cidr',
  );
  fault(
    await put(`subnets/${s.id}`, {
      subnet: {
        dns_nameservers: ['1.0.0.1', '1.0.0.2', '1.0.0.3', '1.0.0.4', '1.0.0.5', '1.0.0.6'],
      },
    }),
    400,
    'DNSNameServersExhausted',
    `Unable to complete operation for ${s.id}. The number of DNS nameservers exceeds the limit 5.`,
  );
  fault(
    await put(`subnets/${s.id}`, { subnet: { ipv6_ra_mode: 'slaac' } }),
    400,
    'HTTPBadRequest',
    'Cannot update read-only attribute ipv6_ra_mode',
  );
});

test('a router port on the gateway keeps the gateway and the subnet', async () => {
  const net = await makeNetwork();
  const s = await makeSubnet(net, '10.42.0.0/24');
  const port = await post('ports', {
    port: {
      network_id: net,
      device_owner: 'network:router_interface',
      fixed_ips: [{ subnet_id: s.id, ip_address: '10.42.0.1' }],
    },
  });
  assert.equal(port.statusCode, 201, port.body);
  const portId = port.json().port.id;
  fault(
    await put(`subnets/${s.id}`, { subnet: { gateway_ip: '10.42.0.254' } }),
    409,
    'GatewayIpInUse',
    `Current gateway ip 10.42.0.1 already in use by port ${portId}. Unable to update.`,
  );
  fault(
    await del(`subnets/${s.id}`),
    409,
    'SubnetInUse',
    `Unable to complete operation on subnet ${s.id}: One or more ports have an IP allocation from this subnet.`,
  );
});

test('visibility: subnets of shared networks yes, of an external network no, others 404', async () => {
  const ext = await makeNetwork({ 'router:external': true }, app.admin);
  const extSub = await makeSubnet(ext, '172.31.0.0/24', { enable_dhcp: false }, app.admin);
  const shared = await makeNetwork({ shared: true }, app.admin);
  const sharedSub = await makeSubnet(shared, '172.30.0.0/24', {}, app.admin);
  const priv = await makeNetwork({}, app.admin);
  const privSub = await makeSubnet(priv, '172.29.0.0/24', {}, app.admin);
  assert.deepEqual((await get(`subnets?network_id=${ext}`)).json().subnets, []);
  assert.equal((await get(`subnets?network_id=${shared}`)).json().subnets.length, 1);
  const sharedOnly = (await get('subnets?shared=True')).json().subnets;
  assert.ok(sharedOnly.length > 0 && sharedOnly.every((x: any) => x.network_id === shared));
  fault(
    await get(`subnets/${extSub.id}`),
    404,
    'SubnetNotFound',
    `Subnet ${extSub.id} could not be found.`,
  );
  fault(await get(`subnets/${privSub.id}`), 404, 'SubnetNotFound');
  assert.equal((await get(`subnets/${sharedSub.id}`)).statusCode, 200);
  fault(
    await put(`subnets/${sharedSub.id}`, { subnet: { name: 'x' } }),
    403,
    'PolicyNotAuthorized',
    'rule:update_subnet is disallowed by policy',
  );
  fault(
    await del(`subnets/${sharedSub.id}`),
    403,
    'PolicyNotAuthorized',
    'rule:delete_subnet is disallowed by policy',
  );
  fault(await put(`subnets/${privSub.id}`, { subnet: { name: 'x' } }), 404, 'SubnetNotFound');
  const proj = (await get('networks?fields=project_id')).json();
  assert.ok(proj);
  fault(
    await post('subnets', subnetBody(ext, '172.28.0.0/24')),
    403,
    'HTTPForbidden',
    `Tenant ${app.demoProject} not allowed to create subnet on this network`,
  );
  fault(await post('subnets', subnetBody(priv, '172.28.0.0/24')), 404, 'NetworkNotFound');
  fault(
    await post('subnets', subnetBody(shared, '172.30.1.0/24')),
    403,
    'PolicyNotAuthorized',
    'rule:create_subnet is disallowed by policy',
  );
  const own = await makeNetwork();
  const mine = await makeSubnet(own, '172.30.1.0/24');
  const adminsOnMine = await makeSubnet(own, '172.30.2.0/24', {}, app.admin);
  fault(await get(`subnets/${adminsOnMine.id}`), 404, 'SubnetNotFound');
  assert.equal((await del(`subnets/${mine.id}`)).statusCode, 204);
});

test('SLAAC: ports take the EUI-64 of their MAC, the subnet goes while ports use it', async () => {
  const net = await makeNetwork();
  const before = (await post('ports', { port: { network_id: net } })).json().port;
  assert.deepEqual(before.fixed_ips, []);
  const s = await makeSubnet(net, '2001:db8:7::/64', {
    gateway_ip: '2001:db8:7::1',
    ipv6_ra_mode: 'slaac',
    ipv6_address_mode: 'slaac',
  });
  const port = await post('ports', { port: { network_id: net, mac_address: 'fa:16:3e:12:34:56' } });
  assert.equal(port.statusCode, 201, port.body);
  assert.deepEqual(port.json().port.fixed_ips, [
    { subnet_id: s.id, ip_address: '2001:db8:7:0:f816:3eff:fe12:3456' },
  ]);
  const old = (await get(`ports/${before.id}`)).json().port;
  assert.equal(old.fixed_ips.length, 1, 'a port already on the network gets its address too');
  const stateless = await makeSubnet(await makeNetwork(), '2001:db8:8::/64', {
    ipv6_address_mode: 'dhcpv6-stateless',
    ipv6_ra_mode: 'dhcpv6-stateless',
    gateway_ip: null,
  });
  assert.equal(stateless.gateway_ip, null);
  assert.equal((await del(`subnets/${s.id}`)).statusCode, 204);
  assert.deepEqual((await get(`ports/${port.json().port.id}`)).json().port.fixed_ips, []);
  fault(await get(`subnets/${s.id}`), 404, 'SubnetNotFound');
  const gone = await del(`networks/${net}`);
  fault(gone, 409, 'NetworkInUse');
  assert.match(
    gone.json().NeutronError.message,
    /There are one or more ports still in use on the network/,
  );
});

test('bulk create: all in request order, or none', async () => {
  const a = await makeNetwork();
  const b = await makeNetwork();
  const res = await post('subnets', {
    subnets: [
      { network_id: a, cidr: '10.50.0.0/28', ip_version: 4, name: 'first' },
      { network_id: b, cidr: '10.50.0.16/28', ip_version: 4 },
    ],
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(
    res.json().subnets.map((s: any) => [s.network_id, s.name]),
    [
      [a, 'first'],
      [b, ''],
    ],
  );
  const c = await makeNetwork();
  const failed = await post('subnets', {
    subnets: [
      { network_id: c, cidr: '10.51.0.0/28', ip_version: 4 },
      { network_id: c, cidr: '10.51.0.0/29', ip_version: 4 },
    ],
  });
  fault(failed, 400, 'InvalidInput');
  assert.deepEqual((await get(`subnets?network_id=${c}`)).json().subnets, []);
  fault(await post('subnets', { subnets: [] }), 400, 'HTTPBadRequest', 'Resources required');
});

test('subnet pools: create, show, list, update, allocate, delete', async () => {
  const res = await post('subnetpools', {
    subnetpool: { name: 'pool', prefixes: ['1.0.0.0/16', '2.0.0.0/16', '1.0.128.0/17'] },
  });
  assert.equal(res.statusCode, 201, res.body);
  const p = res.json().subnetpool;
  assert.deepEqual(p.prefixes, ['1.0.0.0/16', '2.0.0.0/16']);
  assert.deepEqual(
    [p.ip_version, p.min_prefixlen, p.max_prefixlen, p.default_prefixlen],
    [4, 8, 32, 8],
  );
  assert.deepEqual(
    [p.shared, p.is_default, p.default_quota, p.address_scope_id],
    [false, false, null, null],
  );
  assert.equal((await get(`subnetpools/${p.id}`)).json().subnetpool.name, 'pool');
  assert.ok((await get('subnetpools')).json().subnetpools.some((x: any) => x.id === p.id));
  const renamed = await put(`subnetpools/${p.id}`, {
    subnetpool: { name: 'pool2', default_prefixlen: 24 },
  });
  assert.equal(renamed.statusCode, 200, renamed.body);
  assert.deepEqual(
    [renamed.json().subnetpool.name, renamed.json().subnetpool.default_prefixlen],
    ['pool2', 24],
  );

  const net = await makeNetwork();
  const one = await makeSubnet(net, undefined, { subnetpool_id: p.id });
  assert.deepEqual([one.cidr, one.gateway_ip, one.subnetpool_id], ['1.0.0.0/24', '1.0.0.1', p.id]);
  const two = await makeSubnet(await makeNetwork(), undefined, {
    subnetpool_id: p.id,
    prefixlen: 25,
  });
  assert.equal(two.cidr, '1.0.1.0/25');
  const three = await makeSubnet(await makeNetwork(), '2.0.5.0/24', { subnetpool_id: p.id });
  assert.equal(three.cidr, '2.0.5.0/24');
  fault(
    await post('subnets', subnetBody(await makeNetwork(), '3.0.0.0/24', { subnetpool_id: p.id })),
    409,
    'SubnetAllocationError',
    'Failed to allocate subnet: Cannot allocate requested subnet from the available set of prefixes.',
  );
  fault(
    await post('subnets', {
      subnet: { network_id: net, ip_version: 4, subnetpool_id: p.id, prefixlen: 33 },
    }),
    400,
    'MaxPrefixSubnetAllocationError',
    'Unable to allocate subnet with prefix length 33, maximum allowed prefix is 32.',
  );
  fault(
    await post('subnets', {
      subnet: { network_id: net, ip_version: 4, subnetpool_id: p.id, prefixlen: 7 },
    }),
    400,
    'MinPrefixSubnetAllocationError',
    'Unable to allocate subnet with prefix length 7, minimum allowed prefix is 8.',
  );
  fault(
    await post('subnets', { subnet: { network_id: net, ip_version: 6, subnetpool_id: p.id } }),
    400,
    'BadRequest',
    'Bad subnets request: Cannot allocate IPv6 subnet from IPv4 subnet pool.',
  );
  fault(
    await post('subnets', subnetBody(net, '9.0.0.0/24')),
    400,
    'NetworkSubnetPoolAffinityError',
    'Subnets hosted on the same network must be allocated from the same subnet pool.',
  );
  fault(
    await put(`subnetpools/${p.id}`, { subnetpool: { prefixes: ['1.0.0.0/16'] } }),
    400,
    'IllegalSubnetPoolPrefixUpdate',
    'Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes.',
  );
  fault(
    await del(`subnetpools/${p.id}`),
    400,
    'SubnetPoolDeleteError',
    'Unable to delete subnet pool: Subnet pool has existing allocations.',
  );
  for (const s of [one, two, three]) assert.equal((await del(`subnets/${s.id}`)).statusCode, 204);
  assert.equal((await del(`subnetpools/${p.id}`)).statusCode, 204);
  fault(
    await get(`subnetpools/${p.id}`),
    404,
    'SubnetPoolNotFound',
    `Subnet pool ${p.id} could not be found.`,
  );
});

test('subnet pool rules: prefixes, bounds, defaults and who may set what', async () => {
  const make = (body: Record<string, unknown>, headers = app.demo) =>
    post('subnetpools', { subnetpool: { name: 'p', ...body } }, headers);
  fault(
    await make({ prefixes: [] }),
    400,
    'EmptySubnetPoolPrefixList',
    'Empty subnet pool prefix list.',
  );
  fault(
    await make({ prefixes: ['10.0.0.0/8', '2001:db8::/32'] }),
    400,
    'PrefixVersionMismatch',
    'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.',
  );
  fault(
    await make({ prefixes: ['10.0.0.0/8'], min_prefixlen: 24, max_prefixlen: 16 }),
    400,
    'IllegalSubnetPoolPrefixBounds',
    'Illegal prefix bounds: min_prefixlen=24, max_prefixlen=16.',
  );
  fault(
    await make({ prefixes: ['10.0.0.0/8'], max_prefixlen: 40 }),
    400,
    'IllegalSubnetPoolPrefixBounds',
    'Illegal prefix bounds: max_prefixlen=40, ip_version_max=32.',
  );
  fault(
    await make({ prefixes: ['10.0.0.0/8'], default_prefixlen: 4 }),
    400,
    'IllegalSubnetPoolPrefixBounds',
    'Illegal prefix bounds: default_prefixlen=4, min_prefixlen=8.',
  );
  fault(
    await post('subnetpools', { subnetpool: { prefixes: ['10.0.0.0/8'] } }),
    400,
    'HTTPBadRequest',
    "Failed to parse request. Required attribute 'name' not specified",
  );
  fault(
    await make({ prefixes: ['10.0.0.0/8', '10.0.0.0/8'] }),
    400,
    'HTTPBadRequest',
    "Invalid input for prefixes. Reason: Duplicate items in the list: '10.0.0.0/8'.",
  );
  fault(
    await make({ prefixes: ['10.0.0.1'] }),
    400,
    'HTTPBadRequest',
    "Invalid input for prefixes. Reason: '10.0.0.1' isn't a recognized IP subnet cidr, '10.0.0.1/32' is recommended.",
  );
  fault(
    await make({ prefixes: 'x' }),
    400,
    'HTTPBadRequest',
    "Invalid input for prefixes. Reason: 'x' is not a list.",
  );
  fault(
    await make({ prefixes: ['10.0.0.0/8'], is_default: true }),
    403,
    'PolicyNotAuthorized',
    '(rule:create_subnetpool and rule:create_subnetpool:is_default) is disallowed by policy',
  );
  await clearDefaultPools();
  const v6 = await make({ prefixes: ['2001:db8::/32'], is_default: true, shared: true }, app.admin);
  assert.equal(v6.statusCode, 201, v6.body);
  assert.deepEqual(
    [v6.json().subnetpool.min_prefixlen, v6.json().subnetpool.max_prefixlen],
    [64, 128],
  );
  fault(
    await make({ prefixes: ['2001:db9::/32'], is_default: true }, app.admin),
    400,
    'InvalidInput',
    invalid(
      'A default subnetpool for this IP family has already been set. Only one default may exist per IP family',
    ),
  );
  const net = await makeNetwork();
  const s = await makeSubnet(net, undefined, { ip_version: 6, use_default_subnetpool: true });
  assert.equal(s.cidr, '2001:db8::/64');
  assert.equal(s.gateway_ip, '2001:db8::1');
  fault(
    await put(`subnetpools/${v6.json().subnetpool.id}`, { subnetpool: { name: 'mine' } }),
    403,
    'PolicyNotAuthorized',
    'rule:update_subnetpool is disallowed by policy',
  );
  assert.equal((await del(`subnets/${s.id}`)).statusCode, 204);
  assert.equal((await del(`subnetpools/${v6.json().subnetpool.id}`, app.admin)).statusCode, 204);
});

test('hostile input gets exact 4xx answers', async () => {
  const net = await makeNetwork();
  const deep = '{"subnet":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
  assert.equal((await post('subnets', deep)).statusCode, 400);
  fault(
    await post('subnets', '{"subnet": {"__proto__": {"isAdmin": true}}}'),
    400,
    'HTTPBadRequest',
  );
  fault(
    await post('subnets', subnetBody(net, '10.60.0.0/24', { name: { toString: 'x' } })),
    400,
    'HTTPBadRequest',
    "Invalid input for name. Reason: '{'toString': 'x'}' is not a valid string.",
  );
  fault(
    await post('subnets', subnetBody(net, '10.60.0.0/24', { gateway_ip: { toString: 'x' } })),
    400,
    'HTTPBadRequest',
    "Invalid input for gateway_ip. Reason: '{'toString': 'x'}' is not a valid IP address.",
  );
  fault(
    await post('subnets', { subnet: { network_id: net, cidr: { toString: 'x' }, ip_version: 4 } }),
    400,
    'InvalidInput',
  );
  fault(
    await post('subnets', subnetBody(net, '10.60.0.0/24', { ip_version: 4e300 })),
    400,
    'InvalidInput',
  );
  fault(
    await post(
      'subnets',
      `{"subnet": {"network_id": "${net}", "ip_version": 4, "prefixlen": 99999999999999999999}}`,
    ),
    400,
    'InvalidInput',
  );
  fault(
    await post('subnets', subnetBody(net, '10.60.0.0/24', { dns_nameservers: 5 })),
    400,
    'HTTPBadRequest',
  );
  fault(
    await post('subnets', subnetBody(net, '10.60.0.0/24', { host_routes: [null] })),
    400,
    'HTTPBadRequest',
  );
  fault(
    await post('subnets', subnetBody(net, '10.60.0.0/24', { allocation_pools: null })),
    400,
    'HTTPBadRequest',
  );
  fault(
    await post('subnets', { subnet: { network_id: null, cidr: '10.60.0.0/24', ip_version: 4 } }),
    400,
    'HTTPBadRequest',
  );
  fault(
    await post('subnets', { subnet: null }),
    400,
    'HTTPBadRequest',
    "Object 'subnet' contains invalid data",
  );
  fault(
    await post('subnets', subnetBody(net, '10.60.0.0/24', { constructor: 1 })),
    400,
    'HTTPBadRequest',
  );
  fault(
    await post('subnetpools', { subnetpool: { name: 'p', prefixes: [{ toString: 'x' }] } }),
    400,
    'HTTPBadRequest',
  );
  fault(
    await post('subnetpools', { subnetpool: { name: 'p', prefixes: null } }),
    400,
    'HTTPBadRequest',
  );
  fault(
    await post('subnetpools', {
      subnetpool: { name: 'p', prefixes: ['10.0.0.0/8'], min_prefixlen: 1e300 },
    }),
    400,
    'InvalidInput',
  );
  fault(
    await put(`subnetpools/${'x'.repeat(40)}`, { subnetpool: { name: null } }),
    400,
    'HTTPBadRequest',
  );
  fault(await get('subnets?__proto__=1'), 400, 'HTTPBadRequest');
  fault(await get('subnetpools?sort_key=constructor&sort_dir=asc'), 400, 'HTTPBadRequest');
  fault(await get(`subnets/${'x'.repeat(40)}`), 404, 'SubnetNotFound');
  fault(await del(`subnetpools/nope`), 404, 'SubnetPoolNotFound');
});
