import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertFault, useApp } from '../helpers/app.js';

const app = useApp();
const c = '/compute/v2.1';
const mv = (version: string) => ({ 'openstack-api-version': `compute ${version}` });

let imageId = '';
let networkId = '';

/** Runs `make` once, on first use: suites' hooks may run before the file's app exists. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= make());
}

const shared = once(async () => {
  const made = await app.t.inject({
    method: 'POST',
    url: '/image/v2/images',
    headers: app.admin,
    payload: {
      name: 'views-image',
      container_format: 'bare',
      disk_format: 'raw',
      visibility: 'public',
    },
  });
  imageId = made.json().id;
  const up = await app.t.inject({
    method: 'PUT',
    url: `/image/v2/images/${imageId}/file`,
    headers: { ...app.admin, 'content-type': 'application/octet-stream' },
    payload: Buffer.alloc(64 * 1024),
  });
  assert.equal(up.statusCode, 204, up.body);
  const nets = await app.t.inject({
    method: 'GET',
    url: '/network/v2.0/networks?name=private',
    headers: app.demo,
  });
  networkId = nets.json().networks[0].id;
});

async function show(id: string, headers = app.demo): Promise<Record<string, any>> {
  const res = await app.t.inject({ method: 'GET', url: `${c}/servers/${id}`, headers });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().server;
}

async function waitFor(id: string, status: string): Promise<Record<string, any>> {
  for (let i = 0; i < 400; i++) {
    const s = await show(id);
    if (s.status === status && s['OS-EXT-STS:task_state'] === null) return s;
    if (s.status === 'ERROR' && status !== 'ERROR')
      assert.fail(`server went to ERROR: ${JSON.stringify(s.fault)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`server ${id} never reached ${status}`);
}

/** A server of demo's on `private`, ACTIVE. */
async function boot(extra: Record<string, unknown> = {}, headers = app.demo): Promise<string> {
  await shared();
  const res = await app.t.inject({
    method: 'POST',
    url: `${c}/servers`,
    headers,
    payload: {
      server: {
        name: `vm-${randomUUID().slice(0, 8)}`,
        imageRef: imageId,
        flavorRef: '42',
        networks: [{ uuid: networkId }],
        ...extra,
      },
    },
  });
  assert.equal(res.statusCode, 202, res.body);
  const id = res.json().server.id as string;
  await waitFor(id, 'ACTIVE');
  return id;
}

const LIST_2_1 = [
  'OS-DCF:diskConfig',
  'OS-EXT-AZ:availability_zone',
  'OS-EXT-STS:power_state',
  'OS-EXT-STS:task_state',
  'OS-EXT-STS:vm_state',
  'OS-SRV-USG:launched_at',
  'OS-SRV-USG:terminated_at',
  'accessIPv4',
  'accessIPv6',
  'addresses',
  'config_drive',
  'created',
  'flavor',
  'hostId',
  'id',
  'image',
  'key_name',
  'links',
  'metadata',
  'name',
  'os-extended-volumes:volumes_attached',
  'progress',
  'security_groups',
  'status',
  'tenant_id',
  'updated',
  'user_id',
];
const ADMIN_2_1 = [
  'OS-EXT-SRV-ATTR:host',
  'OS-EXT-SRV-ATTR:hypervisor_hostname',
  'OS-EXT-SRV-ATTR:instance_name',
];
const ADMIN_2_3 = [
  'OS-EXT-SRV-ATTR:hostname',
  'OS-EXT-SRV-ATTR:kernel_id',
  'OS-EXT-SRV-ATTR:launch_index',
  'OS-EXT-SRV-ATTR:ramdisk_id',
  'OS-EXT-SRV-ATTR:reservation_id',
  'OS-EXT-SRV-ATTR:root_device_name',
  'OS-EXT-SRV-ATTR:user_data',
];
const sorted = (...lists: string[][]) => lists.flat().sort();

describe('server show: fields per microversion', () => {
  let id = '';
  const server = once(async () => {
    id = await boot({
      metadata: { hello: 'world' },
      accessIPv4: '1.1.1.1',
      accessIPv6: '0000:0000:0000:0000:0000:babe:220.12.22.2',
    });
  });

  test('2.1 member: exactly the 2.1 schema fields, no admin attributes', async () => {
    await server();
    const s = await show(id);
    assert.deepEqual(Object.keys(s).sort(), sorted(LIST_2_1));
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s.progress, 0);
    assert.deepEqual(s.metadata, { hello: 'world' });
    assert.equal(s.accessIPv4, '1.1.1.1');
    assert.equal(s.accessIPv6, '::babe:dc0c:1602');
    assert.deepEqual(s.image.id, imageId);
    assert.deepEqual(Object.keys(s.flavor).sort(), ['id', 'links']);
    assert.equal(s.flavor.id, '42');
    assert.deepEqual(s.security_groups, [{ name: 'default' }]);
    assert.match(s.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(s.hostId, /^[0-9a-f]{56}$/);
    const addrs = s.addresses.private;
    assert.ok(Array.isArray(addrs) && addrs.length >= 1);
    assert.deepEqual(Object.keys(addrs[0]).sort(), [
      'OS-EXT-IPS-MAC:mac_addr',
      'OS-EXT-IPS:type',
      'addr',
      'version',
    ]);
    assert.match(addrs[0]['OS-EXT-IPS-MAC:mac_addr'], /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    assert.deepEqual(s['os-extended-volumes:volumes_attached'], []);
  });

  test('2.1 admin adds host, hypervisor and instance name; 2.3 the rest of OS-EXT-SRV-ATTR', async () => {
    await server();
    assert.deepEqual(Object.keys(await show(id, app.admin)).sort(), sorted(LIST_2_1, ADMIN_2_1));
    const s23 = await show(id, { ...app.admin, ...mv('2.3') });
    assert.deepEqual(Object.keys(s23).sort(), sorted(LIST_2_1, ADMIN_2_1, ADMIN_2_3));
    assert.deepEqual(
      Object.keys(await show(id, { ...app.demo, ...mv('2.3') })).sort(),
      sorted(LIST_2_1),
    );
  });

  test('2.9 locked, 2.19 description, 2.26 tags, 2.47 embedded flavor, 2.73 locked_reason', async () => {
    await server();
    const s9 = await show(id, { ...app.demo, ...mv('2.9') });
    assert.equal(s9.locked, false);
    assert.equal(s9.description, undefined);
    const s19 = await show(id, { ...app.demo, ...mv('2.19') });
    assert.ok(Object.hasOwn(s19, 'description'));
    assert.equal(s19.tags, undefined);
    const s26 = await show(id, { ...app.demo, ...mv('2.26') });
    assert.deepEqual(s26.tags, []);
    assert.deepEqual(Object.keys(s26.flavor).sort(), ['id', 'links']);
    const s47 = await show(id, { ...app.demo, ...mv('2.47') });
    assert.deepEqual(Object.keys(s47.flavor).sort(), [
      'disk',
      'ephemeral',
      'original_name',
      'ram',
      'swap',
      'vcpus',
    ]);
    assert.equal(s47.flavor.original_name, 'm1.nano');
    const a47 = await show(id, { ...app.admin, ...mv('2.47') });
    assert.deepEqual(a47.flavor.extra_specs, {});
    assert.equal(s47.trusted_image_certificates, undefined);
    const s63 = await show(id, { ...app.demo, ...mv('2.63') });
    assert.equal(s63.trusted_image_certificates, null);
    assert.equal(s63.locked_reason, undefined);
    const s73 = await show(id, { ...app.demo, ...mv('2.73') });
    assert.equal(s73.locked_reason, null);
    assert.equal(s73.host_status, undefined);
    assert.equal((await show(id, { ...app.admin, ...mv('2.16') })).host_status, 'UP');
  });

  test('update answers the basic view: bare addresses, no extension fields', async () => {
    await server();
    const res = await app.t.inject({
      method: 'PUT',
      url: `${c}/servers/${id}`,
      headers: app.demo,
      payload: { server: { accessIPv6: '::babe:202:202' } },
    });
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json().server;
    for (const k of [
      'key_name',
      'security_groups',
      'OS-EXT-STS:vm_state',
      'config_drive',
      'os-extended-volumes:volumes_attached',
    ])
      assert.equal(Object.hasOwn(s, k), false, k);
    assert.deepEqual(Object.keys(s.addresses.private[0]).sort(), ['addr', 'version']);
    assert.equal(s.accessIPv6, '::babe:202:202');
    const empty = await app.t.inject({
      method: 'PUT',
      url: `${c}/servers/${id}`,
      headers: { ...app.demo, ...mv('2.47') },
      payload: { server: {} },
    });
    assert.equal(empty.statusCode, 200);
  });

  test('bad access addresses are 400 in Nova words', async () => {
    await server();
    for (const [field, value] of [
      ['accessIPv4', '1.1.1.1.1.1'],
      ['accessIPv6', 'notvalid'],
    ] as const)
      assertFault(
        await app.t.inject({
          method: 'PUT',
          url: `${c}/servers/${id}`,
          headers: app.demo,
          payload: { server: { [field]: value } },
        }),
        400,
        'badRequest',
        `Invalid input for field/attribute ${field}. Value: ${value}. '${value}' is not a '${field === 'accessIPv4' ? 'ipv4' : 'ipv6'}'`,
      );
  });

  test('ips lists bare addresses by network; an unknown network or server is 404', async () => {
    await server();
    const all = await app.t.inject({
      method: 'GET',
      url: `${c}/servers/${id}/ips`,
      headers: app.demo,
    });
    assert.equal(all.statusCode, 200);
    assert.deepEqual(Object.keys(all.json().addresses), ['private']);
    const one = await app.t.inject({
      method: 'GET',
      url: `${c}/servers/${id}/ips/private`,
      headers: app.demo,
    });
    assert.deepEqual(one.json(), { private: all.json().addresses.private });
    assertFault(
      await app.t.inject({
        method: 'GET',
        url: `${c}/servers/${id}/ips/__proto__`,
        headers: app.demo,
      }),
      404,
      'itemNotFound',
      'Instance is not a member of specified network',
    );
    assertFault(
      await app.t.inject({ method: 'GET', url: `${c}/servers/999/ips`, headers: app.demo }),
      404,
      'itemNotFound',
    );
  });

  test('os-server-password is "" and clearing it is 204', async () => {
    await server();
    const res = await app.t.inject({
      method: 'GET',
      url: `${c}/servers/${id}/os-server-password`,
      headers: app.demo,
    });
    assert.deepEqual(res.json(), { password: '' });
    const del = await app.t.inject({
      method: 'DELETE',
      url: `${c}/servers/${id}/os-server-password`,
      headers: app.demo,
    });
    assert.equal(del.statusCode, 204);
  });
});

describe('server show: presence rules', () => {
  test('progress is absent on SHUTOFF; security_groups absent without ports', async () => {
    await shared();
    const id = await boot();
    const stop = await app.t.inject({
      method: 'POST',
      url: `${c}/servers/${id}/action`,
      headers: app.demo,
      payload: { 'os-stop': {} },
    });
    assert.equal(stop.statusCode, 202);
    const s = await waitFor(id, 'SHUTOFF');
    assert.equal(Object.hasOwn(s, 'progress'), false);
    const none = await boot({ networks: 'none' }, { ...app.demo, ...mv('2.37') });
    const bare = await show(none);
    assert.equal(Object.hasOwn(bare, 'security_groups'), false);
    assert.deepEqual(bare.addresses, {});
  });

  test('a server that fits no host is ERROR with a fault; details only for admins on a 500', async () => {
    await shared();
    const flavor = await app.t.inject({
      method: 'POST',
      url: `${c}/flavors`,
      headers: app.admin,
      payload: {
        flavor: {
          name: `huge-${randomUUID().slice(0, 6)}`,
          ram: 64,
          vcpus: 1,
          disk: 1000000,
        },
      },
    });
    assert.equal(flavor.statusCode, 200, flavor.body);
    const res = await app.t.inject({
      method: 'POST',
      url: `${c}/servers`,
      headers: app.demo,
      payload: {
        server: {
          name: 'too-big',
          imageRef: imageId,
          flavorRef: flavor.json().flavor.id,
          networks: [],
        },
      },
    });
    assert.equal(res.statusCode, 202, res.body);
    const id = res.json().server.id;
    let s: Record<string, any> = {};
    for (let i = 0; i < 400 && s.status !== 'ERROR'; i++) {
      s = await show(id);
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(s.status, 'ERROR');
    assert.equal(Object.hasOwn(s, 'progress'), false);
    assert.equal(s.fault.code, 500);
    assert.match(s.fault.message, /No valid host/);
    assert.match(s.fault.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(Object.keys(s.fault).sort(), ['code', 'created', 'message']);
    const admin = await show(id, app.admin);
    assert.deepEqual(Object.keys(admin.fault).sort(), ['code', 'created', 'details', 'message']);
  });
});

describe('server actions the views rely on', () => {
  const action = (id: string, payload: object) =>
    app.t.inject({ method: 'POST', url: `${c}/servers/${id}/action`, headers: app.demo, payload });

  test('console output of length 3 splits into 3 pieces, as Nova tails the log', async () => {
    const id = await boot();
    const res = await action(id, { 'os-getConsoleOutput': { length: 3 } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().output.split('\n').length, 3);
    const all = await action(id, { 'os-getConsoleOutput': {} });
    assert.ok(all.json().output.split('\n').length > 3);
  });

  test('restore of an ACTIVE server is 409; forceDelete deletes; unknown servers 404', async () => {
    const id = await boot();
    assertFault(
      await action(id, { restore: {} }),
      409,
      'conflictingRequest',
      `Cannot 'restore' instance ${id} while it is in vm_state active`,
    );
    assert.equal((await action(id, { forceDelete: {} })).statusCode, 202);
    let status = 200;
    for (let i = 0; i < 400 && status === 200; i++) {
      status = (await app.t.inject({ method: 'GET', url: `${c}/servers/${id}`, headers: app.demo }))
        .statusCode;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(status, 404);
    for (const body of [{ restore: {} }, { forceDelete: {} }])
      assertFault(await action(randomUUID(), body), 404, 'itemNotFound');
  });
});

describe('server lists', () => {
  const tag = randomUUID().slice(0, 8);
  const ids: string[] = [];
  const servers = once(async () => {
    for (let i = 0; i < 3; i++) ids.push(await boot({ name: `list-${tag}-instance-${i}` }));
  });
  const list = (query: string, headers = app.demo) =>
    app.t.inject({ method: 'GET', url: `${c}/servers${query}`, headers });
  const names = async (query: string) =>
    (await list(query)).json().servers.map((s: any) => s.name) as string[];

  test('index items are id, name, links; detail items are the show view', async () => {
    await servers();
    const index = (await list(`?name=list-${tag}`)).json();
    assert.equal(index.servers.length, 3);
    assert.deepEqual(Object.keys(index.servers[0]).sort(), ['id', 'links', 'name']);
    assert.equal(index.servers_links, undefined);
    const detail = (await list(`/detail?name=list-${tag}`)).json();
    assert.deepEqual(Object.keys(detail.servers[0]).sort(), sorted(LIST_2_1));
  });

  test('name is a regex searched anywhere; status any case; image and flavor', async () => {
    await servers();
    assert.equal(
      (await names(`?name=${encodeURIComponent(`^list-${tag}-instance-[0-9]+$`)}`)).length,
      3,
    );
    assert.deepEqual(await names(`?name=${tag}-instance-1`), [`list-${tag}-instance-1`]);
    assert.equal((await names(`?name=list-${tag}&status=active`)).length, 3);
    assert.equal((await names(`?name=list-${tag}&status=non_existing_status`)).length, 0);
    assert.equal((await names(`?name=list-${tag}&image=${imageId}`)).length, 3);
    assert.equal((await names(`?name=list-${tag}&image=${randomUUID()}`)).length, 0);
    assert.equal((await names(`?name=list-${tag}&flavor=42`)).length, 3);
    assert.equal((await names(`?name=list-${tag}&flavor=non_existing_flavor`)).length, 0);
    assert.equal((await names('?changes-since=2051-01-01T12:34:00Z&status=ACTIVE')).length, 0);
    assertFault(await list('?name=%28'), 400, 'badRequest');
  });

  test('ip matches a part of a fixed address; ^, $ and escaped dots as Nova strips them', async () => {
    await servers();
    const addr = (await show(ids[0]!)).addresses.private[0].addr as string;
    const ip = async (q: string) =>
      (await list(`?name=list-${tag}&ip=${encodeURIComponent(q)}`))
        .json()
        .servers.map((s: any) => s.id);
    assert.deepEqual(await ip(addr), [ids[0]]);
    assert.deepEqual(await ip(`^${addr.replaceAll('.', '\\.')}$`), [ids[0]]);
    const prefix = addr.split('.').slice(0, 2).join('.');
    assert.equal((await ip(prefix)).length, 3);
    assert.deepEqual(await ip('203.0.113.'), []);
  });

  test('paging: limit, servers_links with the other parameters, marker, limit 0', async () => {
    await servers();
    const first = (await list(`?name=list-${tag}&limit=2`)).json();
    assert.equal(first.servers.length, 2);
    const next = new URL(first.servers_links[0].href);
    assert.equal(first.servers_links[0].rel, 'next');
    assert.equal(next.pathname, '/compute/v2.1/servers');
    assert.equal(next.searchParams.get('name'), `list-${tag}`);
    assert.equal(next.searchParams.get('marker'), first.servers[1].id);
    const rest = (await list(`${next.search}`)).json();
    assert.equal(rest.servers.length, 1);
    assert.deepEqual(
      new Set([...first.servers, ...rest.servers].map((s: any) => s.id)),
      new Set(ids),
    );
    const detail = (await list(`/detail?name=list-${tag}&limit=1`)).json();
    assert.match(detail.servers_links[0].href, /\/compute\/v2\.1\/servers\/detail\?/);
    assert.equal((await list(`?name=list-${tag}&limit=0`)).json().servers.length, 0);
    assert.equal((await list(`?name=list-${tag}&limit=100000`)).json().servers.length, 3);
  });

  test('bad limits and unknown markers are 400', async () => {
    await servers();
    assertFault(
      await list('?limit=testing'),
      400,
      'badRequest',
      /^Invalid input for query parameters limit\. Value: testing\./,
    );
    assertFault(
      await list('?limit=-1'),
      400,
      'badRequest',
      /^Invalid input for query parameters limit\. Value: -1\./,
    );
    const marker = randomUUID();
    assertFault(await list(`?marker=${marker}`), 400, 'badRequest', `marker [${marker}] not found`);
    assertFault(
      await list('?marker=not-a-uuid'),
      400,
      'badRequest',
      'marker [not-a-uuid] not found',
    );
    assertFault(
      await list('?changes-since=2011/01/01'),
      400,
      'badRequest',
      "Invalid input for query parameters changes-since. Value: 2011/01/01. '2011/01/01' is not a 'date-time'",
    );
    assert.equal((await list('?changes-since=2011-01-01')).statusCode, 200);
  });

  test('sort keys: display_name asc and desc; host by a member is 403; unknown keys', async () => {
    await servers();
    const asc = await names(`?name=list-${tag}&sort_key=display_name&sort_dir=asc`);
    assert.deepEqual(asc, [...asc].sort());
    const desc = await names(`?name=list-${tag}&sort_key=display_name&sort_dir=desc`);
    assert.deepEqual(desc, [...asc].reverse());
    assertFault(
      await list('?sort_key=host'),
      403,
      'forbidden',
      'Only administrators can sort servers by host',
    );
    assert.equal((await list('?sort_key=host', app.admin)).statusCode, 200);
    assertFault(await list('?sort_key=__proto__'), 400, 'badRequest', /sort_key/);
    assertFault(await list('?sort_dir=sideways'), 400, 'badRequest');
  });

  test('all_tenants: 403 for a member; an admin sees every project', async () => {
    await servers();
    assertFault(
      await list('/detail?all_tenants=1'),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:servers:detail:get_all_tenants to be performed.",
    );
    assertFault(
      await list('?all_tenants=True'),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed.",
    );
    const all = (await list(`?all_tenants=1&name=list-${tag}`, app.admin)).json();
    assert.equal(all.servers.length, 3);
    assert.equal((await list(`?name=list-${tag}`, app.admin)).json().servers.length, 0);
  });

  test('hostile query input is data or a 400, never a 500', async () => {
    await servers();
    const many = Array.from({ length: 1200 }, (_, i) => `k${i}=${i}`).join('&');
    for (const q of [
      '?__proto__=1',
      '?constructor=x&toString=y',
      '?limit=99999999999999999999999',
      `?${many}`,
      '?name=a&name=b',
      '?status=__proto__',
      '?image=__proto__',
      '?flavor=constructor',
      '?tags=a,b&not-tags-any=__proto__',
      '?ip=%28',
      '?sort_key=constructor',
    ]) {
      const res = await list(`/detail${q}`);
      assert.ok(
        res.statusCode === 200 || res.statusCode === 400,
        `${q.slice(0, 40)}: ${res.statusCode} ${res.body}`,
      );
    }
  });
});
