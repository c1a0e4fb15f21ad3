import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp } from '../helpers/app.js';

const fx = useApp();
const url = (p: string) => `/orchestration/v1/${fx.demoProject}${p}`;

test('software configs: create 200, show, list without the body, delete 204, then 404', async () => {
  const made = await fx.t.inject({
    method: 'POST',
    url: url('/software_configs'),
    headers: fx.demo,
    payload: { name: 'api-config', group: 'script', config: '#!/bin/sh -x\necho hello' },
  });
  assert.equal(made.statusCode, 200, made.body);
  const sc = made.json().software_config;
  assert.equal(sc.group, 'script');
  assert.equal(sc.config, '#!/bin/sh -x\necho hello');
  assert.deepEqual(sc.inputs, []);
  assert.match(sc.creation_time, /Z$/);
  const shown = await fx.t.inject({
    method: 'GET',
    url: url(`/software_configs/${sc.id}`),
    headers: fx.demo,
  });
  assert.deepEqual(shown.json().software_config, sc);
  const list = (
    await fx.t.inject({ method: 'GET', url: url('/software_configs?limit=5'), headers: fx.demo })
  ).json();
  const entry = list.software_configs.find((c: { id: string }) => c.id === sc.id);
  assert.deepEqual(Object.keys(entry).sort(), ['creation_time', 'group', 'id', 'name']);
  const del = await fx.t.inject({
    method: 'DELETE',
    url: url(`/software_configs/${sc.id}`),
    headers: fx.demo,
  });
  assert.equal(del.statusCode, 204);
  const gone = await fx.t.inject({
    method: 'GET',
    url: url(`/software_configs/${sc.id}`),
    headers: fx.demo,
  });
  assert.equal(gone.statusCode, 404);
  assert.equal(gone.json().error.type, 'NotFound');
  assert.equal(gone.json().error.message, `Software config with id ${sc.id} not found`);
});

test('software configs: hostile input gets 4xx', async () => {
  for (const payload of [
    [],
    { name: { toString: 'x' }, config: { a: { b: 1 } } },
    { inputs: 'x' },
    { outputs: [{ toString: 1 }] },
  ]) {
    const res = await fx.t.inject({
      method: 'POST',
      url: url('/software_configs'),
      headers: fx.demo,
      payload: payload as object,
    });
    assert.ok(res.statusCode < 500, res.body);
  }
  for (const q of ['limit=x', 'limit=-1', 'marker=__proto__', 'limit=99999999999999999999']) {
    const res = await fx.t.inject({
      method: 'GET',
      url: url(`/software_configs?${q}`),
      headers: fx.demo,
    });
    assert.ok(res.statusCode < 500, res.body);
  }
});
