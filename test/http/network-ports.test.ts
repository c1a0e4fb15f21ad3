import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { addAutoAddresses, eui64 } from '../../src/services/network/port-ips.js';
import { useApp } from '../helpers/app.js';

const app = useApp();
const n = '/network/v2.0';

type Headers = Record<string, string>;
const post = (path: string, payload: unknown, headers: Headers = app.demo) =>
  app.t.inject({ method: 'POST', url: `${n}/${path}`, headers, payload: payload as object });
const put = (path: string, payload: unknown, headers: Headers = app.demo) =>
  app.t.inject({ method: 'PUT', url: `${n}/${path}`, headers, payload: payload as object });
const get = (path: string, headers: Headers = app.demo) =>
  app.t.inject({ method: 'GET', url: `${n}/${path}`, headers });
const del = (path: string, headers: Headers = app.demo) =>
  app.t.inject({ method: 'DELETE', url: `${n}/${path}`, headers });

async function makeNetwork(extra = {}, headers = app.demo): Promise<string> {
  const res = await post('networks', { network: { name: 'n', ...extra } }, headers);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().network.id;
}

async function makeSubnet(net: string, cidr: string, extra = {}, headers = app.demo) {
  const body = { network_id: net, cidr, ip_version: cidr.includes(':') ? 6 : 4, ...extra };
  const res = await post('subnets', { subnet: body }, headers);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().subnet.id as string;
}

async function makePort(port: Record<string, unknown>, headers = app.demo): Promise<any> {
  const res = await post('ports', { port }, headers);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().port;
}

function assertError(res: any, status: number, type: string, message?: string): void {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json().NeutronError;
  assert.equal(body.type, type, res.body);
  if (message !== undefined) assert.equal(body.message, message);
  assert.equal(body.detail, '');
}

const ips = (p: any) => p.fixed_ips.map((f: any) => f.ip_address);

test('a port is created as Neutron shows an unbound port, and show equals create', async () => {
  const net = await makeNetwork();
  const port = await makePort({ network_id: net, name: 'p1' });
  assert.equal(port.status, 'DOWN');
  assert.equal(port.admin_state_up, true);
  assert.deepEqual(port.fixed_ips, []);
  assert.equal(port.device_id, '');
  assert.equal(port.device_owner, '');
  assert.equal(port.port_security_enabled, true);
  assert.equal(port.security_groups.length, 1, 'the project default group');
  assert.deepEqual(port.allowed_address_pairs, []);
  assert.deepEqual(port.extra_dhcp_opts, []);
  assert.equal(port.revision_number, 0);
  assert.equal(port.project_id, app.demoProject);
  assert.equal(port.tenant_id, app.demoProject);
  assert.equal(port['binding:vnic_type'], 'normal');
  assert.match(port.mac_address, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
  for (const k of ['binding:host_id', 'binding:vif_type', 'binding:vif_details', 'binding:profile'])
    assert.ok(!(k in port), `${k} is for admins`);
  assert.deepEqual((await get(`ports/${port.id}`)).json().port, port);
  const fields = (await get(`ports/${port.id}?fields=id&fields=mac_address`)).json().port;
  assert.deepEqual(fields, { id: port.id, mac_address: port.mac_address });

  const adminPort = (await post('ports', { port: { network_id: net } }, app.admin)).json().port;
  assert.equal(adminPort['binding:host_id'], '');
  assert.equal(adminPort['binding:vif_type'], 'unbound');
  assert.deepEqual(adminPort['binding:vif_details'], {});
  assert.deepEqual(adminPort['binding:profile'], {});
  assert.deepEqual((await get(`ports/${adminPort.id}`, app.admin)).json().port, adminPort);
});

test('fixed IPs are refused with Neutron texts', async () => {
  const net = await makeNetwork();
  const other = await makeNetwork();
  const s = await makeSubnet(net, '10.20.0.0/24');
  const foreign = await makeSubnet(other, '10.21.0.0/24');
  const bad = (fixed_ips: unknown) => post('ports', { port: { network_id: net, fixed_ips } });
  assertError(
    await bad([{ subnet_id: foreign }]),
    400,
    'InvalidInput',
    `Invalid input for operation: Failed to create port on network ${net}, because fixed_ips included invalid subnet ${foreign}.`,
  );
  const missing = randomUUID();
  assertError(
    await bad([{ subnet_id: missing }]),
    404,
    'SubnetNotFound',
    `Subnet ${missing} could not be found.`,
  );
  assertError(
    await bad([{ subnet_id: s, ip_address: '10.99.0.5' }]),
    400,
    'InvalidIpForSubnet',
    'IP address 10.99.0.5 is not a valid IP for the specified subnet.',
  );
  assertError(
    await bad([{ subnet_id: s, ip_address: '10.20.0.255' }]),
    400,
    'InvalidIpForSubnet',
    'IP address 10.20.0.255 is not a valid IP for the specified subnet.',
  );
  assertError(
    await bad([{ ip_address: '10.99.0.5' }]),
    400,
    'InvalidIpForNetwork',
    'IP address 10.99.0.5 is not a valid IP for any of the subnets on the specified network.',
  );
  assertError(
    await bad([{}]),
    400,
    'InvalidInput',
    'Invalid input for operation: IP allocation requires subnet_id or ip_address.',
  );
  assertError(
    await bad([{ ip_address: '10.20.0.5' }, { ip_address: '10.20.0.5' }]),
    400,
    'HTTPBadRequest',
    "Invalid input for fixed_ips. Reason: Duplicate IP address '10.20.0.5'.",
  );
  assertError(
    await bad(null),
    400,
    'HTTPBadRequest',
    "Invalid input for fixed_ips. Reason: Invalid data format for fixed IP: 'None'.",
  );
  const empty = await makeNetwork();
  assertError(
    await post('ports', { port: { network_id: empty, fixed_ips: [{ subnet_id: s }] } }),
    400,
    'InvalidInput',
    'Invalid input for operation: IP allocation requires subnets for network.',
  );
  await makePort({ network_id: net, fixed_ips: [{ ip_address: '10.20.0.7' }] });
  assertError(
    await bad([{ subnet_id: s, ip_address: '10.20.0.7' }]),
    409,
    'IpAddressAlreadyAllocated',
    `IP address 10.20.0.7 already allocated in subnet ${s}`,
  );
  // Outside the pool but inside the subnet is allowed, as in Neutron.
  const gwPool = await makeSubnet(await makeNetwork(), '10.22.0.0/29', {
    allocation_pools: [{ start: '10.22.0.2', end: '10.22.0.3' }],
  });
  const gwNet = (await get(`subnets/${gwPool}`)).json().subnet.network_id;
  const outside = await makePort({ network_id: gwNet, fixed_ips: [{ ip_address: '10.22.0.6' }] });
  assert.deepEqual(outside.fixed_ips, [{ subnet_id: gwPool, ip_address: '10.22.0.6' }]);
  await makePort({ network_id: gwNet, fixed_ips: [{ subnet_id: gwPool }] });
  await makePort({ network_id: gwNet, fixed_ips: [{ subnet_id: gwPool }] });
  assertError(
    await post('ports', { port: { network_id: gwNet, fixed_ips: [{ subnet_id: gwPool }] } }),
    409,
    'IpAddressGenerationFailure',
    `No more IP addresses available on network ${gwNet}.`,
  );
});

test('address choice: one IPv4 address by default, several on request, none for []', async () => {
  const net = await makeNetwork();
  const s1 = await makeSubnet(net, '10.30.0.0/24');
  const s2 = await makeSubnet(net, '10.31.0.0/24');
  const one = await makePort({ network_id: net });
  assert.equal(one.fixed_ips.length, 1);
  assert.equal(one.fixed_ips[0].subnet_id, s1);
  const two = await makePort({
    network_id: net,
    fixed_ips: [{ subnet_id: s1 }, { subnet_id: s2 }],
  });
  assert.deepEqual(
    two.fixed_ips.map((f: any) => f.subnet_id),
    [s1, s2],
  );
  const none = await makePort({ network_id: net, fixed_ips: [] });
  assert.deepEqual(none.fixed_ips, []);
});

test('an IPv6 SLAAC subnet gives each port the EUI-64 address of its MAC', async () => {
  const net = await makeNetwork();
  const s = await makeSubnet(net, '2001:db8:5::/64', {
    ipv6_ra_mode: 'slaac',
    ipv6_address_mode: 'slaac',
  });
  const port = await makePort({ network_id: net, mac_address: 'fa:16:3e:12:34:56' });
  assert.deepEqual(port.fixed_ips, [
    { subnet_id: s, ip_address: '2001:db8:5:0:f816:3eff:fe12:3456' },
  ]);
  assertError(
    await post('ports', {
      port: { network_id: net, fixed_ips: [{ subnet_id: s, ip_address: '2001:db8:5::9' }] },
    }),
    400,
    'AllocationOnAutoAddressSubnet',
    `IPv6 address 2001:db8:5::9 cannot be directly assigned to a port on subnet ${s} as the subnet is configured for automatic addresses`,
  );
});

test('updating fixed IPs changes only what changed; a kept address keeps its allocation', async () => {
  const net = await makeNetwork();
  const s1 = await makeSubnet(net, '10.40.0.0/24');
  const s2 = await makeSubnet(net, '10.41.0.0/24');
  const port = await makePort({
    network_id: net,
    fixed_ips: [{ ip_address: '10.40.0.50' }, { subnet_id: s2 }],
  });
  const [a, b] = ips(port);
  assert.equal(a, '10.40.0.50');
  // {subnet_id} alone keeps the address the port has there (not the lowest free one).
  let res = await put(`ports/${port.id}`, { port: { fixed_ips: [{ subnet_id: s1 }] } });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(ips(res.json().port), [a]);
  assert.equal(res.json().port.revision_number, 1);
  // b went back to the pool: the next port on s2 gets it.
  const next = await makePort({ network_id: net, fixed_ips: [{ subnet_id: s2 }] });
  assert.deepEqual(ips(next), [b]);
  res = await put(`ports/${port.id}`, {
    port: { fixed_ips: [{ subnet_id: s1 }, { subnet_id: s2 }] },
  });
  assert.equal(res.json().port.fixed_ips.length, 2);
  assert.equal(ips(res.json().port)[0], a);
  res = await put(`ports/${port.id}`, {
    port: { fixed_ips: [{ ip_address: a }, { ip_address: '10.40.0.60' }] },
  });
  assert.deepEqual(ips(res.json().port), [a, '10.40.0.60']);
  // A refused update changes nothing.
  assertError(
    await put(`ports/${port.id}`, { port: { fixed_ips: [{ ip_address: ips(next)[0] }] } }),
    409,
    'IpAddressAlreadyAllocated',
  );
  assert.deepEqual(ips((await get(`ports/${port.id}`)).json().port), [a, '10.40.0.60']);
  res = await put(`ports/${port.id}`, { port: { fixed_ips: [] } });
  assert.deepEqual(res.json().port.fixed_ips, []);
  await makePort({ network_id: net, fixed_ips: [{ ip_address: a }] });
});

test('security groups on ports: checked, replaced, and refused without port security', async () => {
  const net = await makeNetwork();
  await makeSubnet(net, '10.50.0.0/24');
  const plain = await makePort({ network_id: net });
  const mine = plain.security_groups[0];
  const theirs = (await makePort({ network_id: await makeNetwork({}, app.admin) }, app.admin))
    .security_groups[0];
  assert.notEqual(mine, theirs);
  const none = await makePort({ network_id: net, security_groups: [] });
  assert.deepEqual(none.security_groups, []);
  assertError(
    await post('ports', { port: { network_id: net, security_groups: [theirs] } }),
    404,
    'SecurityGroupNotFound',
    `Security group ${theirs} does not exist`,
  );
  const ghost = randomUUID();
  assertError(
    await post('ports', { port: { network_id: net, security_groups: [mine, theirs, ghost] } }),
    404,
    'SecurityGroupNotFound',
    `Security group ${theirs}, ${ghost} does not exist`,
  );
  // An admin may put a port in any group.
  const adminMade = await makePort({ network_id: net, security_groups: [theirs] }, app.admin);
  assert.deepEqual(adminMade.security_groups, [theirs]);
  assertError(
    await post('ports', {
      port: { network_id: net, port_security_enabled: false, security_groups: [mine] },
    }),
    400,
    'PortSecurityAndIPRequiredForSecurityGroups',
    'Port security must be enabled and port must have an IP address in order to use security groups.',
  );
  const open = await makePort({ network_id: net, port_security_enabled: false });
  assert.deepEqual(open.security_groups, []);
  assert.equal(open.port_security_enabled, false);
  assertError(
    await put(`ports/${plain.id}`, { port: { port_security_enabled: false } }),
    409,
    'PortSecurityPortHasSecurityGroup',
    'Port has security group associated. Cannot disable port security or IP address until security group is removed.',
  );
  const off = await put(`ports/${plain.id}`, {
    port: { port_security_enabled: false, security_groups: [] },
  });
  assert.equal(off.statusCode, 200, off.body);
  assert.deepEqual(off.json().port.security_groups, []);
  const second = randomUUID();
  const now = new Date().toISOString();
  await app.t.db
    .insertInto('security_groups')
    .values({
      id: second,
      project_id: app.demoProject,
      name: 'web',
      description: '',
      stateful: 1,
      revision_number: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const both = await put(`ports/${none.id}`, { port: { security_groups: [second, mine] } });
  assert.deepEqual(both.json().port.security_groups, [second, mine]);
  const listed = (await get(`ports?security_groups=${second}`)).json().ports;
  assert.deepEqual(
    listed.map((p: any) => p.id),
    [none.id],
  );
  const routerPort = await makePort({ network_id: net, device_owner: 'network:router_interface' });
  assert.deepEqual(routerPort.security_groups, [], 'network-owned ports get no group');
});

test('allowed address pairs: defaults, refusals, and port security', async () => {
  const net = await makeNetwork();
  const pairs = [
    { ip_address: '10.9.9.9' },
    { ip_address: '10.8.0.0/24', mac_address: 'fa:16:3e:00:00:01' },
  ];
  const port = await makePort({ network_id: net, allowed_address_pairs: pairs });
  assert.deepEqual(port.allowed_address_pairs, [
    { ip_address: '10.9.9.9', mac_address: port.mac_address },
    { ip_address: '10.8.0.0/24', mac_address: 'fa:16:3e:00:00:01' },
  ]);
  const bad = (allowed_address_pairs: unknown, extra = {}) =>
    post('ports', { port: { network_id: net, allowed_address_pairs, ...extra } });
  assertError(
    await bad([{ mac_address: 'fa:16:3e:00:00:01' }]),
    400,
    'AllowedAddressPairsMissingIP',
    'AllowedAddressPair must contain ip_address',
  );
  assertError(
    await bad([{ ip_address: '10.1.1.1' }, { ip_address: '10.1.1.1' }]),
    400,
    'DuplicateAddressPairInRequest',
    'Request contains duplicate address pair: mac_address None ip_address 10.1.1.1.',
  );
  assertError(await bad('x'), 400, 'HTTPBadRequest', 'Allowed address pairs must be a list.');
  assertError(
    await bad(Array.from({ length: 11 }, (_, i) => ({ ip_address: `10.1.1.${i}` }))),
    400,
    'AllowedAddressPairExhausted',
    'The number of allowed address pair exceeds the maximum 10.',
  );
  assertError(
    await bad([{ ip_address: 'nope' }]),
    400,
    'HTTPBadRequest',
    "'nope' is not a valid IP address",
  );
  const needs = 'Port Security must be enabled in order to have allowed address pairs on a port.';
  assertError(
    await bad([{ ip_address: '10.1.1.1' }], { port_security_enabled: false }),
    409,
    'AddressPairAndPortSecurityRequired',
    needs,
  );
  assertError(
    await put(`ports/${port.id}`, { port: { port_security_enabled: false, security_groups: [] } }),
    409,
    'AddressPairAndPortSecurityRequired',
    needs,
  );
});

test('MAC addresses: unique per network, lowercase, free again after delete, admin-only to change', async () => {
  const net = await makeNetwork();
  const port = await makePort({ network_id: net, mac_address: 'FA-16-3E-AB-CD-EF' });
  assert.equal(port.mac_address, 'fa:16:3e:ab:cd:ef');
  assertError(
    await post('ports', { port: { network_id: net, mac_address: 'fa:16:3e:ab:cd:ef' } }),
    409,
    'MacAddressInUse',
    `Unable to complete operation for network ${net}. The mac address fa:16:3e:ab:cd:ef is in use.`,
  );
  await makePort({ network_id: await makeNetwork(), mac_address: 'fa:16:3e:ab:cd:ef' });
  assertError(
    await post('ports', { port: { network_id: net, mac_address: 'ff:ff:ff:ff:ff:ff' } }),
    400,
    'HTTPBadRequest',
    "Invalid input for mac_address. Reason: 'ff:ff:ff:ff:ff:ff' is not a valid MAC address.",
  );
  assertError(
    await put(`ports/${port.id}`, { port: { mac_address: 'fa:16:3e:00:00:02' } }),
    403,
    'PolicyNotAuthorized',
    '(rule:update_port and rule:update_port:mac_address) is disallowed by policy',
  );
  const changed = await put(
    `ports/${port.id}`,
    { port: { mac_address: 'fa:16:3e:00:00:02' } },
    app.admin,
  );
  assert.equal(changed.json().port.mac_address, 'fa:16:3e:00:00:02');
  assert.equal((await del(`ports/${port.id}`)).statusCode, 204);
  await makePort({ network_id: net, mac_address: 'fa:16:3e:00:00:02' });
  const bound = await makePort({ network_id: net, 'binding:host_id': 'node1' }, app.admin);
  assertError(
    await put(`ports/${bound.id}`, { port: { mac_address: 'fa:16:3e:00:00:03' } }, app.admin),
    409,
    'PortBound',
  );
});

test('binding: admin-only host and profile; a bound port shows ML2/OVS and is ACTIVE', async () => {
  const net = await makeNetwork();
  const host = `node-${randomUUID()}`;
  assertError(
    await post('ports', { port: { network_id: net, 'binding:host_id': 'node1' } }),
    403,
    'PolicyNotAuthorized',
    '(rule:create_port and rule:create_port:binding:host_id) is disallowed by policy',
  );
  assertError(
    await post('ports', { port: { network_id: net, 'binding:vnic_type': 'weird' } }),
    400,
    'HTTPBadRequest',
  );
  const port = await makePort({ network_id: net, 'binding:host_id': host }, app.admin);
  assert.equal(port['binding:vif_type'], 'ovs');
  assert.equal(port['binding:vif_details'].port_filter, true);
  assert.equal(port.status, 'ACTIVE');
  assert.deepEqual((await get(`ports/${port.id}`, app.admin)).json().port, port);
  const down = await put(`ports/${port.id}`, { port: { admin_state_up: false } }, app.admin);
  assert.equal(down.json().port.status, 'DOWN');
  const listed = (await get(`ports?binding:host_id=${host}`, app.admin)).json().ports;
  assert.deepEqual(
    listed.map((p: any) => p.id),
    [port.id],
  );
  const unbound = await put(`ports/${port.id}`, { port: { 'binding:host_id': '' } }, app.admin);
  assert.equal(unbound.json().port['binding:vif_type'], 'unbound');
});

test("ports on others' networks: shared needs ownership for addresses, external is refused", async () => {
  const shared = await makeNetwork({ shared: true }, app.admin);
  const s = await makeSubnet(shared, '10.60.0.0/24', {}, app.admin);
  const mine = await makePort({ network_id: shared, fixed_ips: [{ subnet_id: s }] });
  assert.equal(mine.project_id, app.demoProject);
  assertError(
    await post('ports', { port: { network_id: shared, fixed_ips: [{ ip_address: '10.60.0.9' }] } }),
    403,
    'PolicyNotAuthorized',
    '(rule:create_port and (rule:create_port:fixed_ips and (rule:create_port:fixed_ips:ip_address))) is disallowed by policy',
  );
  const external = await makeNetwork({ 'router:external': true }, app.admin);
  assertError(
    await post('ports', { port: { network_id: external } }),
    403,
    'HTTPForbidden',
    `Tenant ${app.demoProject} not allowed to create port on this network`,
  );
  const hidden = await makeNetwork({}, app.admin);
  assertError(
    await post('ports', { port: { network_id: hidden } }),
    404,
    'NetworkNotFound',
    `Network ${hidden} could not be found.`,
  );
  const adminPort = await makePort({ network_id: hidden }, app.admin);
  assertError(
    await get(`ports/${adminPort.id}`),
    404,
    'PortNotFound',
    `Port ${adminPort.id} could not be found.`,
  );
  assertError(await put(`ports/${adminPort.id}`, { port: { name: 'x' } }), 404, 'PortNotFound');
  assertError(await del(`ports/${adminPort.id}`), 404, 'PortNotFound');
});

test('list filters: network, device, owner, fixed IPs as Neutron reads them, MAC', async () => {
  const net = await makeNetwork();
  const s = await makeSubnet(net, '10.70.0.0/24');
  const device = randomUUID();
  const a = await makePort({
    network_id: net,
    fixed_ips: [{ ip_address: '10.70.0.10' }],
    device_id: device,
    device_owner: 'compute:nova',
  });
  const b = await makePort({ network_id: net, fixed_ips: [{ ip_address: '10.70.0.9' }] });
  const idsOf = async (q: string) =>
    ((await get(`ports?${q}`)).json().ports as any[]).map((p) => p.id).sort();
  assert.deepEqual(await idsOf(`network_id=${net}`), [a.id, b.id].sort());
  assert.deepEqual(await idsOf(`device_id=${device}`), [a.id]);
  assert.deepEqual(await idsOf(`device_owner=compute:nova&network_id=${net}`), [a.id]);
  assert.deepEqual(await idsOf('fixed_ips=ip_address%3D10.70.0.9'), [b.id]);
  assert.deepEqual(await idsOf(`fixed_ips=subnet_id%3D${s}`), [a.id, b.id].sort());
  assert.deepEqual(await idsOf(`fixed_ips=subnet_id%3D${s}&fixed_ips=ip_address%3D10.70.0.10`), [
    a.id,
  ]);
  assert.deepEqual(await idsOf('fixed_ips=ip_address_substr%3D10.70.0.1'), [a.id]);
  assert.deepEqual(await idsOf('fixed_ips=ip_address_substr%3D10.70.0.'), [a.id, b.id].sort());
  assert.deepEqual(await idsOf(`mac_address=${b.mac_address.toUpperCase()}`), [b.id]);
  assert.deepEqual(await idsOf(`device_id=${device}&fields=id`), [a.id]);
  assertError(
    await get('ports?fixed_ips=bogus'),
    400,
    'InvalidInput',
    "Invalid input for operation: 'bogus' is not of the form <key>=[value].",
  );
  assertError(await get('ports?bogus=1'), 400, 'HTTPBadRequest');
  // Another project's ports are not listed.
  const adminPort = await makePort({ network_id: await makeNetwork({}, app.admin) }, app.admin);
  assert.ok(!(await idsOf('')).includes(adminPort.id));
  assert.ok(
    (await ((await get('ports', app.admin)).json().ports as any[])).some(
      (p) => p.id === adminPort.id,
    ),
  );
});

test('update: echoed, revision moves, If-Match, read-only attributes', async () => {
  const net = await makeNetwork();
  const port = await makePort({ network_id: net, name: 'old' });
  const res = await put(`ports/${port.id}`, { port: { name: 'New_Port', admin_state_up: false } });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().port.name, 'New_Port');
  assert.equal(res.json().port.admin_state_up, false);
  assert.equal(res.json().port.revision_number, 1);
  const stale = await app.t.inject({
    method: 'PUT',
    url: `${n}/ports/${port.id}`,
    headers: { ...app.demo, 'if-match': 'revision_number=0' },
    payload: { port: { name: 'x' } },
  });
  assertError(
    stale,
    412,
    'RevisionNumberConstraintFailed',
    'Constrained to 0, but current revision is 1',
  );
  const ok = await app.t.inject({
    method: 'PUT',
    url: `${n}/ports/${port.id}`,
    headers: { ...app.demo, 'if-match': 'revision_number=1' },
    payload: { port: { name: 'y' } },
  });
  assert.equal(ok.json().port.revision_number, 2);
  assertError(
    await put(`ports/${port.id}`, { port: { network_id: net } }),
    400,
    'HTTPBadRequest',
    'Cannot update read-only attribute network_id',
  );
  const missing = randomUUID();
  assertError(
    await put(`ports/${missing}`, { port: { name: 'x' } }),
    404,
    'PortNotFound',
    `Port ${missing} could not be found.`,
  );
  const staleDelete = await app.t.inject({
    method: 'DELETE',
    url: `${n}/ports/${port.id}`,
    headers: { ...app.demo, 'if-match': 'revision_number=0' },
  });
  assertError(staleDelete, 412, 'RevisionNumberConstraintFailed');
  assert.equal((await del(`ports/${port.id}`)).statusCode, 204);
  assertError(await get(`ports/${port.id}`), 404, 'PortNotFound');
  assertError(await del(`ports/${port.id}`), 404, 'PortNotFound');
});

test('delete: router and floating IP ports are refused; a floating IP on the port is let go', async () => {
  const net = await makeNetwork();
  await makeSubnet(net, '10.80.0.0/24');
  const now = new Date().toISOString();
  const std = { description: '', revision_number: 0, created_at: now, updated_at: now };
  const routerId = randomUUID();
  await app.t.db
    .insertInto('routers')
    .values({
      id: routerId,
      project_id: app.demoProject,
      name: 'r',
      admin_state_up: 1,
      status: 'ACTIVE',
      gw_network_id: null,
      gw_port_id: null,
      enable_snat: 1,
      routes: '[]',
      distributed: 0,
      ha: 0,
      az_hints: '[]',
      ...std,
    })
    .execute();
  const iface = await makePort({
    network_id: net,
    device_id: routerId,
    device_owner: 'network:router_interface',
  });
  assertError(
    await del(`ports/${iface.id}`),
    409,
    'ServicePortInUse',
    `Port ${iface.id} cannot be deleted directly via the port API: has device owner network:router_interface.`,
  );
  const idsOf = async (q: string) =>
    ((await get(`ports?${q}`)).json().ports as any[]).map((p) => p.id);
  assert.deepEqual(await idsOf(`device_id=${routerId}`), [iface.id]);
  await app.t.db.deleteFrom('routers').where('id', '=', routerId).execute();
  assert.equal((await del(`ports/${iface.id}`)).statusCode, 204, 'its router is gone');

  const port = await makePort({ network_id: net });
  const fip = (project: string) => ({
    id: randomUUID(),
    project_id: project,
    floating_network_id: net,
    floating_port_id: randomUUID(),
    floating_ip_address: '172.24.4.10',
    fixed_port_id: port.id,
    fixed_ip_address: ips(port)[0],
    router_id: randomUUID(),
    status: 'ACTIVE',
    ...std,
  });
  const theirs = fip(app.adminProject);
  await app.t.db.insertInto('floatingips').values(theirs).execute();
  assertError(
    await del(`ports/${port.id}`),
    409,
    'FipAssociated',
    `Unable to complete the operation on port "${port.id}" because the port still has an associated floating IP.`,
  );
  await app.t.db
    .updateTable('floatingips')
    .set({ project_id: app.demoProject })
    .where('id', '=', theirs.id)
    .execute();
  assert.equal((await del(`ports/${port.id}`)).statusCode, 204);
  const after = await app.t.db
    .selectFrom('floatingips')
    .selectAll()
    .where('id', '=', theirs.id)
    .executeTakeFirstOrThrow();
  assert.equal(after.fixed_port_id, null);
  assert.equal(after.fixed_ip_address, null);
  assert.equal(after.router_id, null);
  assert.equal(after.status, 'DOWN');
  assert.equal(after.revision_number, 1);
});

test('bulk create keeps order and is all or nothing', async () => {
  const n1 = await makeNetwork();
  const n2 = await makeNetwork();
  const res = await post('ports', {
    ports: [{ network_id: n1, name: 'a' }, { port: { network_id: n2 } }],
  });
  assert.equal(res.statusCode, 201, res.body);
  const made = res.json().ports;
  assert.deepEqual(
    made.map((p: any) => p.network_id),
    [n1, n2],
  );
  assert.equal(made[1].admin_state_up, true);
  const before = (await get(`ports?network_id=${n1}`)).json().ports.length;
  assertError(
    await post('ports', { ports: [{ network_id: n1 }, { network_id: randomUUID() }] }),
    404,
    'NetworkNotFound',
  );
  assert.equal((await get(`ports?network_id=${n1}`)).json().ports.length, before);
  assertError(await post('ports', { ports: [] }), 400, 'HTTPBadRequest', 'Resources required');
  assertError(
    await post('ports', { ports: {} }),
    400,
    'HTTPBadRequest',
    'Body contains invalid data',
  );
});

test('tags may be given on create', async () => {
  const port = await makePort({ network_id: await makeNetwork(), tags: ['b', 'a'] });
  assert.deepEqual(port.tags, ['a', 'b']);
  assertError(
    await post('ports', { port: { network_id: randomUUID(), tags: ['a', 'a'] } }),
    400,
    'HTTPBadRequest',
  );
});

test('concurrent creates asking for one address: exactly one wins, the rest get 409', async () => {
  const net = await makeNetwork();
  const s = await makeSubnet(net, '10.90.0.0/24');
  const results = await Promise.all(
    Array.from({ length: 25 }, () =>
      post('ports', {
        port: { network_id: net, fixed_ips: [{ subnet_id: s, ip_address: '10.90.0.77' }] },
      }),
    ),
  );
  const won = results.filter((r) => r.statusCode === 201);
  assert.equal(won.length, 1);
  for (const r of results.filter((x) => x.statusCode !== 201)) {
    assertError(
      r,
      409,
      'IpAddressAlreadyAllocated',
      `IP address 10.90.0.77 already allocated in subnet ${s}`,
    );
  }
  const macs = await Promise.all(
    Array.from({ length: 10 }, () =>
      post('ports', { port: { network_id: net, mac_address: 'fa:16:3e:77:77:77', fixed_ips: [] } }),
    ),
  );
  assert.equal(macs.filter((r) => r.statusCode === 201).length, 1);
  for (const r of macs.filter((x) => x.statusCode !== 201)) assertError(r, 409, 'MacAddressInUse');
});

test('a SLAAC subnet added later gives ports on the network their EUI-64 address', async () => {
  const net = await makeNetwork();
  const port = await makePort({ network_id: net, mac_address: 'fa:16:3e:00:ab:01' });
  const iface = await makePort({ network_id: net, device_owner: 'network:router_interface' });
  const id = await makeSubnet(net, '2001:db8:7::/64', {
    ipv6_ra_mode: 'slaac',
    ipv6_address_mode: 'slaac',
  });
  const subnet = await app.t.db
    .selectFrom('subnets')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  // What the subnet create does inside its transaction (idempotent if it already did).
  await addAutoAddresses(app.t.db, subnet);
  assert.deepEqual(ips((await get(`ports/${port.id}`)).json().port), [
    '2001:db8:7:0:f816:3eff:fe00:ab01',
  ]);
  assert.deepEqual((await get(`ports/${iface.id}`)).json().port.fixed_ips, []);
  assert.equal(eui64('2001:db8:7::/64', 'fa:16:3e:00:ab:01'), '2001:db8:7:0:f816:3eff:fe00:ab01');
});

async function makeRouter(project: string): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await app.t.db
    .insertInto('routers')
    .values({
      id,
      project_id: project,
      name: 'r',
      description: '',
      admin_state_up: 1,
      status: 'ACTIVE',
      gw_network_id: null,
      gw_port_id: null,
      enable_snat: 1,
      routes: '[]',
      distributed: 0,
      ha: 0,
      az_hints: '[]',
      revision_number: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

test('router ports: IPv4 addresses fixed, MAC fixed, and no claiming another project router', async () => {
  const net = await makeNetwork();
  const s = await makeSubnet(net, '10.110.0.0/24');
  const router = await makeRouter(app.demoProject);
  const owner = 'network:router_interface';
  const iface = await makePort({
    network_id: net,
    device_id: router,
    device_owner: owner,
    fixed_ips: [{ subnet_id: s, ip_address: '10.110.0.1' }],
  });
  // The same subnet again keeps the address: nothing changes, so nothing is refused.
  const same = await put(`ports/${iface.id}`, { port: { fixed_ips: [{ subnet_id: s }] } });
  assert.equal(same.statusCode, 200, same.body);
  assert.deepEqual(ips(same.json().port), ['10.110.0.1']);
  assertError(
    await put(`ports/${iface.id}`, { port: { fixed_ips: [{ ip_address: '10.110.0.9' }] } }),
    400,
    'BadRequest',
    `Bad ports request: IP updates for port ${iface.id} are not allowed.`,
  );
  assertError(
    await put(`ports/${iface.id}`, { port: { mac_address: 'fa:16:3e:00:00:55' } }, app.admin),
    409,
    'UnsupportedPortDeviceOwner',
    `Operation mac address update is not supported for device_owner ${owner} on port ${iface.id}.`,
  );
  const theirs = await makeRouter(app.adminProject);
  assertError(
    await post('ports', { port: { network_id: net, device_id: theirs, device_owner: owner } }),
    409,
    'DeviceIDNotOwnedByTenant',
    `The following device_id ${theirs} is not owned by your tenant or matches another tenants router.`,
  );
  const fipPort = await makePort({
    network_id: net,
    device_id: randomUUID(),
    device_owner: 'network:floatingip',
  });
  assert.equal((await del(`ports/${fipPort.id}`)).statusCode, 204, 'no such floating IP');
});

test("a network's owner sees and deletes others' ports on it, but does not update them", async () => {
  const net = await makeNetwork();
  const theirs = await makePort({ network_id: net, name: 'admins' }, app.admin);
  assert.equal(theirs.project_id, app.adminProject);
  assert.equal((await get(`ports/${theirs.id}`)).statusCode, 200);
  const listed = (await get(`ports?network_id=${net}`)).json().ports;
  assert.ok(listed.some((p: any) => p.id === theirs.id));
  assertError(
    await put(`ports/${theirs.id}`, { port: { name: 'x' } }),
    403,
    'PolicyNotAuthorized',
    'rule:update_port is disallowed by policy',
  );
  assert.equal((await del(`ports/${theirs.id}`)).statusCode, 204);
  const shared = await makeNetwork({ shared: true }, app.admin);
  await makeSubnet(shared, '10.111.0.0/24', {}, app.admin);
  const mine = await makePort({ network_id: shared });
  assertError(
    await put(`ports/${mine.id}`, { port: { fixed_ips: [] } }),
    403,
    'PolicyNotAuthorized',
    '(rule:update_port and rule:update_port:fixed_ips) is disallowed by policy',
  );
  const renamed = await put(`ports/${mine.id}`, { port: { name: 'fine' } });
  assert.equal(renamed.statusCode, 200, renamed.body);
});

test('more filters and sorting: admin_state_up as Tempest sends it, project, status, MAC order', async () => {
  const net = await makeNetwork();
  const up = await makePort({ network_id: net, mac_address: 'fa:16:3e:00:00:b2' });
  const down = await makePort({
    network_id: net,
    admin_state_up: false,
    mac_address: 'fa:16:3e:00:00:b1',
  });
  const idsOf = async (q: string) =>
    ((await get(`ports?network_id=${net}&${q}`)).json().ports as any[]).map((p) => p.id);
  assert.deepEqual(await idsOf('admin_state_up=False'), [down.id]);
  assert.deepEqual(await idsOf('admin_state_up=True'), [up.id]);
  assert.deepEqual(
    await idsOf(`project_id=${app.demoProject}&status=DOWN&sort_key=mac_address&sort_dir=asc`),
    [down.id, up.id],
  );
  assert.deepEqual(await idsOf(`tenant_id=${app.adminProject}`), []);
  assertError(await get('ports?admin_state_up=maybe'), 400, 'InvalidInput');
  assertError(await get('ports?sort_key=fixed_ips&sort_dir=asc'), 400, 'HTTPBadRequest');
});

test('an address asked for again in another spelling is the same address', async () => {
  const net = await makeNetwork();
  const s = await makeSubnet(net, '2001:db8:9::/64');
  const port = await makePort({ network_id: net, fixed_ips: [{ ip_address: '2001:db8:9::5' }] });
  assert.deepEqual(port.fixed_ips, [{ subnet_id: s, ip_address: '2001:db8:9::5' }]);
  const res = await put(`ports/${port.id}`, {
    port: { fixed_ips: [{ ip_address: '2001:DB8:9:0::5' }] },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().port.fixed_ips, port.fixed_ips);
});

test('extra DHCP options: stored with their IP version, merged by name on update', async () => {
  const port = await makePort({
    network_id: await makeNetwork(),
    extra_dhcp_opts: [
      { opt_name: 'bootfile-name', opt_value: 'pxelinux.0' },
      { opt_name: 'tftp-server', opt_value: null },
      { opt_name: 'server-ip-address', opt_value: '10.0.0.1', ip_version: '6' },
    ],
  });
  assert.deepEqual(port.extra_dhcp_opts, [
    { opt_name: 'bootfile-name', opt_value: 'pxelinux.0', ip_version: 4 },
    { opt_name: 'server-ip-address', opt_value: '10.0.0.1', ip_version: 6 },
  ]);
  const res = await put(`ports/${port.id}`, {
    port: {
      extra_dhcp_opts: [
        { opt_name: 'bootfile-name', opt_value: 'grub.efi' },
        { opt_name: 'server-ip-address', opt_value: null, ip_version: 6 },
      ],
    },
  });
  assert.deepEqual(res.json().port.extra_dhcp_opts, [
    { opt_name: 'bootfile-name', opt_value: 'grub.efi', ip_version: 4 },
  ]);
  assertError(
    await post('ports', {
      port: { network_id: port.network_id, extra_dhcp_opts: [{ opt_name: '' }] },
    }),
    400,
    'HTTPBadRequest',
  );
});
