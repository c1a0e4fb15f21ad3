import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testApp, useApp } from '../helpers/app.js';

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
  const [sub] = (await get(`subnets?network_id=${ext[0].id}`)).json().subnets;
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
