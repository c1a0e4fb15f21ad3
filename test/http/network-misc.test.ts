import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { testApp, useApp } from '../helpers/app.js';
import { agentId } from '../../src/services/network/agents.js';

const app = useApp();
const n = '/network/v2.0';

type Headers = Record<string, string>;
const call = (method: string, path: string, headers: Headers, payload?: unknown) =>
  app.t.inject({
    method: method as 'GET',
    url: `${n}/${path}`,
    headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    payload: payload === undefined ? undefined : JSON.stringify(payload),
  });
const get = (path: string, headers = app.demo) => call('GET', path, headers);
const put = (path: string, payload: unknown, headers = app.demo) =>
  call('PUT', path, headers, payload);
const del = (path: string, headers = app.demo) => call('DELETE', path, headers);

function assertNeutronError(res: any, status: number, type: string, message?: string): void {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json().NeutronError;
  assert.equal(body.type, type, res.body);
  if (message !== undefined) assert.equal(body.message, message);
  assert.equal(body.detail, '');
}

async function makeNetwork(name: string, headers = app.demo, extra = {}): Promise<any> {
  const res = await call('POST', 'networks', headers, { network: { name, ...extra } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().network;
}

test('version document at the root without a token; /v2.0/ lists the core collections', async () => {
  const root = await app.t.inject({ method: 'GET', url: '/network/' });
  assert.equal(root.statusCode, 200);
  const [v] = root.json().versions;
  assert.equal(v.id, 'v2.0');
  assert.equal(v.status, 'CURRENT');
  assert.match(v.links[0].href, /\/network\/v2\.0\/$/);
  assert.equal((await app.t.inject({ method: 'GET', url: '/network' })).statusCode, 200);
  assertNeutronError(
    await app.t.inject({ method: 'POST', url: '/network/' }),
    405,
    'HTTPMethodNotAllowed',
  );
  assert.equal((await app.t.inject({ method: 'GET', url: `${n}/` })).statusCode, 401);
  const res = await get('');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(
    res.json().resources.map((r: any) => r.name),
    ['network', 'subnet', 'subnetpool', 'port'],
  );
  assert.match(res.json().resources[0].links[0].href, /\/network\/v2\.0\/networks$/);
});

test('the first start makes DevStack defaults: ext-net with a loopback pool, demo private', async () => {
  const ext = (await get('networks?name=ext-net', app.admin)).json().networks;
  assert.equal(ext.length, 1);
  assert.equal(ext[0].project_id, app.adminProject);
  assert.equal(ext[0]['router:external'], true);
  assert.equal(ext[0].is_default, true);
  assert.equal(ext[0].shared, false);
  assert.equal(ext[0]['provider:network_type'], 'flat');
  assert.equal(ext[0].mtu, 1500);
  const [sub] = (await get(`subnets?network_id=${ext[0].id}`, app.admin)).json().subnets;
  assert.equal(sub.name, 'public-subnet');
  assert.equal(sub.cidr, '127.100.0.0/24');
  assert.equal(sub.gateway_ip, '127.100.0.1');
  assert.equal(sub.enable_dhcp, false);
  assert.deepEqual(sub.allocation_pools, [{ start: '127.100.0.2', end: '127.100.0.254' }]);

  const [priv] = (await get('networks?name=private')).json().networks;
  assert.equal(priv.project_id, app.demoProject);
  const [psub] = (await get(`subnets?network_id=${priv.id}`)).json().subnets;
  assert.equal(psub.name, 'private-subnet');
  assert.equal(psub.cidr, '10.0.0.0/26');
  assert.ok(fs.existsSync(path.join(app.t.dataDir, 'network-defaults.json')));
});

test('defaults are made once: a deleted default stays deleted after a restart', async () => {
  let t = await testApp();
  const dir = t.dataDir;
  const admin = { 'x-auth-token': await t.token('admin') };
  const list = await t.inject({ method: 'GET', url: `${n}/networks?name=private`, headers: admin });
  const [priv] = list.json().networks;
  const routers = await t.inject({
    method: 'GET',
    url: `${n}/routers?name=router1`,
    headers: admin,
  });
  const [router1] = routers.json().routers;
  const detached = await t.inject({
    method: 'PUT',
    url: `${n}/routers/${router1.id}/remove_router_interface`,
    headers: admin,
    payload: { subnet_id: priv.subnets[0] },
  });
  assert.equal(detached.statusCode, 200);
  const routerGone = await t.inject({
    method: 'DELETE',
    url: `${n}/routers/${router1.id}`,
    headers: admin,
  });
  assert.equal(routerGone.statusCode, 204);
  const gone = await t.inject({
    method: 'DELETE',
    url: `${n}/networks/${priv.id}`,
    headers: admin,
  });
  assert.equal(gone.statusCode, 204);
  await t.close();
  t = await testApp(dir);
  const again = await t.inject({
    method: 'GET',
    url: `${n}/networks`,
    headers: { 'x-auth-token': await t.token('admin') },
  });
  assert.deepEqual(
    again.json().networks.map((x: any) => x.name),
    ['ext-net'],
  );
  const noRouters = await t.inject({
    method: 'GET',
    url: `${n}/routers`,
    headers: { 'x-auth-token': await t.token('admin') },
  });
  assert.deepEqual(noRouters.json().routers, []);
  await t.close();
});

test('quotas: a member reads its own, the admin sets, lists, details and resets', async () => {
  const own = await get(`quotas/${app.demoProject}`);
  assert.equal(own.statusCode, 200);
  assert.deepEqual(own.json().quota, {
    network: 100,
    subnet: 100,
    subnetpool: -1,
    port: 500,
    router: 10,
    floatingip: 50,
    security_group: 10,
    security_group_rule: 100,
    rbac_policy: 10,
  });
  const project = 'f'.repeat(32);
  const set = await put(`quotas/${project}`, { quota: { network: 0, port: '0' } }, app.admin);
  assert.equal(set.statusCode, 200, set.body);
  assert.equal(set.json().quota.network, 0);
  assert.equal(set.json().quota.port, 0);
  assert.equal(set.json().quota.subnet, 100);
  assert.ok(!('project_id' in set.json().quota));

  const all = (await get('quotas', app.admin)).json().quotas;
  const mine = all.find((q: any) => q.project_id === project);
  assert.equal(mine.tenant_id, project);
  assert.equal(mine.network, 0);
  assert.equal(mine.router, 10);
  assert.deepEqual((await get(`quotas/${project}.json`, app.admin)).json().quota, set.json().quota);

  assert.equal((await del(`quotas/${project}`, app.admin)).statusCode, 204);
  const after = (await get(`quotas/${project}`, app.admin)).json();
  assert.deepEqual(after, (await get(`quotas/${project}/default`, app.admin)).json());
  assert.ok(
    !(await get('quotas', app.admin)).json().quotas.some((q: any) => q.project_id === project),
  );
  assertNeutronError(
    await del(`quotas/${project}`, app.admin),
    404,
    'TenantQuotaNotFound',
    `Quota for tenant ${project} could not be found.`,
  );
});

test('quota details count what the project has; other projects need admin', async () => {
  const res = await get(`quotas/${app.demoProject}/details.json`);
  assert.equal(res.statusCode, 200);
  const q = res.json().quota;
  assert.equal(Object.keys(q).length, 9);
  assert.ok(q.network.used >= 1, 'private counts');
  assert.deepEqual(Object.keys(q.network).sort(), ['limit', 'reserved', 'used']);
  assert.equal(q.network.limit, 100);
  assert.equal(q.rbac_policy.used, 0);
  assert.equal((await get(`quotas/${app.demoProject}/details`)).statusCode, 200);
  assertNeutronError(
    await get(`quotas/${app.adminProject}/details.json`),
    403,
    'AdminRequired',
    'User does not have admin privileges: Only admin is authorized to access quotas for another project.',
  );
  assert.equal((await get(`quotas/${app.demoProject}/details`, app.admin)).statusCode, 200);
});

test('quota policy: members may not read others, set or reset', async () => {
  const refused = (rule: string) => (res: any) =>
    assertNeutronError(res, 403, 'PolicyNotAuthorized', `rule:${rule} is disallowed by policy`);
  refused('get_quota')(await get(`quotas/${app.adminProject}`));
  refused('get_quota')(await get(`quotas/${app.adminProject}/default`));
  refused('get_quota')(await get('quotas'));
  refused('update_quota')(await put(`quotas/${app.demoProject}`, { quota: { network: 5 } }));
  refused('update_quota')(await put(`quotas/${app.demoProject}`, 'garbage'));
  refused('delete_quota')(await del(`quotas/${app.demoProject}`));
  assert.deepEqual((await get('quotas/project')).json(), {
    project: { project_id: app.demoProject },
  });
  assert.deepEqual((await get('quotas/tenant')).json(), { tenant: { tenant_id: app.demoProject } });
  assertNeutronError(
    await call('POST', 'quotas', app.admin, { quota: {} }),
    501,
    'HTTPNotImplemented',
    'POST requests are not supported on this resource.',
  );
});

test('quota bodies are checked with Neutron texts', async () => {
  const p = `quotas/${'e'.repeat(32)}`;
  const bad = async (body: unknown, type: string, message: string) =>
    assertNeutronError(await put(p, body, app.admin), 400, type, message);
  await bad({}, 'HTTPBadRequest', 'Resource body required');
  await bad([], 'HTTPBadRequest', 'Resource body required');
  await bad([1], 'HTTPBadRequest', 'Body contains invalid data');
  await bad({ nope: 1 }, 'HTTPBadRequest', "Unable to find 'quota' in request body");
  await bad({ quota: 5 }, 'HTTPBadRequest', "Object 'quota' contains invalid data");
  await bad({ quota: { bogus: 1 } }, 'HTTPBadRequest', "Unrecognized attribute(s) 'bogus'");
  const proto = await app.t.inject({
    method: 'PUT',
    url: `${n}/${p}`,
    headers: { ...app.admin, 'content-type': 'application/json' },
    payload: '{"quota": {"__proto__": {"network": 1}}}',
  });
  assert.equal(proto.statusCode, 400, proto.body);
  await bad(
    { quota: { network: -2 } },
    'HTTPBadRequest',
    "Invalid input for network. Reason: '-2' is too small - must be at least '-1'.",
  );
  await bad(
    { quota: { port: 2147483648 } },
    'HTTPBadRequest',
    "Invalid input for port. Reason: '2147483648' is too large - must be no larger than '2147483647'.",
  );
  await bad(
    { quota: { port: '99999999999999999999999' } },
    'HTTPBadRequest',
    "Invalid input for port. Reason: '99999999999999999999999' is too large - must be no larger than '2147483647'.",
  );
  await bad(
    { quota: { network: 'abc' } },
    'InvalidInput',
    "Invalid input for operation: 'abc' is not an integer.",
  );
  await bad(
    { quota: { network: null } },
    'InvalidInput',
    "Invalid input for operation: 'None' is not an integer.",
  );
  await bad(
    { quota: { network: { toString: 'x' } } },
    'InvalidInput',
    "Invalid input for operation: '{'toString': 'x'}' is not an integer.",
  );
  let deep: unknown = 1;
  for (let i = 0; i < 300; i++) deep = [deep];
  assert.equal((await put(p, { quota: { network: deep } }, app.admin)).statusCode, 400);
  // -1 is unlimited; force and check_limit are flags, not resources; true is 1 as in Python.
  const ok = await put(p, { quota: { network: -1, router: true, force: true } }, app.admin);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().quota.network, -1);
  assert.equal(ok.json().quota.router, 1);
});

test('check_limit refuses a limit below usage; exceeding a limit is OverQuota', async () => {
  const res = await put(
    `quotas/${app.demoProject}`,
    { quota: { network: 0, check_limit: true } },
    app.admin,
  );
  assertNeutronError(res, 400, 'HTTPBadRequest');
  assert.match(
    res.json().NeutronError.message,
    /^Quota limit 0 for network must be greater than or equal to already used \d+$/,
  );
  const project = 'd'.repeat(32);
  await put(`quotas/${project}`, { quota: { network: 1 } }, app.admin);
  await makeNetwork('q1', app.admin, { project_id: project });
  assertNeutronError(
    await call('POST', 'networks', app.admin, { network: { project_id: project } }),
    409,
    'OverQuota',
    "Quota exceeded for resources: ['network'].",
  );
});

test('tags on a network: add one, check, replace, remove; each change moves the revision', async () => {
  const net = await makeNetwork('tagged');
  const base = `networks/${net.id}/tags`;
  // Tempest sends the JSON string "{}" as the body of a one-tag PUT.
  const added = await put(`${base}/red`, '{}');
  assert.equal(added.statusCode, 201, added.body);
  assert.equal(added.body, '');
  assert.equal((await put(`${base}/red`, undefined)).statusCode, 201, 'idempotent');
  const checked = await get(`${base}/red`);
  assert.equal(checked.statusCode, 204);
  assert.equal(checked.body, '');
  assert.deepEqual((await get(base)).json(), { tags: ['red'] });
  const shown = (await get(`networks/${net.id}`)).json().network;
  assert.deepEqual(shown.tags, ['red']);
  assert.equal(shown.revision_number, net.revision_number + 1);

  const replaced = await put(base, { tags: ['a', 'b', 'c'] });
  assert.equal(replaced.statusCode, 200);
  assert.deepEqual(replaced.json(), { tags: ['a', 'b', 'c'] });
  assert.deepEqual((await get(base)).json().tags.sort(), ['a', 'b', 'c']);
  assert.deepEqual((await get('networks?tags=a,b&name=tagged')).json().networks[0].id, net.id);
  const rev = (await get(`networks/${net.id}`)).json().network.revision_number;
  await put(base, { tags: ['c', 'b', 'a'] });
  assert.equal((await get(`networks/${net.id}`)).json().network.revision_number, rev, 'no change');

  assert.equal((await del(`${base}/a`)).statusCode, 204);
  assertNeutronError(await del(`${base}/a`), 404, 'TagNotFound', 'Tag a could not be found.');
  assertNeutronError(await get(`${base}/a`), 404, 'TagNotFound', 'Tag a could not be found.');
  assert.equal((await del(base)).statusCode, 204);
  assert.deepEqual((await get(base)).json(), { tags: [] });
  assertNeutronError(await call('POST', base, app.demo, { tags: [] }), 404, 'HTTPNotFound');
});

test('tags on subnets, ports, subnet pools, routers, floating IPs and security groups', async () => {
  const net = await makeNetwork('tag-parents');
  const subnet = await call('POST', 'subnets', app.demo, {
    subnet: { network_id: net.id, cidr: '10.9.0.0/24', ip_version: 4 },
  });
  const port = await call('POST', 'ports', app.demo, { port: { network_id: net.id } });
  const ids: [string, string][] = [
    ['subnets', subnet.json().subnet.id],
    ['ports', port.json().port.id],
  ];
  // Resources whose aggregates other work adds: written as rows here.
  const now = new Date().toISOString();
  const std = { project_id: app.demoProject, description: '', revision_number: 0 };
  const stamps = { created_at: now, updated_at: now };
  const rows: [string, string, Record<string, unknown>][] = [
    [
      'routers',
      'routers',
      {
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
      },
    ],
    ['security-groups', 'security_groups', { name: 'sg', stateful: 1 }],
    [
      'floatingips',
      'floatingips',
      {
        floating_network_id: randomUUID(),
        floating_port_id: randomUUID(),
        floating_ip_address: '127.100.0.50',
        fixed_port_id: null,
        fixed_ip_address: null,
        router_id: null,
        status: 'DOWN',
      },
    ],
    [
      'subnetpools',
      'subnetpools',
      {
        name: 'pool',
        ip_version: 4,
        prefixes: '[]',
        default_prefixlen: 24,
        min_prefixlen: 8,
        max_prefixlen: 32,
        shared: 0,
        is_default: 0,
        default_quota: null,
        address_scope_id: null,
      },
    ],
  ];
  const hidden: [string, string][] = [];
  for (const [collection, table, values] of rows) {
    for (const project of [app.demoProject, app.adminProject]) {
      const id = randomUUID();
      await app.t.db
        .insertInto(table as 'routers')
        .values({ id, ...std, project_id: project, ...stamps, ...values } as any)
        .execute();
      (project === app.demoProject ? ids : hidden).push([collection, id]);
    }
  }
  for (const [collection, id] of ids) {
    const res = await put(`${collection}/${id}/tags`, { tags: ['x', 'y'] });
    assert.equal(res.statusCode, 200, `${collection}: ${res.body}`);
    assert.deepEqual((await get(`${collection}/${id}/tags`)).json().tags, ['x', 'y']);
    assert.equal((await put(`${collection}/${id}/tags/z`, {})).statusCode, 201);
    assert.equal((await get(`${collection}/${id}/tags/z`)).statusCode, 204);
    assert.deepEqual((await get(`${collection}/${id}/tags`, app.admin)).json().tags, [
      'x',
      'y',
      'z',
    ]);
  }
  const members: Record<string, string> = {
    routers: 'router',
    'security-groups': 'security_group',
    subnetpools: 'subnetpool',
    floatingips: 'floatingip',
  };
  for (const [collection, id] of hidden) {
    assertNeutronError(
      await get(`${collection}/${id}/tags`),
      404,
      'TagResourceNotFound',
      `Resource ${members[collection]} ${id} could not be found.`,
    );
    assertNeutronError(await put(`${collection}/${id}/tags/x`, {}), 404, 'TagResourceNotFound');
  }
  const sg = ids.find(([c]) => c === 'security-groups')![1];
  const row = await app.t.db
    .selectFrom('security_groups')
    .selectAll()
    .where('id', '=', sg)
    .executeTakeFirstOrThrow();
  assert.equal(row.revision_number, 2, 'a replace and an add');
});

test("tags: another project's resources are not found; visible but not own may not change", async () => {
  const adminNet = await makeNetwork('admin-only', app.admin);
  assertNeutronError(
    await get(`networks/${adminNet.id}/tags`),
    404,
    'TagResourceNotFound',
    `Resource network ${adminNet.id} could not be found.`,
  );
  const missing = randomUUID();
  assertNeutronError(
    await put(`ports/${missing}/tags`, { tags: [] }),
    404,
    'TagResourceNotFound',
    `Resource port ${missing} could not be found.`,
  );
  const [ext] = (await get('networks?name=ext-net')).json().networks;
  assert.equal((await get(`networks/${ext.id}/tags`)).statusCode, 200, 'external: visible');
  assertNeutronError(
    await put(`networks/${ext.id}/tags/mine`, {}),
    403,
    'PolicyNotAuthorized',
    'rule:update_network:tags is disallowed by policy',
  );
  assertNeutronError(await del(`networks/${ext.id}/tags`), 403, 'PolicyNotAuthorized');
});

test('tag bodies and tags are checked with Neutron texts', async () => {
  const net = await makeNetwork('tag-checks');
  const base = `networks/${net.id}/tags`;
  const bad = async (body: unknown, message: string) =>
    assertNeutronError(await put(base, body), 400, 'InvalidInput', message);
  await bad({}, 'Invalid input for operation: Invalid tags body.');
  await bad(['a'], 'Invalid input for operation: Invalid tags body.');
  await bad({ tags: 'a' }, "Invalid input for operation: 'a' is not a list.");
  await bad({ tags: null }, "Invalid input for operation: 'None' is not a list.");
  await bad(
    { tags: ['a', 'a', 'b', 'b'] },
    "Invalid input for operation: Duplicate items in the list: 'a, b'.",
  );
  await bad(
    { tags: [1, true] },
    "Invalid input for operation: Duplicate items in the list: 'True'.",
  );
  await bad(
    { tags: [{ toString: 'x' }] },
    "Invalid input for operation: '{'toString': 'x'}' is not a valid string.",
  );
  await bad(
    { tags: ['x'.repeat(256)] },
    `Invalid input for operation: '${'x'.repeat(256)}' exceeds maximum length of 255.`,
  );
  assert.equal(
    (await put(base, { tags: ['é'.repeat(255)] })).statusCode,
    200,
    'characters, not bytes',
  );
  assertNeutronError(
    await put(`${base}/${'y'.repeat(256)}`, {}),
    400,
    'InvalidInput',
    `Invalid input for operation: '${'y'.repeat(256)}' exceeds maximum length of 255.`,
  );
  assert.equal((await put(`${base}/with%20space`, {})).statusCode, 201);
  assert.equal((await get(`${base}/with%20space`)).statusCode, 204);
  const many = Array.from({ length: 2000 }, (_, i) => `t${i}`);
  assert.equal((await put(base, { tags: many })).statusCode, 200);
  assert.equal((await get(base)).json().tags.length, 2000);
  assert.equal((await put(base, { tags: ['only'] })).statusCode, 200);
  assert.deepEqual((await get(base)).json().tags, ['only']);
});

test('extensions: each alias shows what the list shows; unknown ones are not found', async () => {
  const list = (await get('extensions')).json().extensions;
  const aliases = list.map((e: any) => e.alias);
  for (const a of [
    'router',
    'quotas',
    'quota_details',
    'standard-attr-tag',
    'agent',
    'security-group',
    'external-net',
    'binding',
  ]) {
    assert.ok(aliases.includes(a), a);
  }
  assert.ok(!aliases.includes('dvr') && !aliases.includes('l3-ha'), 'only what is served');
  for (const e of list) {
    const one = await get(`extensions/${encodeURIComponent(e.alias)}`);
    assert.equal(one.statusCode, 200);
    assert.deepEqual(one.json().extension, e);
    assert.deepEqual(Object.keys(e).sort(), ['alias', 'description', 'links', 'name', 'updated']);
  }
  const quotas = list.find((e: any) => e.alias === 'quotas');
  assert.deepEqual(quotas, {
    name: 'Quota management support',
    alias: 'quotas',
    description: 'Expose functions for quotas management per project',
    updated: '2012-07-29T10:00:00-00:00',
    links: [],
  });
  assertNeutronError(
    await get('extensions/Availability%20Zone'),
    404,
    'HTTPNotFound',
    'Extension with alias Availability Zone does not exist',
  );
  assertNeutronError(await call('POST', 'extensions', app.admin, {}), 404, 'HTTPNotFound');
  assertNeutronError(await del('extensions/router', app.admin), 404, 'HTTPNotFound');
});

test("agents: a one-node DevStack's four, alive, for admins only", async () => {
  const res = await get('agents', app.admin);
  assert.equal(res.statusCode, 200);
  const agents = res.json().agents;
  assert.deepEqual(agents.map((a: any) => a.agent_type).sort(), [
    'DHCP agent',
    'L3 agent',
    'Metadata agent',
    'Open vSwitch agent',
  ]);
  const l3 = agents.find((a: any) => a.binary === 'neutron-l3-agent');
  assert.equal(l3.id, agentId(l3.host, 'neutron-l3-agent'), 'stable id');
  assert.equal(l3.topic, 'l3_agent');
  assert.equal(l3.availability_zone, 'nova');
  assert.equal(l3.alive, true);
  assert.equal(l3.admin_state_up, true);
  assert.equal(l3.description, null);
  assert.equal(l3.resources_synced, null);
  assert.match(l3.heartbeat_timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  assert.match(l3.created_at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  assert.equal(l3.configurations.agent_mode, 'legacy');
  const ovs = agents.find((a: any) => a.agent_type === 'Open vSwitch agent');
  assert.equal(ovs.availability_zone, null);
  assert.deepEqual(ovs.configurations.bridge_mappings, { public: 'br-ex' });
  const dhcp = agents.find((a: any) => a.agent_type === 'DHCP agent');
  assert.ok(dhcp.configurations.networks >= 1, 'private has a DHCP subnet');

  assert.deepEqual((await get('agents')).json(), { agents: [] }, 'members see none');
  assertNeutronError(
    await get(`agents/${l3.id}`),
    404,
    'HTTPNotFound',
    'The resource could not be found.',
  );
  assertNeutronError(
    await put(`agents/${l3.id}`, { agent: { description: 'x' } }),
    404,
    'HTTPNotFound',
  );
  assertNeutronError(await del(`agents/${l3.id}`), 404, 'HTTPNotFound');
  const missing = randomUUID();
  assertNeutronError(
    await get(`agents/${missing}`, app.admin),
    404,
    'AgentNotFound',
    `Agent ${missing} could not be found.`,
  );

  const filtered = (
    await get('agents?agent_type=DHCP+agent&fields=id&fields=binary', app.admin)
  ).json();
  assert.deepEqual(filtered.agents, [{ id: dhcp.id, binary: 'neutron-dhcp-agent' }]);
  assert.equal(
    (await get('agents?alive=True&admin_state_up=true', app.admin)).json().agents.length,
    4,
  );
  assertNeutronError(
    await get('agents?bogus=1', app.admin),
    400,
    'HTTPBadRequest',
    "['bogus'] is invalid attribute for filtering",
  );
  const page = (await get('agents?limit=2&sort_key=binary&sort_dir=asc', app.admin)).json();
  assert.deepEqual(
    page.agents.map((a: any) => a.binary),
    ['neutron-dhcp-agent', 'neutron-l3-agent'],
  );
  assert.equal(page.agents_links[0].rel, 'next');
  assertNeutronError(await get(`agents?marker=${missing}`, app.admin), 404, 'AgentNotFound');
});

test('agents: an admin sets admin_state_up and description, and deletes', async () => {
  const t = await testApp();
  const admin = { 'x-auth-token': await t.token('admin') };
  const req = (method: string, url: string, payload?: unknown) =>
    t.inject({
      method: method as 'GET',
      url: `${n}/${url}`,
      headers: admin,
      payload: payload as object,
    });
  const [agent] = (await req('GET', 'agents?binary=neutron-metadata-agent')).json().agents;
  const upd = await req('PUT', `agents/${agent.id}`, {
    agent: { admin_state_up: 'false', description: 'off' },
  });
  assert.equal(upd.statusCode, 200, upd.body);
  assert.equal(upd.json().agent.admin_state_up, false);
  assert.equal(upd.json().agent.description, 'off');
  assert.equal((await req('GET', `agents/${agent.id}`)).json().agent.description, 'off');
  assertNeutronError(
    await req('PUT', `agents/${agent.id}`, { agent: { host: 'h' } }),
    400,
    'HTTPBadRequest',
    'Cannot update read-only attribute host',
  );
  assertNeutronError(
    await req('PUT', `agents/${agent.id}`, { agent: { bogus: 1 } }),
    400,
    'HTTPBadRequest',
    "Unrecognized attribute(s) 'bogus'",
  );
  assertNeutronError(
    await req('PUT', `agents/${agent.id}`, { agent: { admin_state_up: 'maybe' } }),
    400,
    'InvalidInput',
    "Invalid input for operation: 'maybe' cannot be converted to boolean.",
  );
  assertNeutronError(
    await req('PUT', `agents/${agent.id}`, { agent: { description: { toString: 'x' } } }),
    400,
    'HTTPBadRequest',
  );
  assertNeutronError(
    await req('PUT', `agents/${agent.id}`, { nope: {} }),
    400,
    'HTTPBadRequest',
    "Unable to find 'agent' in request body",
  );
  assert.equal((await req('DELETE', `agents/${agent.id}`)).statusCode, 204);
  assertNeutronError(await req('GET', `agents/${agent.id}`), 404, 'AgentNotFound');
  assert.equal((await req('GET', 'agents')).json().agents.length, 3);
  await t.close();
});

test('availability zones: nova for networks and routers, filterable, for everyone', async () => {
  const all = (await get('availability_zones')).json().availability_zones;
  assert.deepEqual(all, [
    { name: 'nova', resource: 'network', state: 'available' },
    { name: 'nova', resource: 'router', state: 'available' },
  ]);
  const routers = (await get('availability_zones?resource=router&fields=name')).json();
  assert.deepEqual(routers, { availability_zones: [{ name: 'nova' }] });
  assert.deepEqual(
    (await get('availability_zones?state=unavailable')).json().availability_zones,
    [],
  );
  assertNeutronError(
    await get('availability_zones?zone=x'),
    400,
    'HTTPBadRequest',
    "['zone'] is invalid attribute for filtering",
  );
});

test('hostile input on these routes gets 4xx, never a 500', async () => {
  const many = Array.from({ length: 1200 }, (_, i) => `name=${i}`).join('&');
  assert.equal((await get(`availability_zones?${many}`)).statusCode, 200);
  assert.equal((await get(`agents?${many.replaceAll('name', 'host')}`, app.admin)).statusCode, 200);
  for (const key of ['__proto__', 'constructor', 'toString']) {
    assert.equal((await get(`agents?sort_key=${key}&sort_dir=asc`, app.admin)).statusCode, 400);
    assert.equal((await get(`agents?${key}=1`, app.admin)).statusCode, 400);
    assert.equal((await get(`extensions/${key}`)).statusCode, 404);
    assert.equal((await get(`quotas/${key}`, app.admin)).statusCode, 200);
  }
  const net = await makeNetwork('hostile');
  let deep: unknown = 'x';
  for (let i = 0; i < 300; i++) deep = { a: deep };
  const status = (await put(`networks/${net.id}/tags`, { tags: [deep] })).statusCode;
  assert.ok(status === 400, `deep tags: ${status}`);
  assert.equal((await put(`networks/${net.id}/tags`, { tags: [1e308, -0] })).statusCode, 400);
  assert.equal(
    (await put(`quotas/${app.demoProject}`, { quota: { network: 1e308 } }, app.admin)).statusCode,
    400,
  );
  assert.equal((await get(`agents?limit=99999999999999999999999`, app.admin)).statusCode, 200);
});

test('deep, prototype-keyed and non-JSON bodies on every write route here are a 400', async () => {
  const net = await makeNetwork('hostile-bodies');
  const [agent] = (await get('agents', app.admin)).json().agents;
  const routes = [
    `quotas/${app.demoProject}`,
    `networks/${net.id}/tags`,
    `networks/${net.id}/tags/x`,
    `agents/${agent.id}`,
  ];
  const bodies = [
    '['.repeat(100_000) + ']'.repeat(100_000),
    '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
    '{"__proto__": {"isAdmin": true}}',
    '{"constructor": {"prototype": {"x": 1}}}',
    '{"tags": [',
  ];
  for (const url of routes) {
    for (const payload of bodies) {
      const res = await app.t.inject({
        method: 'PUT',
        url: `${n}/${url}`,
        headers: { ...app.admin, 'content-type': 'application/json' },
        payload,
      });
      assert.equal(res.statusCode, 400, `PUT ${url}: ${res.body.slice(0, 200)}`);
      assert.equal(res.json().NeutronError.detail, '');
    }
  }
});
