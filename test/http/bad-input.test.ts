import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../helpers/app.js';

/**
 * A sweep of malformed bodies, media types and query values over every route that reads them,
 * as a member and as an admin: each must be answered with a 4xx, never a 5xx.
 */
let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

const BODIES = [
  undefined,
  '',
  'null',
  '[]',
  '{}',
  '"x"',
  '5',
  '{"a":',
  '{"volume": null}',
  '{"volume": []}',
  '{"volume": {"size": {"a":1}}}',
  '{"volume": {"size": 1, "metadata": [1]}}',
  '{"volume": {"size": 1, "name": 5}}',
  '{"snapshot": {"volume_id": 5}}',
  '{"os-extend": null}',
  '{"os-extend": {"new_size": "x"}}',
  '{"os-set_bootable": {"bootable": "maybe"}}',
  '{"os-volume_upload_image": {}}',
  '{"os-volume_upload_image": {"image_name": 5}}',
  '{"os-reset_status": {"status": 5}}',
  '{"os-force_delete": 5}',
  '{"metadata": {"": "x"}}',
  '{"meta": {"a": "b", "c": "d"}}',
  '{"quota_set": {"volumes": "x"}}',
  '{"quota_set": null}',
  '{"quota_set": {"ram": "x"}}',
  '{"quota_set": {"ram": 1.5}}',
  '{"quota_set": {"ram": 99999999999}}',
  '{"quota_set": {"force": "x", "cores": -2}}',
  '{"quota_class_set": {"ram": []}}',
  '{"flavor": {"name": "x", "ram": [], "vcpus": 1, "disk": 0}}',
  '{"flavor": {"name": "x", "ram": 1, "vcpus": 1, "disk": 0, "rxtx_factor": "x"}}',
  '{"flavor": {"name": 5, "ram": 1, "vcpus": 1, "disk": 0, "id": {}}}',
  '{"flavor": {"description": 5}}',
  '{"extra_specs": {"a": {}}}',
  '{"extra_specs": []}',
  '{"a": null}',
  '{"addTenantAccess": {"tenant": 5}}',
  '{"removeTenantAccess": null}',
  '{"keypair": {"name": 5}}',
  '{"keypair": {"name": "k", "public_key": 5}}',
  '{"keypair": {"name": "k", "type": "gpg"}}',
  '{"keypair": {"name": "k", "public_key": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAAQ== x"}}',
  '{"keypair": {"name": "k", "user_id": 5}}',
  '{"member": 5}',
  '{"status": null}',
  '[{"op":"add","path":5}]',
  '[{"op":"add","path":"/tags","value":[1]}]',
  '[{"op":"add","path":"/min_ram","value":"x"}]',
  '{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": 5}}}}}',
  '{"auth": {"identity": {"methods": ["token"], "token": {}}}}',
  '{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo", "password": "demo", "domain": {}}}}}}',
  '{"project": {"name": "p", "domain_id": 5}}',
  '{"user": {"name": "u", "password": 5}}',
  '{"role": {"name": null}}',
];
const MEDIA_TYPES = [
  'application/json',
  'application/openstack-images-v2.1-json-patch',
  'text/plain',
];
const QUERIES = [
  'limit=x',
  'limit=-5',
  'marker=x',
  'sort=',
  'sort=:',
  'sort=name:',
  'sort_key=',
  'offset=x',
  'metadata={bad',
  'metadata=5',
  'all_tenants=1',
  'tenant_id=x',
  'user_id=',
  'minRam=-1',
  'minDisk=x',
  'is_public=x',
  'sort_key=x',
  'sort_dir=x',
  'created_at=gt:',
  'size_min=-1',
  'name=in:',
  'tag=',
  'os_hidden=x',
  'member_status=x',
  'visibility=all',
  'id=x',
];

test('malformed input never gets a 5xx', async () => {
  const demo = { 'x-auth-token': await t.token('demo') };
  const admin = { 'x-auth-token': await t.token('admin') };
  const project = (await t.app.identity.projectByName('demo', 'default')).id;
  const json = (payload: object) => ({ headers: demo, payload });
  const img = (
    await t.inject({
      method: 'POST',
      url: '/image/v2/images',
      ...json({ name: 'x', disk_format: 'raw', container_format: 'bare' }),
    })
  ).json().id;
  const vol = (
    await t.inject({
      method: 'POST',
      url: `/volume/v3/${project}/volumes`,
      ...json({ volume: { size: 1 } }),
    })
  ).json().volume.id;
  await t.app.tasks.idle();
  const snap = (
    await t.inject({
      method: 'POST',
      url: `/volume/v3/${project}/snapshots`,
      ...json({ snapshot: { volume_id: vol } }),
    })
  ).json().snapshot.id;
  await t.app.tasks.idle();
  const v = `/volume/v3/${project}`;
  const writes: Array<[string, string]> = [
    ['POST', '/identity/v3/auth/tokens'],
    ['POST', '/identity/v3/projects'],
    ['PATCH', '/identity/v3/projects/x'],
    ['POST', '/identity/v3/users'],
    ['PATCH', '/identity/v3/users/x'],
    ['POST', '/identity/v3/roles'],
    ['POST', '/identity/v3/domains'],
    ['POST', '/image/v2/images'],
    ['PATCH', `/image/v2/images/${img}`],
    ['POST', `/image/v2/images/${img}/members`],
    ['PUT', `/image/v2/images/${img}/members/${project}`],
    ['PUT', `/image/v2/images/${img}/tags/${'t'.repeat(300)}`],
    ['POST', `${v}/volumes`],
    ['PUT', `${v}/volumes/${vol}`],
    ['POST', `${v}/volumes/${vol}/action`],
    ['POST', `${v}/volumes/${vol}/metadata`],
    ['PUT', `${v}/volumes/${vol}/metadata`],
    ['PUT', `${v}/volumes/${vol}/metadata/a`],
    ['POST', `${v}/snapshots`],
    ['PUT', `${v}/snapshots/${snap}`],
    ['POST', `${v}/snapshots/${snap}/action`],
    ['POST', `${v}/snapshots/${snap}/metadata`],
    ['PUT', `${v}/os-quota-sets/${project}`],
    ['PUT', `${v}/os-quota-class-sets/default`],
    ['PUT', `/compute/v2.1/os-quota-sets/${project}`],
    ['PUT', `/compute/v2.1/os-quota-sets/${project}?user_id=x`],
    ['PUT', '/compute/v2.1/os-quota-class-sets/default'],
    ['POST', '/compute/v2.1/flavors'],
    ['PUT', '/compute/v2.1/flavors/1'],
    ['POST', '/compute/v2.1/flavors/1/os-extra_specs'],
    ['PUT', '/compute/v2.1/flavors/1/os-extra_specs/a'],
    ['POST', '/compute/v2.1/flavors/1/action'],
    ['POST', '/compute/v2.1/os-keypairs'],
  ];
  const failures: string[] = [];
  for (const [method, url] of writes) {
    for (const body of BODIES) {
      for (const type of MEDIA_TYPES) {
        for (const who of [demo, admin]) {
          const headers: Record<string, string> =
            body === undefined ? { ...who } : { ...who, 'content-type': type };
          const res = await t.inject({ method: method as 'POST', url, headers, payload: body });
          if (res.statusCode >= 500)
            failures.push(`${res.statusCode} ${method} ${url} [${type}] ${body}`);
        }
      }
    }
  }
  const c = `/compute/v2.1`;
  for (const url of [
    '/image/v2/images',
    `${v}/volumes`,
    `${v}/volumes/detail`,
    `${v}/snapshots/detail`,
    `${c}/limits`,
    `${c}/os-quota-sets/${project}`,
    `${c}/flavors/detail`,
    `${c}/os-keypairs`,
  ]) {
    for (const q of QUERIES) {
      const res = await t.inject({ method: 'GET', url: `${url}?${q}`, headers: demo });
      if (res.statusCode >= 500) failures.push(`${res.statusCode} GET ${url}?${q}`);
    }
  }
  assert.deepEqual(failures, []);
});
