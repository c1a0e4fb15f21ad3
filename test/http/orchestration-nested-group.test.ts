import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useApp } from '../helpers/app.js';
import { createStack, eventsOf, heatUrl, settled } from '../helpers/stacks.js';

const fx = useApp();

function group(count: number, extra: Record<string, unknown> = {}, length = 8) {
  return {
    heat_template_version: '2016-10-14',
    resources: {
      group: {
        type: 'OS::Heat::ResourceGroup',
        properties: {
          count,
          resource_def: {
            type: 'OS::Heat::RandomString',
            properties: { length, salt: 'member-%index%' },
          },
          ...extra,
        },
      },
    },
    outputs: {
      refs: { value: { get_attr: ['group', 'refs'] } },
      refs_map: { value: { get_attr: ['group', 'refs_map'] } },
      values: { value: { get_attr: ['group', 'value'] } },
      by_member: { value: { get_attr: ['group', 'attributes', 'value'] } },
      first: { value: { get_attr: ['group', 'resource.0'] } },
      first_value: { value: { get_attr: ['group', 'resource.0.value'] } },
      removed: { value: { get_attr: ['group', 'removed_rsrc_list'] } },
    },
  };
}

function outputs(stack: any): Record<string, any> {
  return Object.fromEntries(stack.outputs.map((o: any) => [o.output_key, o.output_value]));
}

async function update(name: string, id: string, template: Record<string, unknown>) {
  const res = await fx.t.inject({
    method: 'PUT',
    url: heatUrl(fx, `/stacks/${name}/${id}`),
    headers: fx.demo,
    payload: { template },
  });
  assert.equal(res.statusCode, 202, res.body);
  const stack = await settled(fx, name, id);
  assert.equal(stack.stack_status, 'UPDATE_COMPLETE', stack.stack_status_reason);
  return stack;
}

async function groupId(id: string): Promise<string> {
  const row = await fx.t.db
    .selectFrom('stack_resources')
    .select('physical_resource_id')
    .where('stack_id', '=', id)
    .where('name', '=', 'group')
    .where('current', '=', 1)
    .executeTakeFirstOrThrow();
  return row.physical_resource_id!;
}

async function members(childId: string): Promise<string[]> {
  const rows = await fx.t.db
    .selectFrom('stack_resources')
    .select('name')
    .where('stack_id', '=', childId)
    .where('current', '=', 1)
    .where('action', '!=', 'DELETE')
    .execute();
  return rows.map((r) => r.name).sort();
}

describe('OS::Heat::ResourceGroup', () => {
  test('count members with refs, per-member attributes and resource.<n>', async () => {
    const id = await createStack(fx, 'group-basic', group(3));
    const stack = await settled(fx, 'group-basic', id);
    assert.equal(stack.stack_status, 'CREATE_COMPLETE', stack.stack_status_reason);
    const out = outputs(stack);
    assert.equal(out['refs'].length, 3);
    // A RandomString's reference is its value.
    assert.deepEqual(out['refs'], out['values']);
    assert.deepEqual(out['refs_map'], { 0: out['refs'][0], 1: out['refs'][1], 2: out['refs'][2] });
    assert.deepEqual(out['by_member'], out['refs_map']);
    assert.equal(out['first'], out['refs'][0]);
    assert.equal(out['first_value'], out['refs'][0]);
    assert.deepEqual(out['removed'], []);
    for (const v of out['values']) assert.match(v, /^[A-Za-z0-9]{8}$/);
    const child = await fx.t.db
      .selectFrom('stacks')
      .selectAll()
      .where('id', '=', await groupId(id))
      .executeTakeFirstOrThrow();
    assert.match(child.name, /^group-basic-group-[a-z2-7]{12}$/);
    assert.equal(child.owner_id, id);
  });

  test('count grows and shrinks in place; a new definition updates the members', async () => {
    const id = await createStack(fx, 'group-resize', group(3));
    const first = outputs(await settled(fx, 'group-resize', id));
    const nested = await groupId(id);
    let out = outputs(await update('group-resize', id, group(5)));
    assert.equal(await groupId(id), nested);
    assert.equal(out['refs'].length, 5);
    assert.deepEqual(out['refs'].slice(0, 3), first['refs']);
    assert.deepEqual(await members(nested), ['0', '1', '2', '3', '4']);
    out = outputs(await update('group-resize', id, group(2)));
    assert.deepEqual(out['refs'], first['refs'].slice(0, 2));
    assert.deepEqual(await members(nested), ['0', '1']);
    out = outputs(await update('group-resize', id, group(2, {}, 12)));
    assert.equal(await groupId(id), nested);
    for (const v of out['values']) assert.match(v, /^[A-Za-z0-9]{12}$/);
  });

  test('a group of none grows from zero', async () => {
    const id = await createStack(fx, 'group-zero', group(0));
    const stack = await settled(fx, 'group-zero', id);
    assert.equal(stack.stack_status, 'CREATE_COMPLETE', stack.stack_status_reason);
    assert.deepEqual(outputs(stack)['refs'], []);
    const out = outputs(await update('group-zero', id, group(2)));
    assert.equal(out['refs'].length, 2);
  });

  test('removal policies drop named members and their names are not reused', async () => {
    const id = await createStack(fx, 'group-remove', group(3));
    await settled(fx, 'group-remove', id);
    const policy = { removal_policies: [{ resource_list: ['1'] }] };
    const out = outputs(await update('group-remove', id, group(3, policy)));
    assert.deepEqual(Object.keys(out['refs_map']).sort(), ['0', '2', '3']);
    assert.deepEqual(out['removed'], ['1']);
    assert.deepEqual(await members(await groupId(id)), ['0', '2', '3']);
  });

  test('delete removes the members with the child stack', async () => {
    const id = await createStack(fx, 'group-del', group(2));
    await settled(fx, 'group-del', id);
    const nested = await groupId(id);
    const del = await fx.t.inject({
      method: 'DELETE',
      url: heatUrl(fx, `/stacks/group-del/${id}`),
      headers: fx.demo,
    });
    assert.equal(del.statusCode, 204);
    await fx.t.app.orchestration.engine.idle();
    const child = await fx.t.db
      .selectFrom('stacks')
      .selectAll()
      .where('id', '=', nested)
      .executeTakeFirstOrThrow();
    assert.equal(`${child.action}_${child.status}`, 'DELETE_COMPLETE');
  });
});

describe('OS::Heat::ResourceChain', () => {
  test('one member per type, each after the one before', async () => {
    const tpl = {
      heat_template_version: '2016-10-14',
      resources: {
        chain: {
          type: 'OS::Heat::ResourceChain',
          properties: {
            resources: ['OS::Heat::RandomString', 'OS::Heat::RandomString'],
            resource_properties: { length: 6 },
          },
        },
      },
      outputs: {
        refs: { value: { get_attr: ['chain', 'refs'] } },
        values: { value: { get_attr: ['chain', 'value'] } },
        second: { value: { get_attr: ['chain', 'resource.1.value'] } },
      },
    };
    const id = await createStack(fx, 'chain-basic', tpl);
    const stack = await settled(fx, 'chain-basic', id);
    assert.equal(stack.stack_status, 'CREATE_COMPLETE', stack.stack_status_reason);
    const out = outputs(stack);
    assert.equal(out['refs'].length, 2);
    assert.deepEqual(out['values'], out['refs']);
    assert.equal(out['second'], out['refs'][1]);
    const row = await fx.t.db
      .selectFrom('stack_resources')
      .select('physical_resource_id')
      .where('stack_id', '=', id)
      .where('name', '=', 'chain')
      .executeTakeFirstOrThrow();
    const events = await eventsOf(fx, row.physical_resource_id!);
    const order = events.filter((e) => e[0] !== events[0]![0]).map((e) => `${e[0]} ${e[1]}`);
    assert.deepEqual(order, [
      '0 CREATE_IN_PROGRESS',
      '0 CREATE_COMPLETE',
      '1 CREATE_IN_PROGRESS',
      '1 CREATE_COMPLETE',
    ]);
  });
});

describe('groups of template resources', () => {
  test('members may be template resources; resource.<n>.<output> reads one', async () => {
    const member = JSON.stringify({
      heat_template_version: '2016-10-14',
      parameters: { name: { type: 'string' } },
      resources: { v: { type: 'OS::Heat::Value', properties: { value: { get_param: 'name' } } } },
      outputs: { name: { value: { get_attr: ['v', 'value'] } } },
    });
    const tpl = {
      heat_template_version: '2016-10-14',
      resources: {
        group: {
          type: 'OS::Heat::ResourceGroup',
          properties: {
            count: 2,
            index_var: '%i%',
            resource_def: { type: 'member.yaml', properties: { name: 'm-%i%' } },
          },
        },
      },
      outputs: {
        names: { value: { get_attr: ['group', 'name'] } },
        second: { value: { get_attr: ['group', 'resource.1.name'] } },
      },
    };
    const id = await createStack(fx, 'group-tmpl', tpl, { files: { 'member.yaml': member } });
    const stack = await settled(fx, 'group-tmpl', id);
    assert.equal(stack.stack_status, 'CREATE_COMPLETE', stack.stack_status_reason);
    assert.deepEqual(outputs(stack)['names'], ['m-0', 'm-1']);
    assert.equal(outputs(stack)['second'], 'm-1');
  });
});
