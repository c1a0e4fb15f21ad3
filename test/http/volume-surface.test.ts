import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFault, passwordAuth, useApp } from '../helpers/app.js';

const fx = useApp();
const vb = () => `/volume/v3/${fx.demoProject}`;
const mv = (v: string) => ({ ...fx.demo, 'openstack-api-version': `volume ${v}` });

describe('volume types', () => {
  test('list, show by id and the default type', async () => {
    const list = await fx.t.inject({ method: 'GET', url: `${vb()}/types`, headers: fx.demo });
    assert.equal(list.statusCode, 200);
    const types = list.json().volume_types;
    assert.equal(types.length, 1);
    assert.deepEqual(Object.keys(types[0]).sort(), [
      'description',
      'extra_specs',
      'id',
      'is_public',
      'name',
      'os-volume-type-access:is_public',
      'qos_specs_id',
    ]);
    assert.equal(types[0].name, '__DEFAULT__');
    assert.equal(types[0].is_public, true);
    assert.deepEqual(types[0].extra_specs, {});
    const byId = await fx.t.inject({
      method: 'GET',
      url: `${vb()}/types/${types[0].id}`,
      headers: fx.demo,
    });
    assert.deepEqual(byId.json().volume_type, types[0]);
    const def = await fx.t.inject({
      method: 'GET',
      url: `${vb()}/types/default`,
      headers: fx.demo,
    });
    assert.deepEqual(def.json().volume_type, types[0]);
    assertFault(
      await fx.t.inject({ method: 'GET', url: `${vb()}/types/nope`, headers: fx.demo }),
      404,
      'itemNotFound',
      'Volume type nope could not be found.',
    );
  });

  test('a volume of an unknown type is refused; by name or id it is the default', async () => {
    assertFault(
      await fx.t.inject({
        method: 'POST',
        url: `${vb()}/volumes`,
        headers: fx.demo,
        payload: { volume: { size: 1, volume_type: 'gold' } },
      }),
      404,
      'itemNotFound',
      'Volume type with name gold could not be found.',
    );
    const v = await fx.t.inject({
      method: 'POST',
      url: `${vb()}/volumes`,
      headers: fx.demo,
      payload: { volume: { size: 1, volume_type: '__DEFAULT__' } },
    });
    assert.equal(v.statusCode, 202);
    assert.equal(v.json().volume.volume_type, '__DEFAULT__');
  });
});

describe('volume summary', () => {
  test('3.12 gives count and size of the own volumes, 3.36 adds metadata; before 3.12 it is an id', async () => {
    const before = (
      await fx.t.inject({ method: 'GET', url: `${vb()}/volumes/summary`, headers: mv('3.12') })
    ).json()['volume-summary'];
    const v = await fx.t.inject({
      method: 'POST',
      url: `${vb()}/volumes`,
      headers: fx.demo,
      payload: { volume: { size: 2 } },
    });
    assert.equal(v.statusCode, 202);
    const at312 = await fx.t.inject({
      method: 'GET',
      url: `${vb()}/volumes/summary`,
      headers: mv('3.12'),
    });
    assert.deepEqual(at312.json(), {
      'volume-summary': {
        total_count: before.total_count + 1,
        total_size: before.total_size + 2,
      },
    });
    const at336 = await fx.t.inject({
      method: 'GET',
      url: `${vb()}/volumes/summary`,
      headers: mv('3.36'),
    });
    assert.deepEqual(at336.json()['volume-summary'].metadata, {});
    assertFault(
      await fx.t.inject({ method: 'GET', url: `${vb()}/volumes/summary`, headers: mv('3.11') }),
      404,
      'itemNotFound',
      'Volume summary could not be found.',
    );
  });
});

describe('the project in the URL', () => {
  test("a URL naming another project than the token's is Cinder's 400, for an admin too", async () => {
    for (const [headers, url] of [
      [fx.demo, `/volume/v3/${fx.adminProject}/volumes`],
      [fx.admin, `/volume/v3/${fx.demoProject}/volumes`],
      [fx.demo, `/volume/v3/not-a-project/snapshots/detail`],
      [fx.admin, `/volume/v3/${fx.demoProject}/os-quota-sets/${fx.demoProject}`],
    ] as const) {
      assertFault(
        await fx.t.inject({ method: 'GET', url, headers }),
        400,
        'badRequest',
        'Malformed request url',
      );
    }
  });

  test('a token scoped to no project lists no volumes (400 Malformed request url)', async () => {
    const body = passwordAuth('admin', 'admin') as { auth: Record<string, unknown> };
    body.auth.scope = { system: { all: true } };
    const auth = await fx.t.inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: body,
    });
    assert.equal(auth.statusCode, 201, auth.body);
    const systemScoped = { 'x-auth-token': auth.headers['x-subject-token'] as string };
    assertFault(
      await fx.t.inject({ method: 'GET', url: `${vb()}/volumes`, headers: systemScoped }),
      400,
      'badRequest',
      'Malformed request url',
    );
    assertFault(
      await fx.t.inject({
        method: 'POST',
        url: `${vb()}/volumes`,
        headers: systemScoped,
        payload: { volume: { size: 1 } },
      }),
      400,
      'badRequest',
      'Malformed request url',
    );
  });
});

describe('multiattach', () => {
  test('"multiattach": true is refused with Cinder Zed\'s text; false and null are accepted', async () => {
    for (const value of [true, 'true', 'yes', '1']) {
      assertFault(
        await fx.t.inject({
          method: 'POST',
          url: `${vb()}/volumes`,
          headers: fx.demo,
          payload: { volume: { size: 1, multiattach: value } },
        }),
        400,
        'badRequest',
        'multiattach parameter has been removed. The default behavior is to use multiattach enabled volume types. Contact your administrator to create a multiattach enabled volume type and use it to create multiattach volumes.',
      );
    }
    for (const value of [false, null, 'false']) {
      const res = await fx.t.inject({
        method: 'POST',
        url: `${vb()}/volumes`,
        headers: fx.demo,
        payload: { volume: { size: 1, multiattach: value } },
      });
      assert.equal(res.statusCode, 202, res.body);
      assert.equal(res.json().volume.multiattach, false);
    }
    assertFault(
      await fx.t.inject({
        method: 'POST',
        url: `${vb()}/volumes`,
        headers: fx.demo,
        payload: { volume: { size: 1, multiattach: 'maybe' } },
      }),
      400,
      'badRequest',
      "Invalid input for field/attribute multiattach. Value: maybe. 'maybe' is not valid under any of the given schemas",
    );
  });
});
