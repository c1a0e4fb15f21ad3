import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openstack,
  openstackJson,
  openstackOk,
  startServer,
  type RunningServer,
} from '../helpers/server.js';

/** Neutron through Debian's openstack CLI, as a new user would drive it (`-f json`). */
let server: RunningServer;
type Row = Record<string, any>;

before(async () => {
  server = await startServer();
});
after(() => server?.stop());

const json = <T = Row>(args: string[], admin = false) => openstackJson<T>(server, args, { admin });
const ok = (args: string[], admin = false) => openstackOk(server, args, { admin });

test('a fresh cloud has what DevStack has: ext-net, private and router1', async () => {
  const nets = await json<Row[]>(['network', 'list', '--long']);
  const names = nets.map((n) => n.Name);
  assert.ok(names.includes('ext-net'), `networks: ${names.join(', ')}`);
  assert.ok(names.includes('private'));
  const ext = await json(['network', 'show', 'ext-net'], true);
  assert.equal(ext['router:external'], true);
  assert.equal(ext.is_default, true);
  assert.equal(ext.subnets.length, 1);
  const extSubnet = await json(['subnet', 'show', ext.subnets[0]], true);
  assert.match(extSubnet.cidr, /^127\./);
  const router = await json(['router', 'show', 'router1']);
  assert.equal(router.external_gateway_info.network_id, ext.id);
  const privateNet = await json(['network', 'show', 'private']);
  assert.equal(privateNet.subnets.length >= 1, true);
});

test('network create, list, show, set, unset and delete', async () => {
  const net = await json([
    'network',
    'create',
    '--description',
    'made by the CLI',
    '--mtu',
    '1400',
    '--tag',
    'blue',
    '--disable-port-security',
    'cli-net',
  ]);
  assert.equal(net.name, 'cli-net');
  assert.equal(net.mtu, 1400);
  assert.equal(net.port_security_enabled, false);
  assert.deepEqual(net.tags, ['blue']);
  await ok(['network', 'set', '--name', 'cli-net2', '--tag', 'red', 'cli-net']);
  await ok(['network', 'unset', '--tag', 'blue', 'cli-net2']);
  const shown = await json(['network', 'show', 'cli-net2']);
  assert.deepEqual(shown.tags, ['red']);
  const listed = await json<Row[]>(['network', 'list', '--tags', 'red']);
  assert.deepEqual(
    listed.map((n) => n.Name),
    ['cli-net2'],
  );
  const shared = await json(['network', 'create', '--share', '--external', 'adm-ext'], true);
  assert.equal(shared.shared, true);
  assert.equal(shared['router:external'], true);
  const provider = await json(
    [
      'network',
      'create',
      '--provider-network-type',
      'vlan',
      '--provider-segment',
      '42',
      'adm-vlan',
    ],
    true,
  );
  assert.equal(provider['provider:network_type'], 'vlan');
  assert.equal(provider['provider:segmentation_id'], 42);
  await ok(['network', 'delete', 'cli-net2']);
  await ok(['network', 'delete', 'adm-ext', 'adm-vlan'], true);
  const gone = await openstack(server, ['network', 'show', 'cli-net2']);
  assert.notEqual(gone.code, 0);
});

test('subnet create with pools, DNS, gateway and no DHCP; IPv6; set, unset, delete', async () => {
  await ok(['network', 'create', 'sub-net']);
  const s = await json([
    'subnet',
    'create',
    '--network',
    'sub-net',
    '--subnet-range',
    '10.0.0.0/24',
    '--allocation-pool',
    'start=10.0.0.10,end=10.0.0.250',
    '--dns-nameserver',
    '8.8.8.8',
    '--gateway',
    '10.0.0.1',
    '--no-dhcp',
    'sub-a',
  ]);
  assert.equal(s.cidr, '10.0.0.0/24');
  assert.equal(s.gateway_ip, '10.0.0.1');
  assert.equal(s.enable_dhcp, false);
  assert.deepEqual(s.dns_nameservers, ['8.8.8.8']);
  assert.deepEqual(s.allocation_pools, [{ start: '10.0.0.10', end: '10.0.0.250' }]);
  const v6 = await json([
    'subnet',
    'create',
    '--network',
    'sub-net',
    '--ip-version',
    '6',
    '--subnet-range',
    'fd00:1::/64',
    '--ipv6-ra-mode',
    'slaac',
    '--ipv6-address-mode',
    'slaac',
    'sub-v6',
  ]);
  assert.equal(v6.ip_version, 6);
  assert.equal(v6.ipv6_address_mode, 'slaac');
  await ok(['subnet', 'set', '--dns-nameserver', '1.1.1.1', '--name', 'sub-a2', 'sub-a']);
  const shown = await json(['subnet', 'show', 'sub-a2']);
  // OSC sends the new servers first, then the old ones; Neutron keeps the order sent.
  assert.deepEqual(shown.dns_nameservers, ['1.1.1.1', '8.8.8.8']);
  await ok(['subnet', 'unset', '--dns-nameserver', '8.8.8.8', 'sub-a2']);
  assert.deepEqual((await json(['subnet', 'show', 'sub-a2'])).dns_nameservers, ['1.1.1.1']);
  const overlap = await openstack(server, [
    'subnet',
    'create',
    '--network',
    'sub-net',
    '--subnet-range',
    '10.0.0.128/25',
    'sub-b',
  ]);
  assert.notEqual(overlap.code, 0);
  assert.match(overlap.stderr, /overlaps with another subnet/);
  const listed = await json<Row[]>(['subnet', 'list', '--network', 'sub-net']);
  assert.equal(listed.length, 2);
  await ok(['subnet', 'delete', 'sub-a2', 'sub-v6']);
  await ok(['network', 'delete', 'sub-net']);
});

test('subnet pools: create, list, show, and a subnet carved from one', async () => {
  const pool = await json(
    [
      'subnet',
      'pool',
      'create',
      '--pool-prefix',
      '10.200.0.0/16',
      '--default-prefix-length',
      '26',
      '--share',
      'cli-pool',
    ],
    true,
  );
  assert.deepEqual(pool.prefixes, ['10.200.0.0/16']);
  const listed = await json<Row[]>(['subnet', 'pool', 'list']);
  assert.ok(listed.some((p) => p.Name === 'cli-pool'));
  await ok(['network', 'create', 'pool-net']);
  const s = await json([
    'subnet',
    'create',
    '--network',
    'pool-net',
    '--subnet-pool',
    'cli-pool',
    '--prefix-length',
    '28',
    'pool-sub',
  ]);
  assert.match(s.cidr, /^10\.200\.\d+\.\d+\/28$/);
  assert.equal(s.subnetpool_id, pool.id);
  await ok(['network', 'delete', 'pool-net']);
});

test('ports: fixed IPs, security groups, filters, set and delete', async () => {
  await ok(['network', 'create', 'port-net']);
  const sub = await json([
    'subnet',
    'create',
    '--network',
    'port-net',
    '--subnet-range',
    '10.9.0.0/24',
    'port-sub',
  ]);
  await ok(['security', 'group', 'create', 'port-sg']);
  const p = await json([
    'port',
    'create',
    '--network',
    'port-net',
    '--fixed-ip',
    `subnet=${sub.id},ip-address=10.9.0.50`,
    '--security-group',
    'port-sg',
    'port-a',
  ]);
  assert.deepEqual(p.fixed_ips, [{ subnet_id: sub.id, ip_address: '10.9.0.50' }]);
  assert.match(p.mac_address, /^fa:16:3e:/);
  const taken = await openstack(server, [
    'port',
    'create',
    '--network',
    'port-net',
    '--fixed-ip',
    `subnet=${sub.id},ip-address=10.9.0.50`,
    'port-b',
  ]);
  assert.notEqual(taken.code, 0);
  assert.match(taken.stderr, /IP address 10\.9\.0\.50 already allocated in subnet/);
  const byIp = await json<Row[]>(['port', 'list', '--fixed-ip', 'ip-address=10.9.0.50']);
  assert.deepEqual(
    byIp.map((r) => r.Name),
    ['port-a'],
  );
  const onNet = await json<Row[]>(['port', 'list', '--network', 'port-net', '--long']);
  assert.equal(onNet.length, 1);
  await ok(['port', 'set', '--name', 'port-a2', '--no-security-group', 'port-a']);
  const shown = await json(['port', 'show', 'port-a2']);
  assert.deepEqual(shown.security_group_ids ?? shown.security_groups, []);
  await ok(['port', 'delete', 'port-a2']);
  await ok(['network', 'delete', 'port-net']);
});

test('security groups and rules: default group, protocols, ranges, remote groups', async () => {
  const groups = await json<Row[]>(['security', 'group', 'list']);
  assert.ok(groups.some((g) => g.Name === 'default'));
  const sg = await json(['security', 'group', 'create', '--description', 'web', 'web']);
  assert.equal(sg.rules.length, 2, 'a new group has two egress rules');
  const http = await json([
    'security',
    'group',
    'rule',
    'create',
    '--protocol',
    'tcp',
    '--dst-port',
    '80:81',
    '--remote-ip',
    '0.0.0.0/0',
    'web',
  ]);
  assert.equal(http.port_range_min, 80);
  assert.equal(http.port_range_max, 81);
  const icmp = await json([
    'security',
    'group',
    'rule',
    'create',
    '--protocol',
    'icmp',
    '--remote-group',
    'web',
    'web',
  ]);
  assert.equal(icmp.remote_group_id, sg.id);
  const dup = await openstack(server, [
    'security',
    'group',
    'rule',
    'create',
    '--protocol',
    'tcp',
    '--dst-port',
    '80:81',
    '--remote-ip',
    '0.0.0.0/0',
    'web',
  ]);
  assert.notEqual(dup.code, 0);
  assert.match(dup.stderr, /Security group rule already exists/);
  const rules = await json<Row[]>(['security', 'group', 'rule', 'list', 'web']);
  assert.equal(rules.length, 4);
  await ok(['security', 'group', 'rule', 'delete', http.id]);
  await ok(['security', 'group', 'set', '--name', 'web2', 'web']);
  await ok(['security', 'group', 'delete', 'web2']);
});

test('routers, interfaces and floating IPs; a port no router reaches cannot get one', async () => {
  await ok(['network', 'create', 'l3-net']);
  const sub = await json([
    'subnet',
    'create',
    '--network',
    'l3-net',
    '--subnet-range',
    '10.10.0.0/24',
    'l3-sub',
  ]);
  const port = await json(['port', 'create', '--network', 'l3-net', 'l3-port']);
  const fip = await json(['floating', 'ip', 'create', 'ext-net']);
  assert.match(fip.floating_ip_address, /^127\./);
  const unreachable = await openstack(server, ['floating', 'ip', 'set', '--port', port.id, fip.id]);
  assert.notEqual(unreachable.code, 0);
  assert.match(
    unreachable.stderr,
    new RegExp(
      `External network \\S+ is not reachable from subnet ${sub.id}\\.  Therefore, cannot associate Port ${port.id} with a Floating IP\\.`,
    ),
  );

  const router = await json(['router', 'create', 'l3-router']);
  await ok(['router', 'set', '--external-gateway', 'ext-net', 'l3-router']);
  await ok(['router', 'add', 'subnet', 'l3-router', 'l3-sub']);
  const ifaces = await json<Row[]>(['port', 'list', '--router', 'l3-router']);
  assert.ok(ifaces.some((p) => JSON.stringify(p['Fixed IP Addresses']).includes('10.10.0.1')));
  await ok(['floating', 'ip', 'set', '--port', port.id, fip.id]);
  const associated = await json(['floating', 'ip', 'show', fip.id]);
  assert.equal(associated.port_id, port.id);
  assert.equal(associated.router_id, router.id);
  assert.equal(associated.fixed_ip_address, port.fixed_ips[0].ip_address);
  const byPort = await json<Row[]>(['floating', 'ip', 'list', '--port', port.id]);
  assert.equal(byPort.length, 1);
  await ok(['floating', 'ip', 'unset', '--port', fip.id]);
  assert.equal((await json(['floating', 'ip', 'show', fip.id])).port_id, null);

  // A port on another subnet: a router has at most one interface per subnet.
  await ok(['network', 'create', 'l3-net2']);
  await ok([
    'subnet',
    'create',
    '--network',
    'l3-net2',
    '--subnet-range',
    '10.11.0.0/24',
    'l3-sub2',
  ]);
  const extra = await json(['port', 'create', '--network', 'l3-net2', 'l3-extra']);
  await ok(['router', 'add', 'port', 'l3-router', extra.id]);
  const busy = await openstack(server, ['router', 'delete', 'l3-router']);
  assert.notEqual(busy.code, 0);
  await ok(['router', 'remove', 'subnet', 'l3-router', 'l3-sub']);
  await ok(['router', 'remove', 'port', 'l3-router', extra.id]);
  await ok(['floating', 'ip', 'delete', fip.id]);
  await ok(['router', 'delete', 'l3-router']);
  await ok(['port', 'delete', 'l3-port']);
  await ok(['network', 'delete', 'l3-net', 'l3-net2']);
});

test('agents, availability zones, extensions and auto-allocated topology', async () => {
  const agents = await json<Row[]>(['network', 'agent', 'list'], true);
  assert.ok(agents.length >= 3);
  assert.ok(agents.every((a) => a.Alive === true || a.Alive === ':-)'));
  const zones = await json<Row[]>(['availability', 'zone', 'list', '--network']);
  assert.ok(zones.some((z) => z['Zone Name'] === 'nova'));
  const exts = await json<Row[]>(['extension', 'list', '--network']);
  const aliases = exts.map((e) => e.Alias);
  for (const a of ['router', 'external-net', 'security-group', 'quotas']) {
    assert.ok(aliases.includes(a), `extension ${a}`);
  }
  const topo = await json(['network', 'auto', 'allocated', 'topology', 'create']);
  assert.ok(topo.id);
});

test('network quotas: shown with usage, set by admin, enforced with OverQuota', async () => {
  const shown = await json(['quota', 'show', 'demo'], true);
  assert.equal(shown.networks, 100);
  await ok(['quota', 'set', '--networks', '1', '--routers', '5', 'demo'], true);
  const after = await json(['quota', 'show', 'demo'], true);
  assert.equal(after.networks, 1);
  assert.equal(after.routers, 5);
  const over = await openstack(server, ['network', 'create', 'over-1']);
  const over2 = await openstack(server, ['network', 'create', 'over-2']);
  assert.ok(over.code !== 0 || over2.code !== 0);
  assert.match(over.stderr + over2.stderr, /Quota exceeded for resources: \['network'\]/);
  await ok(['quota', 'set', '--networks', '100', 'demo'], true);
});
