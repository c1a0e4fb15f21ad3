import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFault, testApp, useApp } from '../helpers/app.js';

const app = useApp();
const c = '/compute/v2.1';
const demoUser = async () => (await app.t.app.identity.userByName('demo', 'default')).id;

const mv = (version: string) => ({ 'openstack-api-version': `compute ${version}` });

async function putQuota(url: string, body: object, headers = app.admin) {
  return app.t.inject({ method: 'PUT', url, headers, payload: body });
}

describe('versions and microversions', () => {
  test('the root lists v2.0 then v2.1 with 200, and each self link answers without a token', async () => {
    const root = await app.t.inject({ method: 'GET', url: '/compute/' });
    assert.equal(root.statusCode, 200);
    const versions = root.json().versions;
    assert.deepEqual(
      versions.map((v: any) => v.id),
      ['v2.0', 'v2.1'],
    );
    assert.equal(versions[1].version, '2.93');
    assert.equal(versions[1].min_version, '2.1');
    for (const v of versions) {
      const self = v.links.find((l: any) => l.rel === 'self').href as string;
      const doc = await app.t.inject({ method: 'GET', url: new URL(self).pathname });
      assert.equal(doc.statusCode, 200);
      assert.equal(doc.json().version.id, v.id);
      assert.deepEqual(
        doc.json().version.links.filter((l: any) => l.rel === 'self'),
        [{ rel: 'self', href: self }],
      );
    }
  });

  test('both version headers are read and echoed; out of range is 406, malformed 400', async () => {
    const none = await app.t.inject({ method: 'GET', url: `${c}/limits`, headers: app.demo });
    assert.equal(none.headers['openstack-api-version'], 'compute 2.1');
    assert.equal(none.headers['x-openstack-nova-api-version'], '2.1');
    const legacy = await app.t.inject({
      method: 'GET',
      url: `${c}/limits`,
      headers: { ...app.demo, 'x-openstack-nova-api-version': '2.40' },
    });
    assert.equal(legacy.headers['openstack-api-version'], 'compute 2.40');
    const latest = await app.t.inject({
      method: 'GET',
      url: `${c}/limits`,
      headers: { ...app.demo, ...mv('latest') },
    });
    assert.equal(latest.headers['x-openstack-nova-api-version'], '2.93');
    assertFault(
      await app.t.inject({
        method: 'GET',
        url: `${c}/limits`,
        headers: { ...app.demo, ...mv('2.94') },
      }),
      406,
      'notAcceptable',
      'Version 2.94 is not supported by the API. Minimum is 2.1 and maximum is 2.93.',
    );
    assertFault(
      await app.t.inject({
        method: 'GET',
        url: `${c}/limits`,
        headers: { ...app.demo, ...mv('2.x') },
      }),
      400,
      'badRequest',
      /invalid format/,
    );
  });

  test('no token gets Keystone middleware 401; an unknown path a Nova 404', async () => {
    const res = await app.t.inject({ method: 'GET', url: `${c}/limits` });
    assert.equal(res.statusCode, 401);
    assert.match(String(res.headers['www-authenticate']), /Keystone uri=/);
    assertFault(
      await app.t.inject({ method: 'GET', url: `${c}/no-such-thing`, headers: app.demo }),
      404,
      'itemNotFound',
    );
  });
});

describe('limits', () => {
  test('absolute limits follow the microversion: 2.36 drops network, 2.39 image meta, 2.57 personality', async () => {
    const at = async (v: string) =>
      (
        await app.t.inject({
          method: 'GET',
          url: `${c}/limits`,
          headers: { ...app.demo, ...mv(v) },
        })
      ).json().limits;
    const v21 = await at('2.1');
    assert.deepEqual(v21.rate, []);
    assert.equal(v21.absolute.maxTotalInstances, 10);
    assert.equal(v21.absolute.maxTotalRAMSize, 51200);
    assert.equal(v21.absolute.totalInstancesUsed, 0);
    for (const key of [
      'maxSecurityGroups',
      'maxTotalFloatingIps',
      'maxImageMeta',
      'maxPersonality',
    ])
      assert.ok(key in v21.absolute, key);
    const v236 = (await at('2.36')).absolute;
    assert.ok(
      !('maxSecurityGroups' in v236) && !('totalFloatingIpsUsed' in v236) && 'maxImageMeta' in v236,
    );
    const v239 = (await at('2.39')).absolute;
    assert.ok(!('maxImageMeta' in v239) && 'maxPersonality' in v239);
    const v257 = (await at('2.57')).absolute;
    assert.ok(!('maxPersonality' in v257) && !('maxPersonalitySize' in v257));
    assert.equal(v257.maxTotalInstances, 10);
  });

  test('another project is admin-only; the limits reflect its quotas', async () => {
    assertFault(
      await app.t.inject({
        method: 'GET',
        url: `${c}/limits?tenant_id=someone-else`,
        headers: app.demo,
      }),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:limits:other_project to be performed.",
    );
    const other = await app.t.app.identity.directory.createProject({
      name: 'limits-other',
      domain_id: 'default',
    });
    assert.equal(
      (await putQuota(`${c}/os-quota-sets/${other.id}`, { quota_set: { cores: 7 } })).statusCode,
      200,
    );
    const res = await app.t.inject({
      method: 'GET',
      url: `${c}/limits?tenant_id=${other.id}`,
      headers: app.admin,
    });
    assert.equal(res.json().limits.absolute.maxTotalCores, 7);
  });
});

describe('quota sets', () => {
  test('show, detail and defaults for the own project; fields by microversion', async () => {
    const show = (
      await app.t.inject({
        method: 'GET',
        url: `${c}/os-quota-sets/${app.demoProject}`,
        headers: app.demo,
      })
    ).json().quota_set;
    assert.equal(show.id, app.demoProject);
    assert.equal(show.instances, 10);
    assert.equal(show.fixed_ips, -1);
    assert.equal(show.injected_files, 5);
    assert.equal(show.server_groups, 10);
    const detail = (
      await app.t.inject({
        method: 'GET',
        url: `${c}/os-quota-sets/${app.demoProject}/detail`,
        headers: app.demo,
      })
    ).json().quota_set;
    assert.deepEqual(detail.ram, { limit: 51200, in_use: 0, reserved: 0 });
    const defaults = (
      await app.t.inject({
        method: 'GET',
        url: `${c}/os-quota-sets/${app.demoProject}/defaults`,
        headers: app.demo,
      })
    ).json().quota_set;
    assert.deepEqual(defaults, show);
    const v257 = (
      await app.t.inject({
        method: 'GET',
        url: `${c}/os-quota-sets/${app.demoProject}`,
        headers: { ...app.demo, ...mv('2.57') },
      })
    ).json().quota_set;
    assert.deepEqual(Object.keys(v257).sort(), [
      'cores',
      'id',
      'instances',
      'key_pairs',
      'metadata_items',
      'ram',
      'server_group_members',
      'server_groups',
    ]);
  });

  test('members read only their own project and never write', async () => {
    const other = await app.t.app.identity.directory.createProject({
      name: 'quota-other',
      domain_id: 'default',
    });
    assertFault(
      await app.t.inject({
        method: 'GET',
        url: `${c}/os-quota-sets/${other.id}`,
        headers: app.demo,
      }),
      403,
      'forbidden',
    );
    assertFault(
      await putQuota(`${c}/os-quota-sets/${app.demoProject}`, { quota_set: { ram: 1 } }, app.demo),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed.",
    );
    assertFault(
      await app.t.inject({
        method: 'DELETE',
        url: `${c}/os-quota-sets/${app.demoProject}`,
        headers: app.demo,
      }),
      403,
      'forbidden',
    );
  });

  test('an unknown project is refused as Nova does after asking Keystone', async () => {
    assertFault(
      await putQuota(`${c}/os-quota-sets/no-such-project`, { quota_set: { ram: 1 } }),
      400,
      'badRequest',
      'Project ID no-such-project is not a valid project.',
    );
  });

  test('update, user quotas inside the project, and delete back to the defaults', async () => {
    const user = await demoUser();
    const p = await app.t.app.identity.directory.createProject({
      name: 'quota-update',
      domain_id: 'default',
    });
    const url = `${c}/os-quota-sets/${p.id}`;
    const updated = await putQuota(url, { quota_set: { ram: '5120', instances: 4 } });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().quota_set.ram, 5120);
    assert.ok(!('id' in updated.json().quota_set));
    const detail = (
      await app.t.inject({ method: 'GET', url: `${url}/detail`, headers: app.admin })
    ).json().quota_set;
    assert.equal(detail.ram.limit, 5120);

    assert.equal(
      (await putQuota(`${url}?user_id=${user}`, { quota_set: { ram: 2048 } })).statusCode,
      200,
    );
    const userSet = (
      await app.t.inject({ method: 'GET', url: `${url}?user_id=${user}`, headers: app.admin })
    ).json().quota_set;
    assert.equal(userSet.ram, 2048);
    assert.equal(userSet.instances, 4, 'a user inherits what it does not set from the project');
    assertFault(
      await putQuota(`${url}?user_id=${user}`, { quota_set: { ram: 9000 } }),
      400,
      'badRequest',
      'Quota limit 9000 for ram must be less than or equal to 5120.',
    );
    const forced = await putQuota(`${url}?user_id=${user}`, {
      quota_set: { ram: 9000, force: true },
    });
    assert.equal(forced.statusCode, 200);
    assert.equal(forced.json().quota_set.ram, 9000);

    const del = await app.t.inject({ method: 'DELETE', url, headers: app.admin });
    assert.equal(del.statusCode, 202);
    const back = (await app.t.inject({ method: 'GET', url, headers: app.admin })).json().quota_set;
    assert.equal(back.ram, 51200);
    assert.equal(back.instances, 10);
  });

  test('bad bodies get the JSON-schema 400 texts', async () => {
    const url = `${c}/os-quota-sets/${app.demoProject}`;
    assertFault(
      await putQuota(url, { quota_set: { ram: -2 } }),
      400,
      'badRequest',
      'Invalid input for field/attribute ram. Value: -2. -2 is less than the minimum of -1',
    );
    assertFault(
      await putQuota(url, { quota_set: { ram: 'lots' } }),
      400,
      'badRequest',
      "Invalid input for field/attribute ram. Value: lots. 'lots' does not match '^-?[0-9]+$'",
    );
    assertFault(
      await putQuota(url, { quota_set: { ram: 1.5 } }),
      400,
      'badRequest',
      "Invalid input for field/attribute ram. Value: 1.5. 1.5 is not of type 'integer', 'string'",
    );
    assertFault(
      await putQuota(url, { quota_set: { ram: 2147483648 } }),
      400,
      'badRequest',
      /greater than the maximum of 2147483647/,
    );
    assertFault(
      await putQuota(url, { quota_set: { volumes: 1 } }),
      400,
      'badRequest',
      /Additional properties are not allowed \('volumes' was unexpected\)/,
    );
    assertFault(
      await putQuota(url, { quota: {} }),
      400,
      'badRequest',
      /'quota_set' is a required property/,
    );
    // Network quotas went away at 2.36: a request for one is refused from there on.
    assert.equal(
      (
        await app.t.inject({
          method: 'PUT',
          url,
          headers: app.admin,
          payload: { quota_set: { floating_ips: 3 } },
        })
      ).statusCode,
      200,
    );
    assertFault(
      await app.t.inject({
        method: 'PUT',
        url,
        headers: { ...app.admin, ...mv('2.36') },
        payload: { quota_set: { floating_ips: 3 } },
      }),
      400,
      'badRequest',
      /'floating_ips' was unexpected/,
    );
    await app.t.inject({ method: 'DELETE', url, headers: app.admin });
  });
});

describe('quota classes', () => {
  test('the default class changes what every project starts from, in Nova and in Cinder', async () => {
    const p = await app.t.app.identity.directory.createProject({
      name: 'quota-class',
      domain_id: 'default',
    });
    const before = (
      await app.t.inject({
        method: 'GET',
        url: `${c}/os-quota-class-sets/default`,
        headers: app.admin,
      })
    ).json().quota_class_set;
    assert.equal(before.id, 'default');
    assert.ok(
      !('server_groups' in before),
      'the v2.1 quota class API lacks the server group quotas',
    );
    const at250 = (
      await app.t.inject({
        method: 'GET',
        url: `${c}/os-quota-class-sets/default`,
        headers: { ...app.admin, ...mv('2.50') },
      })
    ).json().quota_class_set;
    assert.equal(at250.server_groups, 10);
    assert.ok(!('floating_ips' in at250));

    const put = await app.t.inject({
      method: 'PUT',
      url: `${c}/os-quota-class-sets/default`,
      headers: app.admin,
      payload: { quota_class_set: { instances: 110 } },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().quota_class_set.instances, 110);
    const show = (
      await app.t.inject({ method: 'GET', url: `${c}/os-quota-sets/${p.id}`, headers: app.admin })
    ).json().quota_set;
    assert.equal(show.instances, 110);

    // Cinder answers a URL naming another project than the token's with 400: the admin's own.
    const v = `/volume/v3/${app.adminProject}`;
    const cinderPut = await app.t.inject({
      method: 'PUT',
      url: `${v}/os-quota-class-sets/default`,
      headers: app.admin,
      payload: { quota_class_set: { volumes: 33 } },
    });
    assert.equal(cinderPut.statusCode, 200, cinderPut.body);
    assert.equal(cinderPut.json().quota_class_set.volumes, 33);
    const cinderShow = (
      await app.t.inject({ method: 'GET', url: `${v}/os-quota-sets/${p.id}`, headers: app.admin })
    ).json().quota_set;
    assert.equal(cinderShow.volumes, 33);
    const cinderDefaults = (
      await app.t.inject({
        method: 'GET',
        url: `${v}/os-quota-sets/${p.id}/defaults`,
        headers: app.admin,
      })
    ).json().quota_set;
    assert.equal(cinderDefaults.volumes, 33);

    assertFault(
      await app.t.inject({
        method: 'GET',
        url: `${c}/os-quota-class-sets/default`,
        headers: app.demo,
      }),
      403,
      'forbidden',
    );
    const cinderDenied = await app.t.inject({
      method: 'PUT',
      url: `/volume/v3/${app.demoProject}/os-quota-class-sets/default`,
      headers: app.demo,
      payload: { quota_class_set: { volumes: 1 } },
    });
    assert.equal(cinderDenied.statusCode, 403);

    await app.t.inject({
      method: 'PUT',
      url: `${c}/os-quota-class-sets/default`,
      headers: app.admin,
      payload: { quota_class_set: { instances: 10 } },
    });
    await app.t.inject({
      method: 'PUT',
      url: `${v}/os-quota-class-sets/default`,
      headers: app.admin,
      payload: { quota_class_set: { volumes: 10 } },
    });
  });

  test('quotas survive a restart', async () => {
    const first = await testApp();
    const admin = { 'x-auth-token': await first.token('admin') };
    const p = await first.app.identity.directory.createProject({
      name: 'quota-restart',
      domain_id: 'default',
    });
    const put = await first.inject({
      method: 'PUT',
      url: `${c}/os-quota-sets/${p.id}`,
      headers: admin,
      payload: { quota_set: { cores: 3 } },
    });
    assert.equal(put.statusCode, 200, put.body);
    await first.close();
    const again = await testApp(first.dataDir);
    try {
      const show = (
        await again.inject({
          method: 'GET',
          url: `${c}/os-quota-sets/${p.id}`,
          headers: { 'x-auth-token': await again.token('admin') },
        })
      ).json().quota_set;
      assert.equal(show.cores, 3);
    } finally {
      await again.close();
    }
  });
});
