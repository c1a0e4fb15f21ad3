import { test } from 'node:test';
import assert from 'node:assert/strict';
import { userContext } from '../../src/context.js';
import { openSqlite } from '../../src/store/db.js';
import { HeatFault } from '../../src/services/orchestration/errors.js';
import { SoftwareConfigs } from '../../src/services/orchestration/software-configs.js';

// Heat's software configs: create's normalising and checks, project scoping, the list's order
// and pages, and delete refused while a deployment uses the config.

const demo = userContext('p-demo', 'u-demo', ['member']);
const other = userContext('p-other', 'u-other', ['member']);
const admin = userContext('p-admin', 'u-admin', ['admin', 'member']);

async function configs(): Promise<SoftwareConfigs> {
  return new SoftwareConfigs(await openSqlite(':memory:'));
}

async function refused(work: Promise<unknown>, type: string, message: string, status = 400) {
  await assert.rejects(work, (err: unknown) => {
    assert.ok(err instanceof HeatFault, String(err));
    assert.equal(err.type, type);
    assert.equal(err.message, message);
    assert.equal(err.status, status);
    return true;
  });
}

test('create with only name, group and config gives empty inputs, outputs and options', async () => {
  const sc = await (
    await configs()
  ).create(demo, {
    name: 'c1',
    group: 'script',
    config: '#!/bin/sh -x\necho hello',
  });
  assert.match(sc.id, /^[0-9a-f-]{36}$/);
  assert.match(sc.creation_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(
    { ...sc, id: '', creation_time: '' },
    {
      id: '',
      creation_time: '',
      name: 'c1',
      group: 'script',
      config: '#!/bin/sh -x\necho hello',
      inputs: [],
      outputs: [],
      options: {},
    },
  );
});

test('inputs and outputs are normalised as software_config_io does', async () => {
  const sc = await (
    await configs()
  ).create(demo, {
    name: null,
    group: null,
    config: { a: 1 },
    inputs: [
      { name: 'foo' },
      { name: 'bar', type: 'Number', default: '5', replace_on_change: 'true', value: 7 },
      { name: 'baz', type: 'Boolean', default: '' },
    ],
    outputs: [{ name: 'out', description: 'd' }],
    options: { k: 'v' },
  });
  assert.equal(sc.group, null);
  assert.equal(sc.name, null);
  assert.deepEqual(sc.config, { a: 1 });
  assert.deepEqual(sc.inputs, [
    { name: 'foo', type: 'String' },
    { name: 'bar', type: 'Number', default: 5, replace_on_change: true, value: 7 },
    { name: 'baz', type: 'Boolean', default: '' },
  ]);
  assert.deepEqual(sc.outputs, [
    { name: 'out', description: 'd', type: 'String', error_output: false },
  ]);
  assert.deepEqual(sc.options, { k: 'v' });
});

test("create refuses bad inputs and outputs with Heat's texts", async () => {
  const c = await configs();
  const create = (inputs: unknown, outputs: unknown = []) =>
    c.create(demo, { name: 'x', group: 'g', config: '', inputs, outputs });
  await refused(create('abc'), 'TypeError', 'Software Config I/O Schema must be in a list');
  await refused(create({ name: 'x' }), 'TypeError', 'Software Config I/O Schema must be in a list');
  await refused(create(['x']), 'TypeError', 'Software Config I/O Schema must be a dict');
  await refused(create([], [1]), 'TypeError', 'Software Config I/O Schema must be a dict');
  await refused(create([{}]), 'ValueError', 'Property error: Property name not assigned');
  await refused(
    create([{ name: 'a', colour: 'red' }]),
    'ValueError',
    'Property error: Unknown Property colour',
  );
  await refused(
    create([{ name: 'a', type: 'Foo' }]),
    'ValueError',
    'Property error: type: "Foo" is not an allowed value ["String", "Number", ' +
      '"CommaDelimitedList", "Json", "Boolean"]',
  );
  await refused(
    create([{ name: { toString: 'x' } }]),
    'ValueError',
    "Property error: name: Value must be a string; got {'toString': 'x'}",
  );
  await refused(
    create([{ name: 'a', replace_on_change: 'maybe' }]),
    'ValueError',
    'Property error: replace_on_change: "maybe" is not a valid boolean',
  );
  await refused(
    create([], [{ name: 'a', error_output: 'no' }]),
    'ValueError',
    'Property error: error_output: "no" is not a valid boolean',
  );
  await refused(
    create([{ name: 'a', type: 'Number', default: 'abc' }]),
    'ValueError',
    "Property error: default: could not convert string to float: 'abc'",
  );
  await refused(
    create([], [{ name: 'a', replace_on_change: true }]),
    'ValueError',
    'Property error: Unknown Property replace_on_change',
  );
});

test("get: another project's config is not found; an admin sees it", async () => {
  const c = await configs();
  const sc = await c.create(demo, { name: 'c', group: 'g', config: 'x' });
  assert.equal((await c.get(demo, sc.id)).id, sc.id);
  assert.equal((await c.get(admin, sc.id)).id, sc.id);
  await refused(c.get(other, sc.id), 'NotFound', `Software config with id ${sc.id} not found`, 404);
  await refused(c.get(demo, 'nope'), 'NotFound', 'Software config with id nope not found', 404);
});

test('list: newest first, the project only (admins all, with project), limit and marker', async () => {
  const c = await configs();
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    ids.push((await c.create(demo, { name: `c${i}`, group: 'g', config: '' })).id);
    await new Promise((r) => setTimeout(r, 2));
  }
  await c.create(other, { name: 'theirs', group: 'g', config: '' });
  const all = await c.list(demo);
  assert.deepEqual(
    all.map((s) => s.name),
    ['c3', 'c2', 'c1', 'c0'],
  );
  assert.deepEqual(Object.keys(all[0]!).sort(), ['creation_time', 'group', 'id', 'name']);
  const page = await c.list(demo, { limit: 2, marker: ids[3] });
  assert.deepEqual(
    page.map((s) => s.name),
    ['c2', 'c1'],
  );
  assert.equal((await c.list(demo, { marker: 'unknown' })).length, 4);
  const everything = await c.list(admin);
  assert.equal(everything.length, 5);
  assert.equal(everything[0]!.project, 'p-other');
});

test('delete: gone after, refused while a deployment references it, 404 for others', async () => {
  const db = await openSqlite(':memory:');
  const c = new SoftwareConfigs(db);
  const sc = await c.create(demo, { name: 'c', group: 'g', config: '' });
  await refused(
    c.delete(other, sc.id),
    'NotFound',
    `Software config with id ${sc.id} not found`,
    404,
  );
  await db
    .insertInto('software_deployments')
    .values({
      id: 'd1',
      project_id: 'p-demo',
      config_id: sc.id,
      server_id: 's',
      input_values: '{}',
      output_values: '{}',
      action: 'INIT',
      status: 'COMPLETE',
      status_reason: '',
      created_at: new Date().toISOString(),
      updated_at: null,
    })
    .execute();
  await refused(
    c.delete(demo, sc.id),
    'InvalidRestrictedAction',
    `Software config with id ${sc.id} can not be deleted as it is referenced.`,
  );
  await db.deleteFrom('software_deployments').execute();
  await c.delete(demo, sc.id);
  await refused(c.get(demo, sc.id), 'NotFound', `Software config with id ${sc.id} not found`, 404);
});
