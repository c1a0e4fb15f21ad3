import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertFault, useApp } from '../helpers/app.js';
import { computeClient } from '../helpers/compute-servers.js';

const app = useApp();
const c = computeClient(app);
const MISSING = '4c1a5d0e-64a6-4a8d-9a6e-6a5b1f0c2d3e';

async function neutronGroup(name: string): Promise<string> {
  const res = await app.t.inject({
    method: 'POST',
    url: '/network/v2.0/security-groups',
    headers: app.demo,
    payload: { security_group: { name } },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().security_group.id;
}

test('security group proxy (2.1-2.35) in Nova form; 404 from 2.36', async () => {
  const id = await neutronGroup('web');
  let res = await c.get(`os-security-groups/${id}`);
  assert.equal(res.statusCode, 200, res.body);
  const g = res.json().security_group;
  assert.deepEqual(Object.keys(g).sort(), ['description', 'id', 'name', 'rules', 'tenant_id']);
  assert.equal(g.tenant_id, app.demoProject);
  // Only ingress rules show: a new group has none.
  assert.deepEqual(g.rules, []);

  res = await c.get('os-security-groups');
  const names = res.json().security_groups.map((s: { name: string }) => s.name);
  assert.ok(names.includes('web') && names.includes('default'));
  const dflt = res.json().security_groups.find((s: { name: string }) => s.name === 'default');
  // The default group's ingress rules name the group itself.
  assert.deepEqual(dflt.rules[0].group, { name: 'default', tenant_id: app.demoProject });
  assert.deepEqual(dflt.rules[0].ip_range, {});
  assert.equal(dflt.rules[0].parent_group_id, dflt.id);
  assert.equal(dflt.rules[0].from_port, null);

  assert.equal((await c.get('os-security-groups?limit=1')).json().security_groups.length, 1);
  assertFault(await c.get('os-security-groups?limit=x'), 400, 'badRequest');
  assertFault(
    await c.get('os-security-groups/web'),
    400,
    'badRequest',
    'Security group id should be uuid',
  );
  assertFault(
    await c.get(`os-security-groups/${MISSING}`),
    404,
    'itemNotFound',
    `Security group ${MISSING} does not exist`,
  );
  assertFault(
    await c.get(`os-security-groups/${id}`, app.demo, '2.36'),
    404,
    'itemNotFound',
    'The resource could not be found.',
  );
  const alt = await c.otherProject('sg-alt');
  assertFault(await c.get(`os-security-groups/${id}`, alt), 404, 'itemNotFound');
});

test('addSecurityGroup / removeSecurityGroup go to the server ports through Neutron', async () => {
  const { id } = await c.server();
  const web = await neutronGroup('web2');
  let res = await c.get(`servers/${id}/os-security-groups`);
  assert.deepEqual(
    res.json().security_groups.map((g: { name: string }) => g.name),
    ['default'],
  );

  res = await c.post(`servers/${id}/action`, { addSecurityGroup: { name: 'web2' } });
  assert.equal(res.statusCode, 202, res.body);
  assert.equal(res.body, '');
  res = await c.get(`servers/${id}/os-security-groups`);
  assert.deepEqual(
    res
      .json()
      .security_groups.map((g: { id: string }) => g.id)
      .includes(web),
    true,
  );
  const ports = await app.t.inject({
    method: 'GET',
    url: `/network/v2.0/ports?device_id=${id}`,
    headers: app.demo,
  });
  assert.ok(ports.json().ports[0].security_groups.includes(web));

  assertFault(
    await c.post(`servers/${id}/action`, { addSecurityGroup: { name: web } }),
    400,
    'badRequest',
    `Invalid input for security_groups. Reason: Duplicate items in the list: '${web}'.`,
  );
  assertFault(
    await c.post(`servers/${id}/action`, { addSecurityGroup: { name: 'nope' } }),
    404,
    'itemNotFound',
    `Security group nope is not found for project ${app.demoProject}`,
  );
  assertFault(
    await c.post(`servers/${id}/action`, { addSecurityGroup: null }),
    400,
    'badRequest',
    'Missing parameter dict',
  );
  assertFault(
    await c.post(`servers/${id}/action`, { addSecurityGroup: {} }),
    400,
    'badRequest',
    'Security group not specified',
  );
  assertFault(
    await c.post(`servers/${id}/action`, { addSecurityGroup: { name: '  ' } }),
    400,
    'badRequest',
    'Security group name cannot be empty',
  );
  assertFault(
    await c.post(`servers/${id}/action`, { addSecurityGroup: { name: { toString: 'x' } } }),
    400,
    'badRequest',
  );

  res = await c.post(`servers/${id}/action`, { removeSecurityGroup: { name: 'web2' } });
  assert.equal(res.statusCode, 202);
  assertFault(
    await c.post(`servers/${id}/action`, { removeSecurityGroup: { name: 'web2' } }),
    404,
    'itemNotFound',
    `Security group web2 not associated with the instance ${id}`,
  );
  // Removing every group leaves the server's view without security_groups (Tempest checks it).
  assert.equal(
    (await c.post(`servers/${id}/action`, { removeSecurityGroup: { name: 'default' } })).statusCode,
    202,
  );
  assert.equal((await c.get(`servers/${id}`)).json().server.security_groups, undefined);
});

test('a server without ports cannot take a group', async () => {
  const image = await c.uploadImage();
  const made = await c.post(
    'servers',
    { server: { name: 'bare', imageRef: image, flavorRef: '1', networks: 'none' } },
    app.demo,
    '2.37',
  );
  assert.equal(made.statusCode, 202, made.body);
  const id = made.json().server.id;
  await c.waitFor(id, 'ACTIVE');
  assertFault(
    await c.post(`servers/${id}/action`, { addSecurityGroup: { name: 'default' } }),
    404,
    'itemNotFound',
    `instance_id ${id} could not be found as device id on any ports`,
  );
  assert.deepEqual((await c.get(`servers/${id}/os-security-groups`)).json(), {
    security_groups: [],
  });
});
