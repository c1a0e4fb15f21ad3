import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFault, useApp } from '../helpers/app.js';

const app = useApp();
const c = '/compute/v2.1';

const mv = (version: string) => ({ 'openstack-api-version': `compute ${version}` });
const get = (url: string, headers = app.demo) =>
  app.t.inject({ method: 'GET', url: `${c}${url}`, headers });
const create = (flavor: Record<string, unknown>, headers = app.admin) =>
  app.t.inject({ method: 'POST', url: `${c}/flavors`, headers, payload: { flavor } });

describe('DevStack flavors', () => {
  test('are there from the first start, ordered by flavor id as Nova orders them', async () => {
    const res = await get('/flavors');
    assert.equal(res.statusCode, 200);
    const devstack = ['1', '2', '3', '4', '42', '5', '84', 'c1', 'd1', 'd2', 'd3', 'd4'];
    // Other tests may have added flavors: DevStack's keep their order among them.
    const ids = res
      .json()
      .flavors.map((f: any) => f.id)
      .filter((id: string) => devstack.includes(id));
    assert.deepEqual(ids, devstack);
    const small = res.json().flavors.find((f: any) => f.id === '2');
    assert.equal(small.name, 'm1.small');
    assert.deepEqual(
      small.links.map((l: any) => l.rel),
      ['self', 'bookmark'],
    );
    assert.ok(!('ram' in small));
  });

  test('detail fields follow the microversion: swap "" before 2.75, description 2.55, extra_specs 2.61', async () => {
    const at = async (v: string) =>
      (await get('/flavors/2', { ...app.demo, ...mv(v) })).json().flavor;
    const v21 = await at('2.1');
    assert.deepEqual(
      {
        ram: v21.ram,
        disk: v21.disk,
        vcpus: v21.vcpus,
        swap: v21.swap,
        eph: v21['OS-FLV-EXT-DATA:ephemeral'],
        pub: v21['os-flavor-access:is_public'],
      },
      { ram: 2048, disk: 20, vcpus: 1, swap: '', eph: 0, pub: true },
    );
    assert.ok(!('description' in v21) && !('extra_specs' in v21));
    assert.ok('description' in (await at('2.55')) && !('extra_specs' in (await at('2.55'))));
    assert.deepEqual((await at('2.61')).extra_specs, {});
    assert.equal((await at('2.75')).swap, 0);
  });

  test("filters, limit and marker; bad values get Nova's 400s", async () => {
    const names = async (q: string) =>
      (await get(`/flavors/detail?${q}`)).json().flavors.map((f: any) => f.name);
    assert.deepEqual(await names('minRam=8192'), ['m1.large', 'm1.xlarge']);
    assert.deepEqual(await names('minDisk=80'), ['m1.large', 'm1.xlarge']);
    assert.deepEqual(await names('limit=2&marker=3'), ['m1.large', 'm1.nano']);
    assert.deepEqual(await names('sort_key=memory_mb&sort_dir=desc&limit=1'), ['m1.xlarge']);
    assertFault(await get('/flavors?marker=nope'), 400, 'badRequest', 'marker [nope] not found');
    assertFault(await get('/flavors?minRam=x'), 400, 'badRequest', 'Invalid minRam filter [x]');
    assertFault(
      await get('/flavors?is_public=maybe', app.admin),
      400,
      'badRequest',
      'Invalid is_public filter [maybe]',
    );
    assertFault(
      await get('/flavors/no-such'),
      404,
      'itemNotFound',
      'Flavor no-such could not be found.',
    );
  });
});

describe('managing flavors', () => {
  test('admins create (numbers as strings too), members are refused; names and ids are unique', async () => {
    const res = await create({
      name: 'made',
      ram: '1024',
      vcpus: 2,
      disk: 5,
      id: 1234,
      swap: 512,
      rxtx_factor: 2.5,
    });
    assert.equal(res.statusCode, 200, res.body);
    const f = res.json().flavor;
    assert.deepEqual(
      [f.id, f.ram, f.vcpus, f.disk, f.swap, f.rxtx_factor],
      ['1234', 1024, 2, 5, 512, 2.5],
    );
    assertFault(
      await create({ name: 'made', ram: 1, vcpus: 1, disk: 0 }),
      409,
      'conflictingRequest',
      'Flavor with name made already exists.',
    );
    assertFault(
      await create({ name: 'other', ram: 1, vcpus: 1, disk: 0, id: '1234' }),
      409,
      'conflictingRequest',
      'Flavor with ID 1234 already exists.',
    );
    assertFault(
      await create({ name: 'x', ram: 1, vcpus: 1, disk: 0 }, app.demo),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.",
    );
    assertFault(
      await create({ name: 'x', ram: 0, vcpus: 1, disk: 0 }),
      400,
      'badRequest',
      /ram.*less than the minimum of 1/,
    );
    assertFault(
      await create({ name: 'x', vcpus: 1, disk: 0 }),
      400,
      'badRequest',
      /'ram' is a required property/,
    );
    assertFault(
      await create({ name: ' x', ram: 1, vcpus: 1, disk: 0 }),
      400,
      'badRequest',
      /field\/attribute name/,
    );
    assertFault(
      await create({ name: 'x', ram: 1, vcpus: 1, disk: 0, id: 'a/b' }),
      400,
      'badRequest',
      /field\/attribute id/,
    );
    assertFault(
      await create({ name: 'x', ram: 1, vcpus: 1, disk: 0, description: 'd' }),
      400,
      'badRequest',
      /'description' was unexpected/,
    );
    const generated = (
      await create({ name: 'auto-id', ram: 1, vcpus: 1, disk: 0, id: null })
    ).json().flavor;
    assert.match(generated.id, /^[0-9a-f-]{36}$/);
    assert.equal(
      (
        await app.t.inject({
          method: 'DELETE',
          url: `${c}/flavors/${generated.id}`,
          headers: app.admin,
        })
      ).statusCode,
      202,
    );
    assertFault(
      await app.t.inject({
        method: 'DELETE',
        url: `${c}/flavors/${generated.id}`,
        headers: app.admin,
      }),
      404,
      'itemNotFound',
    );
  });

  test('the description is set at create and updated from 2.55; PUT does not exist before', async () => {
    const v = { ...app.admin, ...mv('2.55') };
    const made = await create(
      { name: 'described', id: 'x-described', ram: 1, vcpus: 1, disk: 0, description: 'first' },
      v,
    );
    assert.equal(made.json().flavor.description, 'first');
    const id = made.json().flavor.id;
    const put = await app.t.inject({
      method: 'PUT',
      url: `${c}/flavors/${id}`,
      headers: v,
      payload: { flavor: { description: 'second' } },
    });
    assert.equal(put.json().flavor.description, 'second');
    assertFault(
      await app.t.inject({
        method: 'PUT',
        url: `${c}/flavors/${id}`,
        headers: app.admin,
        payload: { flavor: { description: 'x' } },
      }),
      404,
      'itemNotFound',
    );
    assertFault(
      await app.t.inject({
        method: 'PUT',
        url: `${c}/flavors/${id}`,
        headers: v,
        payload: { flavor: { name: 'x' } },
      }),
      400,
      'badRequest',
    );
  });

  test('a private flavor is seen by admins asking for it and by projects given access', async () => {
    const id = (
      await create({
        name: 'private',
        ram: 1,
        vcpus: 1,
        disk: 0,
        'os-flavor-access:is_public': 'False',
      })
    ).json().flavor.id;
    const names = async (q: string, headers = app.demo) =>
      (await get(`/flavors?${q}`, headers)).json().flavors.map((f: any) => f.name);
    assert.ok(!(await names('')).includes('private'));
    assert.ok(
      !(await names('', app.admin)).includes('private'),
      'not even admins see it without asking',
    );
    assert.ok((await names('is_public=false', app.admin)).includes('private'));
    const all = await names('is_public=none', app.admin);
    assert.ok(all.includes('m1.small') && all.includes('private'));
    assertFault(await get(`/flavors/${id}`), 404, 'itemNotFound');

    const action = (body: object, headers = app.admin) =>
      app.t.inject({ method: 'POST', url: `${c}/flavors/${id}/action`, headers, payload: body });
    const added = await action({ addTenantAccess: { tenant: app.demoProject } });
    assert.deepEqual(added.json().flavor_access, [{ flavor_id: id, tenant_id: app.demoProject }]);
    assertFault(
      await action({ addTenantAccess: { tenant: app.demoProject } }),
      409,
      'conflictingRequest',
    );
    assert.ok((await names('')).includes('private'));
    assert.equal((await get(`/flavors/${id}`)).statusCode, 200);
    assertFault(
      await action({ removeTenantAccess: { tenant: app.demoProject } }, app.demo),
      403,
      'forbidden',
    );
    assert.deepEqual(
      (await action({ removeTenantAccess: { tenant: app.demoProject } })).json().flavor_access,
      [],
    );
    assertFault(
      await action({ removeTenantAccess: { tenant: app.demoProject } }),
      404,
      'itemNotFound',
    );
    assertFault(
      await get('/flavors/2/os-flavor-access', app.admin),
      404,
      'itemNotFound',
      'Access list not available for public flavors.',
    );
  });

  test('extra specs: set, read (members too), update one key, unset', async () => {
    const id = (await create({ name: 'specs', id: 'x-specs', ram: 1, vcpus: 1, disk: 0 })).json()
      .flavor.id;
    const url = `${c}/flavors/${id}/os-extra_specs`;
    const set = await app.t.inject({
      method: 'POST',
      url,
      headers: app.admin,
      payload: { extra_specs: { 'hw:numa_nodes': '1', 'hw:cpu_policy': 'shared' } },
    });
    assert.deepEqual(set.json().extra_specs, { 'hw:numa_nodes': '1', 'hw:cpu_policy': 'shared' });
    assert.deepEqual((await get(`/flavors/${id}/os-extra_specs`)).json().extra_specs, {
      'hw:cpu_policy': 'shared',
      'hw:numa_nodes': '1',
    });
    assert.deepEqual((await get(`/flavors/${id}/os-extra_specs/hw:numa_nodes`)).json(), {
      'hw:numa_nodes': '1',
    });
    const put = await app.t.inject({
      method: 'PUT',
      url: `${url}/hw:numa_nodes`,
      headers: app.admin,
      payload: { 'hw:numa_nodes': '2' },
    });
    assert.deepEqual(put.json(), { 'hw:numa_nodes': '2' });
    assertFault(
      await app.t.inject({
        method: 'PUT',
        url: `${url}/hw:numa_nodes`,
        headers: app.admin,
        payload: { other: '2' },
      }),
      400,
      'badRequest',
      'Request body and URI mismatch',
    );
    assertFault(
      await app.t.inject({
        method: 'POST',
        url,
        headers: app.demo,
        payload: { extra_specs: { a: 'b' } },
      }),
      403,
      'forbidden',
    );
    assert.equal(
      (await app.t.inject({ method: 'DELETE', url: `${url}/hw:numa_nodes`, headers: app.admin }))
        .statusCode,
      200,
    );
    assertFault(
      await get(`/flavors/${id}/os-extra_specs/hw:numa_nodes`),
      404,
      'itemNotFound',
      `Flavor ${id} has no extra specs with key hw:numa_nodes.`,
    );
    assert.deepEqual(
      (await get(`/flavors/${id}`, { ...app.demo, ...mv('2.61') })).json().flavor.extra_specs,
      { 'hw:cpu_policy': 'shared' },
    );
  });
});
