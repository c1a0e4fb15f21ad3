import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertFault, useApp } from '../helpers/app.js';
import { computeClient } from '../helpers/compute-servers.js';

const app = useApp();
const c = computeClient(app);
const MISSING = '4c1a5d0e-64a6-4a8d-9a6e-6a5b1f0c2d3e';

test('server groups: policies below 2.64, policy and rules from it, project from 2.13', async () => {
  let res = await c.post('os-server-groups', {
    server_group: { name: 'g1', policies: ['affinity'] },
  });
  assert.equal(res.statusCode, 200, res.body);
  const g1 = res.json().server_group;
  assert.deepEqual(Object.keys(g1).sort(), ['id', 'members', 'metadata', 'name', 'policies']);
  assert.deepEqual(g1.policies, ['affinity']);
  assert.deepEqual((await c.get(`os-server-groups/${g1.id}`)).json().server_group, g1);
  assert.ok(
    (await c.get('os-server-groups'))
      .json()
      .server_groups.some((g: { id: string }) => g.id === g1.id),
  );

  assert.ok((await c.get('limits')).json().limits.absolute.totalServerGroupsUsed >= 1);
  res = await c.get(`os-server-groups/${g1.id}`, app.demo, '2.13');
  assert.equal(res.json().server_group.project_id, app.demoProject);
  assert.ok(res.json().server_group.user_id);

  res = await c.post(
    'os-server-groups',
    { server_group: { name: 'g2', policy: 'anti-affinity', rules: { max_server_per_host: 3 } } },
    app.demo,
    '2.64',
  );
  assert.equal(res.statusCode, 200, res.body);
  const g2 = res.json().server_group;
  assert.deepEqual(Object.keys(g2).sort(), [
    'id',
    'members',
    'name',
    'policy',
    'project_id',
    'rules',
    'user_id',
  ]);
  assert.deepEqual(g2.rules, { max_server_per_host: 3 });

  assertFault(
    await c.post(
      'os-server-groups',
      { server_group: { name: 'g3', policy: 'affinity', rules: { max_server_per_host: 3 } } },
      app.demo,
      '2.64',
    ),
    400,
    'badRequest',
    'Only anti-affinity policy supports rules.',
  );
  assertFault(
    await c.post('os-server-groups', { server_group: { name: 'g', policies: ['soft-affinity'] } }),
    400,
    'badRequest',
    /^Invalid input for field\/attribute 0\./,
  );
  assert.equal(
    (
      await c.post(
        'os-server-groups',
        { server_group: { name: 'g4', policies: ['soft-affinity'] } },
        app.demo,
        '2.15',
      )
    ).statusCode,
    200,
  );
  assertFault(
    await c.post('os-server-groups', { server_group: { name: ' bad', policies: ['affinity'] } }),
    400,
    'badRequest',
    /An invalid 'name' value was provided/,
  );
  assertFault(
    await c.post('os-server-groups', { server_group: { name: 'x', policy: 'affinity' } }),
    400,
    'badRequest',
  );

  // Limits and offsets; 2.75 refuses unknown query keys.
  assert.equal((await c.get('os-server-groups?limit=1')).json().server_groups.length, 1);
  assert.equal((await c.get('os-server-groups?offset=100')).json().server_groups.length, 0);
  assert.equal((await c.get('os-server-groups?bogus=1')).statusCode, 200);
  assertFault(await c.get('os-server-groups?bogus=1', app.demo, '2.75'), 400, 'badRequest');
  assertFault(await c.get('os-server-groups?limit=-1'), 400, 'badRequest');

  const alt = await c.otherProject('groups-alt');
  assertFault(
    await c.get(`os-server-groups/${g1.id}`, alt),
    404,
    'itemNotFound',
    `Instance group ${g1.id} could not be found.`,
  );
  assertFault(await c.del(`os-server-groups/${g1.id}`, alt), 404, 'itemNotFound');
  assert.equal((await c.get('os-server-groups', alt)).json().server_groups.length, 0);
  // Admins list every project's with all_projects.
  const all = (await c.get('os-server-groups?all_projects=True', app.admin)).json().server_groups;
  assert.ok(all.some((g: { id: string }) => g.id === g1.id));

  assert.equal((await c.del(`os-server-groups/${g1.id}`)).statusCode, 204);
  assertFault(
    await c.get(`os-server-groups/${g1.id}`),
    404,
    'itemNotFound',
    `Instance group ${g1.id} could not be found.`,
  );
});

test('server groups: members through the scheduler hint, unknown groups, quotas', async () => {
  const g = (
    await c.post('os-server-groups', { server_group: { name: 'm', policies: ['anti-affinity'] } })
  ).json().server_group;
  const { id } = await c.server({}, app.demo, { group: g.id });
  assert.deepEqual((await c.get(`os-server-groups/${g.id}`)).json().server_group.members, [id]);
  assert.deepEqual((await c.get(`servers/${id}`, app.demo, '2.71')).json().server.server_groups, [
    g.id,
  ]);

  const image = await c.uploadImage();
  const create = (hints: object, headers = app.demo) =>
    c.post(
      'servers',
      { server: { name: 'x', imageRef: image, flavorRef: '1' }, 'os:scheduler_hints': hints },
      headers,
    );
  assertFault(
    await create({ group: MISSING }),
    400,
    'badRequest',
    `Instance group ${MISSING} could not be found.`,
  );
  const alt = await c.otherProject('members-alt');
  assertFault(
    await create({ group: g.id }, alt),
    400,
    'badRequest',
    `Instance group ${g.id} could not be found.`,
  );

  const project = app.demoProject;
  const setQuota = (body: object) =>
    c.put(`os-quota-sets/${project}`, { quota_set: body }, app.admin);
  assert.equal((await setQuota({ server_group_members: 1 })).statusCode, 200);
  assertFault(
    await create({ group: g.id }),
    403,
    'forbidden',
    'Quota exceeded, too many servers in group',
  );
  await setQuota({ server_group_members: 10 });

  const used = (await c.get('os-server-groups')).json().server_groups.length;
  await setQuota({ server_groups: used });
  assertFault(
    await c.post('os-server-groups', { server_group: { name: 'over', policies: ['affinity'] } }),
    403,
    'forbidden',
    'Quota exceeded, too many server groups.',
  );
  await setQuota({ server_groups: 10 });

  // A deleted server leaves the group.
  await c.del(`servers/${id}`);
  for (let i = 0; i < 200 && (await c.get(`servers/${id}`)).statusCode !== 404; i++)
    await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual((await c.get(`os-server-groups/${g.id}`)).json().server_group.members, []);
});
