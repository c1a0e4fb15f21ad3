import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useApp } from '../helpers/app.js';

const app = useApp();
const n = '/network/v2.0';

type Headers = Record<string, string>;
const call = (method: 'POST' | 'PUT', path: string, payload: unknown, headers?: Headers) =>
  app.t.inject({
    method,
    url: `${n}/${path}`,
    headers: { 'content-type': 'application/json', ...(headers ?? app.demo) },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
const post = (path: string, payload: unknown, headers?: Headers) =>
  call('POST', path, payload, headers);
const put = (path: string, payload: unknown, headers?: Headers) =>
  call('PUT', path, payload, headers);
const get = (path: string, headers?: Headers) =>
  app.t.inject({ method: 'GET', url: `${n}/${path}`, headers: headers ?? app.demo });
const del = (path: string, headers?: Headers) =>
  app.t.inject({ method: 'DELETE', url: `${n}/${path}`, headers: headers ?? app.demo });

function assertNeutronError(res: any, status: number, type: string, message?: string): void {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json().NeutronError;
  assert.equal(body.type, type, res.body);
  if (message !== undefined) assert.equal(body.message, message);
  assert.equal(body.detail, '');
}

// The tests make more groups than the default quota of 10 allows one project.
let demoQuota: Promise<unknown> | undefined;

async function makeGroup(name: string, headers?: Headers, extra = {}): Promise<any> {
  demoQuota ??= app.t.db
    .insertInto('network_quotas')
    .values({ project_id: app.demoProject, resource: 'security_group', hard_limit: 100 })
    .execute();
  await demoQuota;
  const res = await post('security-groups', { security_group: { name, ...extra } }, headers);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().security_group;
}

async function makeRule(rule: Record<string, unknown>, headers?: Headers): Promise<any> {
  const res = await post('security-group-rules', { security_group_rule: rule }, headers);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().security_group_rule;
}

const ruleShape = (r: any) => [
  r.direction,
  r.ethertype,
  r.protocol,
  r.port_range_min,
  r.port_range_max,
  r.remote_ip_prefix,
  r.remote_group_id,
];

test('a project gets one default group with four rules when it first lists groups', async () => {
  const listed = (await get('security-groups')).json().security_groups;
  const defaults = listed.filter((g: any) => g.name === 'default');
  assert.equal(defaults.length, 1);
  const g = defaults[0];
  assert.equal(g.project_id, app.demoProject);
  assert.equal(g.tenant_id, app.demoProject);
  assert.equal(g.description, 'Default security group');
  assert.equal(g.stateful, true);
  assert.equal(g.shared, false);
  assert.deepEqual(g.tags, []);
  assert.deepEqual(g.security_group_rules.map(ruleShape), [
    ['ingress', 'IPv4', null, null, null, null, g.id],
    ['egress', 'IPv4', null, null, null, null, null],
    ['ingress', 'IPv6', null, null, null, null, g.id],
    ['egress', 'IPv6', null, null, null, null, null],
  ]);
  for (const r of g.security_group_rules) {
    assert.equal(r.project_id, app.demoProject);
    assert.equal(r.security_group_id, g.id);
    assert.equal(r.normalized_cidr, null);
    assert.equal(r.remote_address_group_id, null);
    assert.equal(r.description, '');
    assert.ok(!('tags' in r));
  }
  const again = (await get('security-groups?name=default')).json().security_groups;
  assert.deepEqual(
    again.map((x: any) => x.id),
    [g.id],
  );
  const fields = (await get(`security-groups/${g.id}?fields=name&fields=id`)).json();
  assert.deepEqual(fields.security_group, { name: 'default', id: g.id });
});

test('lists page with links, and a marker that is not there is not found', async () => {
  for (const name of ['page-a', 'page-b', 'page-c']) await makeGroup(name);
  const first = (await get('security-groups?limit=2&sort_key=name&sort_dir=desc')).json();
  assert.equal(first.security_groups.length, 2);
  const next = first.security_groups_links.find((l: any) => l.rel === 'next');
  assert.match(next.href, /\/v2\.0\/security-groups\?/);
  const params = new URL(next.href).searchParams;
  assert.equal(params.get('limit'), '2');
  assert.equal(params.get('marker'), first.security_groups[1].id);
  const ruleIds = (await get('security-group-rules?limit=1')).json();
  assert.equal(ruleIds.security_group_rules.length, 1);
  assert.ok(ruleIds.security_group_rules_links.length > 0);
  const missing = randomUUID();
  assertNeutronError(
    await get(`security-groups?marker=${missing}`),
    404,
    'SecurityGroupNotFound',
    `Security group ${missing} does not exist`,
  );
  assertNeutronError(
    await get(`security-group-rules?marker=${missing}`),
    404,
    'SecurityGroupRuleNotFound',
    `Security group rule ${missing} does not exist`,
  );
});

test('concurrent first requests of a new project make exactly one default group', async () => {
  const project = randomUUID();
  const results = await Promise.all([
    ...Array.from({ length: 6 }, () => get(`security-groups?project_id=${project}`, app.admin)),
    ...Array.from({ length: 3 }, () => get(`security-group-rules?tenant_id=${project}`, app.admin)),
    ...Array.from({ length: 3 }, (_, i) =>
      post(
        'security-groups',
        { security_group: { name: `r${i}`, project_id: project } },
        app.admin,
      ),
    ),
  ]);
  for (const r of results) assert.ok(r.statusCode === 200 || r.statusCode === 201, r.body);
  const rows = await app.t.db
    .selectFrom('security_groups')
    .select('id')
    .where('project_id', '=', project)
    .where('name', '=', 'default')
    .execute();
  assert.equal(rows.length, 1);
  const rules = await app.t.db
    .selectFrom('security_group_rules')
    .select('id')
    .where('security_group_id', '=', rows[0]!.id)
    .execute();
  assert.equal(rules.length, 4);
});

test('a group: created with two egress rules, shown, listed, updated, deleted with its rules', async () => {
  const g = await makeGroup('web', undefined, { description: 'd1' });
  assert.equal(g.description, 'd1');
  assert.equal(g.stateful, true);
  assert.equal(g.revision_number, 1);
  assert.deepEqual(g.security_group_rules.map(ruleShape), [
    ['egress', 'IPv4', null, null, null, null, null],
    ['egress', 'IPv6', null, null, null, null, null],
  ]);
  assert.deepEqual((await get(`security-groups/${g.id}`)).json().security_group, g);
  const listed = (await get('security-groups?sort_key=name&sort_dir=asc')).json().security_groups;
  assert.ok(listed.some((x: any) => x.id === g.id));

  const upd = await app.t.inject({
    method: 'PUT',
    url: `${n}/security-groups/${g.id}`,
    headers: { ...app.demo, 'if-match': 'revision_number=1' },
    payload: { security_group: { name: 'web2', description: 'd2', stateful: false } },
  });
  assert.equal(upd.statusCode, 200, upd.body);
  const u = upd.json().security_group;
  assert.deepEqual(
    [u.name, u.description, u.stateful, u.revision_number],
    ['web2', 'd2', false, 2],
  );
  const stale = await app.t.inject({
    method: 'PUT',
    url: `${n}/security-groups/${g.id}`,
    headers: { ...app.demo, 'if-match': 'revision_number=1' },
    payload: { security_group: { name: 'web3' } },
  });
  assertNeutronError(stale, 412, 'RevisionNumberConstraintFailed');

  const stateless = await makeGroup('udp-only', undefined, { stateful: 'false' });
  assert.equal(stateless.stateful, false);

  const rule = await makeRule({ security_group_id: g.id, direction: 'ingress', protocol: 'tcp' });
  assert.equal((await del(`security-groups/${g.id}`)).statusCode, 204);
  assertNeutronError(
    await get(`security-groups/${g.id}`),
    404,
    'SecurityGroupNotFound',
    `Security group ${g.id} does not exist`,
  );
  assertNeutronError(
    await get(`security-group-rules/${rule.id}`),
    404,
    'SecurityGroupRuleNotFound',
    `Security group rule ${rule.id} does not exist`,
  );
  const rules = (await get('security-group-rules')).json().security_group_rules;
  assert.ok(!rules.some((r: any) => r.security_group_id === g.id));
  assertNeutronError(await del(`security-groups/${g.id}`), 404, 'SecurityGroupNotFound');
});

test('deleting a group deletes the rules of other groups that name it as remote group', async () => {
  const a = await makeGroup('a');
  const b = await makeGroup('b');
  const r = await makeRule({
    security_group_id: b.id,
    direction: 'ingress',
    remote_group_id: a.id,
  });
  assert.equal(r.remote_group_id, a.id);
  assert.equal((await del(`security-groups/${a.id}`)).statusCode, 204);
  assertNeutronError(await get(`security-group-rules/${r.id}`), 404, 'SecurityGroupRuleNotFound');
  const shown = (await get(`security-groups/${b.id}`)).json().security_group;
  assert.equal(shown.security_group_rules.length, 2);
});

test('the default group: no second one, no rename, only an admin deletes it, then it comes back', async () => {
  const def = (await get('security-groups?name=default')).json().security_groups[0];
  const exists = 'Default security group already exists.';
  for (const name of ['default', 'DeFault']) {
    const res = await post('security-groups', { security_group: { name } });
    assertNeutronError(res, 409, 'SecurityGroupDefaultAlreadyExists', exists);
  }
  const other = await makeGroup('other');
  assertNeutronError(
    await put(`security-groups/${other.id}`, { security_group: { name: 'default' } }),
    409,
    'SecurityGroupDefaultAlreadyExists',
    exists,
  );
  assertNeutronError(
    await put(`security-groups/${def.id}`, { security_group: { name: 'x' } }),
    409,
    'SecurityGroupCannotUpdateDefault',
    'Updating default security group not allowed.',
  );
  const described = await put(`security-groups/${def.id}`, {
    security_group: { description: 'mine' },
  });
  assert.equal(described.statusCode, 200, described.body);
  assert.equal(described.json().security_group.description, 'mine');
  assertNeutronError(
    await del(`security-groups/${def.id}`),
    409,
    'SecurityGroupCannotRemoveDefault',
    'Insufficient rights for removing default security group.',
  );
  assert.equal((await del(`security-groups/${def.id}`, app.admin)).statusCode, 204);
  const fresh = (await get('security-groups?name=default')).json().security_groups;
  assert.equal(fresh.length, 1);
  assert.notEqual(fresh[0].id, def.id);
});

test('a group a port is in cannot be deleted or change statefulness', async () => {
  const net = (await post('networks', { network: { name: 'sg-net' } })).json().network.id;
  const g = await makeGroup('bound');
  const port = await post('ports', { port: { network_id: net, security_groups: [g.id] } });
  assert.equal(port.statusCode, 201, port.body);
  const inUse = `Security Group ${g.id} in use.`;
  assertNeutronError(await del(`security-groups/${g.id}`), 409, 'SecurityGroupInUse', inUse);
  assertNeutronError(
    await put(`security-groups/${g.id}`, { security_group: { stateful: false } }),
    409,
    'SecurityGroupInUse',
    inUse,
  );
  const same = await put(`security-groups/${g.id}`, { security_group: { stateful: true } });
  assert.equal(same.statusCode, 200, same.body);
  assert.equal((await del(`ports/${port.json().port.id}`)).statusCode, 204);
  assert.equal((await del(`security-groups/${g.id}`)).statusCode, 204);
});

test('rules: converted and stored as Neutron stores them; create equals show', async () => {
  const g = await makeGroup('rules');
  const cases: [Record<string, unknown>, unknown[]][] = [
    [{ protocol: 'TCP', port_range_min: 22, port_range_max: '22' }, ['IPv4', 'tcp', 22, 22]],
    [{ protocol: 17 }, ['IPv4', '17', null, null]],
    [{ protocol: 'icmp', ethertype: 'ipv6' }, ['IPv6', 'ipv6-icmp', null, null]],
    [{ protocol: '1', ethertype: 'IPv6', port_range_min: 0 }, ['IPv6', '58', 0, null]],
    [{ protocol: 'icmpv6', ethertype: 'IPv6', port_range_min: 1 }, ['IPv6', 'ipv6-icmp', 1, null]],
    [{ protocol: 'sctp', port_range_min: 1, port_range_max: 65535 }, ['IPv4', 'sctp', null, null]],
    [{ protocol: 'icmp', port_range_min: 8, port_range_max: 0 }, ['IPv4', 'icmp', 8, 0]],
    [{ protocol: null, port_range_min: null, remote_ip_prefix: null }, ['IPv4', null, null, null]],
  ];
  for (const [extra, want] of cases) {
    const r = await makeRule({ security_group_id: g.id, direction: 'ingress', ...extra });
    assert.deepEqual([r.ethertype, r.protocol, r.port_range_min, r.port_range_max], want);
    assert.deepEqual((await get(`security-group-rules/${r.id}`)).json().security_group_rule, r);
  }
  const p = await makeRule({
    security_group_id: g.id,
    direction: 'egress',
    remote_ip_prefix: '10.0.0.5/24',
    description: 'web',
  });
  assert.deepEqual(
    [p.remote_ip_prefix, p.normalized_cidr, p.description],
    ['10.0.0.5/24', '10.0.0.0/24', 'web'],
  );
  const host = await makeRule({
    security_group_id: g.id,
    direction: 'egress',
    remote_ip_prefix: '10.1.2.3',
  });
  assert.equal(host.remote_ip_prefix, '10.1.2.3/32');
  const v6 = await makeRule({
    security_group_id: g.id,
    direction: 'egress',
    ethertype: 'IPv6',
    remote_ip_prefix: '2001:DB8::/48',
  });
  assert.deepEqual([v6.remote_ip_prefix, v6.normalized_cidr], ['2001:db8::/48', '2001:db8::/48']);

  const shown = (await get(`security-groups/${g.id}`)).json().security_group;
  assert.equal(shown.security_group_rules.length, 2 + cases.length + 3);
  assert.equal(shown.revision_number, 1 + cases.length + 3);
  const tcp = (await get(`security-group-rules?security_group_id=${g.id}&protocol=TCP`)).json();
  assert.equal(tcp.security_group_rules.length, 1);
  assert.equal((await del(`security-group-rules/${p.id}`)).statusCode, 204);
  assertNeutronError(await del(`security-group-rules/${p.id}`), 404, 'SecurityGroupRuleNotFound');
  const after = (await get(`security-groups/${g.id}`)).json().security_group;
  assert.equal(after.revision_number, shown.revision_number + 1);
});

test('rules: every validation error has Neutron type and text', async () => {
  const g = await makeGroup('bad-rules');
  const missing = randomUUID();
  const base = { security_group_id: g.id, direction: 'ingress' };
  const ports = 'Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.';
  const cases: [Record<string, unknown>, number, string, string][] = [
    [
      { protocol: 'bad_protocol_name' },
      400,
      'SecurityGroupRuleInvalidProtocol',
      "Security group rule protocol bad_protocol_name not supported. Only protocol values [None, 'ah', 'dccp', 'egp', 'esp', 'gre', 'hopopt', 'icmp', 'igmp', 'ip', 'ipip', 'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'icmpv6', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp', 'udplite', 'vrrp'] and integer representations [0 to 255] are supported.",
    ],
    [{ protocol: 256 }, 400, 'SecurityGroupRuleInvalidProtocol', ''],
    [
      { ethertype: 'bad_ethertype' },
      400,
      'SecurityGroupRuleInvalidEtherType',
      "Security group rule for ethertype 'bad_ethertype' not supported. Allowed values are ['IPv4', 'IPv6'].",
    ],
    [
      { direction: 'sideways' },
      400,
      'HTTPBadRequest',
      'Invalid input for direction. Reason: sideways is not in valid_values.',
    ],
    [
      { protocol: 'tcp', port_range_min: -16, port_range_max: 80 },
      400,
      'SecurityGroupInvalidPortValue',
      'Invalid value for port -16',
    ],
    [
      { protocol: 'tcp', port_range_min: 80, port_range_max: 65536 },
      400,
      'SecurityGroupInvalidPortValue',
      'Invalid value for port 65536',
    ],
    [
      { protocol: 'tcp', port_range_min: 80, port_range_max: 79 },
      400,
      'SecurityGroupInvalidPortRange',
      'For TCP/UDP protocols, port_range_min must be <= port_range_max',
    ],
    [
      { protocol: 'tcp', port_range_max: 6 },
      400,
      'SecurityGroupInvalidPortRange',
      'For TCP/UDP protocols, port_range_min must be <= port_range_max',
    ],
    [
      { protocol: 'tcp', port_range_min: 0, port_range_max: 6 },
      400,
      'SecurityGroupInvalidPortValue',
      'Invalid value for port 0',
    ],
    [
      { protocol: 'icmp', port_range_min: 1, port_range_max: 256 },
      400,
      'SecurityGroupInvalidIcmpValue',
      'Invalid value for ICMP code (port_range_max) 256. It must be 0 to 255.',
    ],
    [
      { protocol: 'icmp', port_range_min: 300, port_range_max: 1 },
      400,
      'SecurityGroupInvalidIcmpValue',
      'Invalid value for ICMP type (port_range_min) 300. It must be 0 to 255.',
    ],
    [
      { protocol: 'icmp', port_range_max: 6 },
      400,
      'SecurityGroupMissingIcmpType',
      'ICMP code (port-range-max) 6 is provided but ICMP type (port-range-min) is missing.',
    ],
    [
      { protocol: 'gre', port_range_min: 5, port_range_max: 6 },
      400,
      'SecurityGroupInvalidProtocolForPort',
      `Ports cannot be specified for protocol 47. ${ports}`,
    ],
    [
      { port_range_min: 5, port_range_max: 6 },
      400,
      'SecurityGroupProtocolRequiredWithPorts',
      'Must also specify protocol if port range is given.',
    ],
    [
      { protocol: 'ipv6-icmp' },
      400,
      'SecurityGroupEthertypeConflictWithProtocol',
      'Invalid ethertype IPv4 for protocol ipv6-icmp.',
    ],
    [
      { protocol: '58', ethertype: 'IPv4' },
      400,
      'SecurityGroupEthertypeConflictWithProtocol',
      'Invalid ethertype IPv4 for protocol 58.',
    ],
    [
      { ethertype: 'IPv6', remote_ip_prefix: '10.100.0.0/16' },
      400,
      'SecurityGroupRuleParameterConflict',
      'Conflicting value ethertype IPv6 for CIDR 10.100.0.0/16',
    ],
    [
      { ethertype: 'IPv4', remote_ip_prefix: '2001:db8::/48' },
      400,
      'SecurityGroupRuleParameterConflict',
      'Conflicting value ethertype IPv4 for CIDR 2001:db8::/48',
    ],
    [
      { remote_ip_prefix: '192.168.1./24' },
      400,
      'InvalidCIDR',
      'Invalid CIDR 192.168.1./24 given as IP prefix.',
    ],
    [
      { remote_ip_prefix: '192.168.1.1/33' },
      400,
      'InvalidCIDR',
      'Invalid CIDR 192.168.1.1/33 given as IP prefix.',
    ],
    [
      { remote_ip_prefix: 'bad_prefix' },
      400,
      'InvalidCIDR',
      'Invalid CIDR bad_prefix given as IP prefix.',
    ],
    [{ remote_ip_prefix: '256' }, 400, 'InvalidCIDR', 'Invalid CIDR 256 given as IP prefix.'],
    [
      { remote_ip_prefix: '10.0.0.0/8', remote_group_id: g.id },
      400,
      'SecurityGroupMultipleRemoteEntites',
      'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.',
    ],
    [
      { remote_group_id: 'bad_group_id' },
      404,
      'SecurityGroupNotFound',
      'Security group bad_group_id does not exist',
    ],
    [
      { remote_group_id: missing },
      404,
      'SecurityGroupNotFound',
      `Security group ${missing} does not exist`,
    ],
    [
      { remote_address_group_id: missing },
      404,
      'AddressGroupNotFound',
      `Address group ${missing} could not be found.`,
    ],
    [
      { security_group_id: missing },
      404,
      'SecurityGroupNotFound',
      `Security group ${missing} does not exist`,
    ],
    [
      { security_group_id: 'x'.repeat(37) },
      400,
      'HTTPBadRequest',
      `Invalid input for security_group_id. Reason: '${'x'.repeat(37)}' exceeds maximum length of 36.`,
    ],
    [
      { direction: undefined },
      400,
      'HTTPBadRequest',
      "Failed to parse request. Required attribute 'direction' not specified",
    ],
    [{ id: 'x' }, 400, 'HTTPBadRequest', "Attribute 'id' not allowed in POST"],
    [{ color: 'x' }, 400, 'HTTPBadRequest', "Unrecognized attribute(s) 'color'"],
  ];
  for (const [extra, status, type, message] of cases) {
    const res = await post('security-group-rules', { security_group_rule: { ...base, ...extra } });
    assertNeutronError(res, status, type, message === '' ? undefined : message);
  }
});

test('rules: a rule equal to one in the group is refused with that rule id', async () => {
  const g = await makeGroup('dups');
  const base = { security_group_id: g.id, direction: 'ingress' };
  const exists = (id: string) => `Security group rule already exists. Rule id is ${id}.`;
  const pairs: [Record<string, unknown>, Record<string, unknown>][] = [
    [
      { protocol: 'tcp', port_range_min: 66, port_range_max: 67 },
      { protocol: '6', port_range_min: 66, port_range_max: 67, description: 'x' },
    ],
    [{ protocol: 'udp', remote_ip_prefix: '0.0.0.0/0' }, { protocol: 'udp' }],
    [
      { protocol: 'ipv6-icmp', ethertype: 'IPv6' },
      { protocol: '58', ethertype: 'IPv6' },
    ],
  ];
  for (const [first, second] of pairs) {
    const r = await makeRule({ ...base, ...first });
    const res = await post('security-group-rules', { security_group_rule: { ...base, ...second } });
    assertNeutronError(res, 409, 'SecurityGroupRuleExists', exists(r.id));
  }
  // The group's own egress rule.
  const egress = g.security_group_rules[0];
  const res = await post('security-group-rules', {
    security_group_rule: { security_group_id: g.id, direction: 'egress' },
  });
  assertNeutronError(res, 409, 'SecurityGroupRuleExists', exists(egress.id));
});

test("a member sees only its own groups and rules; others' answer 404; an admin sees all", async () => {
  const theirs = await makeGroup('admins', app.admin);
  const mine = await makeGroup('mine');
  const notFound = `Security group ${theirs.id} does not exist`;
  assertNeutronError(
    await get(`security-groups/${theirs.id}`),
    404,
    'SecurityGroupNotFound',
    notFound,
  );
  assertNeutronError(
    await put(`security-groups/${theirs.id}`, { security_group: { name: 'x' } }),
    404,
    'SecurityGroupNotFound',
    notFound,
  );
  assertNeutronError(await del(`security-groups/${theirs.id}`), 404, 'SecurityGroupNotFound');
  const onTheirs = await post('security-group-rules', {
    security_group_rule: { security_group_id: theirs.id, direction: 'ingress' },
  });
  assertNeutronError(onTheirs, 404, 'SecurityGroupNotFound', notFound);
  const remoteTheirs = await post('security-group-rules', {
    security_group_rule: {
      security_group_id: mine.id,
      direction: 'ingress',
      remote_group_id: theirs.id,
    },
  });
  assertNeutronError(remoteTheirs, 404, 'SecurityGroupNotFound', notFound);
  const theirRule = theirs.security_group_rules[0];
  assertNeutronError(
    await get(`security-group-rules/${theirRule.id}`),
    404,
    'SecurityGroupRuleNotFound',
  );
  assertNeutronError(
    await del(`security-group-rules/${theirRule.id}`),
    404,
    'SecurityGroupRuleNotFound',
  );

  const listed = (await get('security-groups')).json().security_groups;
  assert.ok(listed.every((g: any) => g.project_id === app.demoProject));
  const rules = (await get('security-group-rules')).json().security_group_rules;
  assert.ok(rules.some((r: any) => r.security_group_id === mine.id));
  assert.ok(!rules.some((r: any) => r.security_group_id === theirs.id));

  assert.equal((await get(`security-groups/${mine.id}`, app.admin)).statusCode, 200);
  const byProject = (await get(`security-groups?tenant_id=${app.demoProject}`, app.admin)).json();
  assert.ok(byProject.security_groups.some((g: any) => g.id === mine.id));
  assert.ok(byProject.security_groups.every((g: any) => g.project_id === app.demoProject));
  // An admin's rule on a member's group is the admin project's, as in Neutron; both see it.
  const adminRule = await makeRule(
    { security_group_id: mine.id, direction: 'ingress', protocol: 'gre' },
    app.admin,
  );
  assert.equal(adminRule.project_id, app.adminProject);
  assert.equal((await get(`security-group-rules/${adminRule.id}`)).statusCode, 200);
  // A member cannot make anything for another project, nor its default group.
  const other = randomUUID();
  const forOther = await post('security-groups', {
    security_group: { name: 'x', project_id: other },
  });
  assertNeutronError(forOther, 400, 'HTTPBadRequest');
  await get(`security-groups?project_id=${other}`);
  const made = await app.t.db
    .selectFrom('security_groups')
    .select('id')
    .where('project_id', '=', other)
    .execute();
  assert.equal(made.length, 0);
});

test('quotas: groups and rules are counted, the default group included', async () => {
  const project = randomUUID();
  await app.t.db
    .insertInto('network_quotas')
    .values([
      { project_id: project, resource: 'security_group', hard_limit: 2 },
      { project_id: project, resource: 'security_group_rule', hard_limit: 8 },
    ])
    .execute();
  const mk = (name: string) =>
    post('security-groups', { security_group: { name, project_id: project } }, app.admin);
  assert.equal((await mk('one')).statusCode, 201);
  assertNeutronError(
    await mk('two'),
    409,
    'OverQuota',
    "Quota exceeded for resources: ['security_group'].",
  );
  const one = (await get(`security-groups?project_id=${project}&name=one`, app.admin)).json();
  const gid = one.security_groups[0].id;
  for (const proto of ['tcp', 'udp', 'gre']) {
    const res = await post(
      'security-group-rules',
      {
        security_group_rule: {
          security_group_id: gid,
          direction: 'ingress',
          protocol: proto,
          project_id: project,
        },
      },
      app.admin,
    );
    if (proto === 'gre') {
      assertNeutronError(
        res,
        409,
        'OverQuota',
        "Quota exceeded for resources: ['security_group_rule'].",
      );
    } else assert.equal(res.statusCode, 201, res.body);
  }
});

test('hostile input gets a 4xx with Neutron text, never a 500', async () => {
  const g = await makeGroup('hostile');
  const rule = (r: Record<string, unknown>) =>
    post('security-group-rules', {
      security_group_rule: { security_group_id: g.id, direction: 'ingress', ...r },
    });
  const obj = { toString: 'x' };
  assertNeutronError(
    await post('security-groups', { security_group: { name: obj } }),
    400,
    'HTTPBadRequest',
    "Invalid input for name. Reason: '{'toString': 'x'}' is not a valid string.",
  );
  assertNeutronError(
    await post('security-groups', { security_group: { name: null } }),
    400,
    'HTTPBadRequest',
    "Invalid input for name. Reason: 'None' is not a valid string.",
  );
  assertNeutronError(await rule({ protocol: obj }), 400, 'SecurityGroupRuleInvalidProtocol');
  assertNeutronError(await rule({ protocol: [6] }), 400, 'SecurityGroupRuleInvalidProtocol');
  assertNeutronError(await rule({ protocol: 1e300 }), 400, 'SecurityGroupRuleInvalidProtocol');
  assertNeutronError(await rule({ ethertype: obj }), 400, 'SecurityGroupRuleInvalidEtherType');
  assertNeutronError(await rule({ ethertype: null }), 400, 'SecurityGroupRuleInvalidEtherType');
  assertNeutronError(
    await rule({ protocol: 'tcp', port_range_min: obj }),
    400,
    'SecurityGroupInvalidPortValue',
  );
  assertNeutronError(
    await rule({ protocol: 'tcp', port_range_min: 1e29 }),
    400,
    'SecurityGroupInvalidPortValue',
  );
  assertNeutronError(await rule({ remote_ip_prefix: obj }), 400, 'InvalidCIDR');
  assertNeutronError(
    await rule({ remote_group_id: obj }),
    400,
    'HTTPBadRequest',
    "Invalid input for remote_group_id. Reason: '{'toString': 'x'}' is not a valid string.",
  );
  assertNeutronError(await rule({ security_group_id: obj }), 400, 'HTTPBadRequest');
  assertNeutronError(await rule({ security_group_id: null }), 400, 'HTTPBadRequest');
  assertNeutronError(await rule({ direction: null }), 400, 'HTTPBadRequest');
  assertNeutronError(
    await post('security-group-rules', { security_group_rule: null }),
    400,
    'HTTPBadRequest',
  );
  assertNeutronError(await post('security-group-rules', [1]), 400, 'HTTPBadRequest');
  assertNeutronError(
    await post('security-groups', '{"security_group": {"__proto__": {"name": "x"}}}'),
    400,
    'HTTPBadRequest',
  );
  const deep = '{"security_group": ' + '['.repeat(5000) + ']'.repeat(5000) + '}';
  assertNeutronError(await post('security-groups', deep), 400, 'HTTPBadRequest');
  assertNeutronError(await get('security-groups?__proto__=x'), 400, 'HTTPBadRequest');
  assertNeutronError(
    await get('security-group-rules?sort_key=constructor&sort_dir=asc'),
    400,
    'HTTPBadRequest',
  );
  assertNeutronError(
    await get('security-group-rules?port_range_min=x'),
    400,
    'SecurityGroupInvalidPortValue',
  );
  const many = Array.from({ length: 1200 }, (_, i) => `name=n${i}`).join('&');
  assert.equal((await get(`security-groups?${many}`)).statusCode, 200);
  assertNeutronError(
    await put(`security-groups/${g.id}`, { security_group: { stateful: obj } }),
    400,
    'InvalidInput',
  );
  assertNeutronError(
    await put(`security-groups/${g.id}`, { security_group: { id: 'x' } }),
    400,
    'HTTPBadRequest',
    'Cannot update read-only attribute id',
  );
  const huge = await get(`security-groups?limit=${'9'.repeat(40)}&sort_key=name&sort_dir=asc`);
  assert.equal(huge.statusCode, 200, huge.body);
});
