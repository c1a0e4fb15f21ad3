import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useApp } from '../helpers/app.js';
import { createStack, heatUrl, settled } from '../helpers/stacks.js';

const fx = useApp();

const CHILD = JSON.stringify({
  heat_template_version: '2016-10-14',
  parameters: {
    length: { type: 'number', default: 8 },
    prefix: { type: 'string' },
    tags: { type: 'comma_delimited_list', default: [] },
  },
  resources: {
    rand: { type: 'OS::Heat::RandomString', properties: { length: { get_param: 'length' } } },
  },
  outputs: {
    value: {
      value: {
        str_replace: {
          template: 'P-V',
          params: { P: { get_param: 'prefix' }, V: { get_attr: ['rand', 'value'] } },
        },
      },
    },
    tags: { value: { get_param: 'tags' } },
  },
});

function parent(type: string, props: Record<string, unknown>): Record<string, unknown> {
  return {
    heat_template_version: '2016-10-14',
    resources: { child: { type, properties: props } },
    outputs: {
      value: { value: { get_attr: ['child', 'value'] } },
      tags: { value: { get_attr: ['child', 'tags'] } },
      ref: { value: { get_resource: 'child' } },
    },
  };
}

async function childRow(id: string) {
  return fx.t.db
    .selectFrom('stack_resources')
    .selectAll()
    .where('stack_id', '=', id)
    .where('name', '=', 'child')
    .where('current', '=', 1)
    .executeTakeFirstOrThrow();
}

async function stackRow(id: string) {
  return fx.t.db.selectFrom('stacks').selectAll().where('id', '=', id).executeTakeFirst();
}

function outputs(stack: any): Record<string, unknown> {
  return Object.fromEntries(stack.outputs.map((o: any) => [o.output_key, o.output_value]));
}

describe('template resources', () => {
  test('a template in files runs as a child stack whose outputs are attributes', async () => {
    const id = await createStack(
      fx,
      'nest-files',
      parent('child.yaml', { prefix: 'p', tags: ['a', 'b'] }),
      {
        files: { 'child.yaml': CHILD },
      },
    );
    const stack = await settled(fx, 'nest-files', id);
    assert.equal(stack.stack_status, 'CREATE_COMPLETE', stack.stack_status_reason);
    const out = outputs(stack);
    assert.match(String(out['value']), /^p-[A-Za-z0-9]{8}$/);
    assert.deepEqual(out['tags'], ['a', 'b']);
    const row = await childRow(id);
    const child = (await stackRow(row.physical_resource_id!))!;
    assert.equal(child.owner_id, id);
    assert.match(child.name, /^nest-files-child-[a-z2-7]{12}$/);
    assert.equal(
      out['ref'],
      `arn:openstack:heat::${fx.demoProject}:stacks/${child.name}/${child.id}`,
    );
  });

  test('the environment maps an alias to a template file, and a file name to itself', async () => {
    const env = { resource_registry: { 'My::Child': 'child.yaml' } };
    const id = await createStack(
      fx,
      'nest-alias',
      parent('My::Child', { prefix: 'q', tags: 'x,y' }),
      {
        files: { 'child.yaml': CHILD },
        environment: env,
      },
    );
    const stack = await settled(fx, 'nest-alias', id);
    assert.equal(stack.stack_status, 'CREATE_COMPLETE', stack.stack_status_reason);
    assert.match(String(outputs(stack)['value']), /^q-/);
    assert.deepEqual(outputs(stack)['tags'], ['x', 'y']);
    const row = await childRow(id);
    assert.equal(row.type, 'My::Child');
  });

  test('an unknown alias is refused with Heat text', async () => {
    const res = await fx.t.inject({
      method: 'POST',
      url: heatUrl(fx, '/stacks'),
      headers: fx.demo,
      payload: { stack_name: 'nest-unknown', template: parent('My::Nothing', { prefix: 'x' }) },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().error.message, /The Resource Type \(My::Nothing\) could not be found/);
  });

  test('a property change updates the child in place; delete removes it', async () => {
    const files = { 'child.yaml': CHILD };
    const id = await createStack(fx, 'nest-upd', parent('child.yaml', { prefix: 'a' }), { files });
    await settled(fx, 'nest-upd', id);
    const before = await childRow(id);
    const res = await fx.t.inject({
      method: 'PUT',
      url: heatUrl(fx, `/stacks/nest-upd/${id}`),
      headers: fx.demo,
      payload: { template: parent('child.yaml', { prefix: 'b', length: 12 }), files },
    });
    assert.equal(res.statusCode, 202, res.body);
    const stack = await settled(fx, 'nest-upd', id);
    assert.equal(stack.stack_status, 'UPDATE_COMPLETE', stack.stack_status_reason);
    assert.match(String(outputs(stack)['value']), /^b-[A-Za-z0-9]{12}$/);
    const after = await childRow(id);
    assert.equal(after.physical_resource_id, before.physical_resource_id);
    const child = await stackRow(after.physical_resource_id!);
    assert.equal(child!.action, 'UPDATE');

    const del = await fx.t.inject({
      method: 'DELETE',
      url: heatUrl(fx, `/stacks/nest-upd/${id}`),
      headers: fx.demo,
    });
    assert.equal(del.statusCode, 204);
    await fx.t.app.orchestration.engine.idle();
    const gone = await stackRow(after.physical_resource_id!);
    assert.equal(`${gone!.action}_${gone!.status}`, 'DELETE_COMPLETE');
  });

  test("a child's failure fails the parent with the child's path", async () => {
    const failing = JSON.stringify({
      heat_template_version: '2016-10-14',
      resources: { t: { type: 'OS::Heat::TestResource', properties: { fail: true } } },
    });
    const tpl = { heat_template_version: '2016-10-14', resources: { child: { type: 'f.yaml' } } };
    const id = await createStack(fx, 'nest-fail', tpl, { files: { 'f.yaml': failing } });
    const stack = await settled(fx, 'nest-fail', id);
    assert.equal(stack.stack_status, 'CREATE_FAILED');
    assert.equal(
      stack.stack_status_reason,
      'Resource CREATE failed: ValueError: resources.child.resources.t: Test Resource failed t',
    );
  });

  test('nesting deeper than 5 levels fails', async () => {
    const self = JSON.stringify({
      heat_template_version: '2016-10-14',
      resources: { again: { type: 'self.yaml' } },
    });
    const tpl = {
      heat_template_version: '2016-10-14',
      resources: { child: { type: 'self.yaml' } },
    };
    const id = await createStack(fx, 'nest-deep', tpl, { files: { 'self.yaml': self } });
    const stack = await settled(fx, 'nest-deep', id);
    assert.equal(stack.stack_status, 'CREATE_FAILED');
    const path = 'resources.child' + '.resources.again'.repeat(5);
    assert.equal(
      stack.stack_status_reason,
      `Resource CREATE failed: StackValidationFailed: ${path}: Recursion depth exceeds 5.`,
    );
  });

  test("a child's output error is the attribute's error, as the parent's output_error", async () => {
    const child = [
      'heat_template_version: 2015-10-15',
      'resources:',
      '  a: {type: OS::Heat::TestResource, properties: {value: a}}',
      'outputs:',
      '  resource_output_a: {value: {get_attr: [a, output]}}',
      '  resource_output_b: {value: {get_attr: [a, nope]}}',
    ].join('\n');
    const tpl = {
      heat_template_version: '2015-10-15',
      resources: { parent: { type: '1.yaml' } },
      outputs: {
        resource_output_a: { value: { get_attr: ['parent', 'resource_output_a'] } },
        resource_output_b: { value: { get_attr: ['parent', 'resource_output_b'] } },
      },
    };
    const id = await createStack(fx, 'nest-outerr', tpl, { files: { '1.yaml': child } });
    const stack = await settled(fx, 'nest-outerr', id);
    assert.equal(stack.stack_status, 'CREATE_COMPLETE', stack.stack_status_reason);
    const sorted = [...stack.outputs].sort((x: any, y: any) =>
      x.output_key < y.output_key ? -1 : 1,
    );
    assert.deepEqual(sorted, [
      { output_key: 'resource_output_a', output_value: 'a', description: 'No description given' },
      {
        output_key: 'resource_output_b',
        output_value: null,
        output_error:
          'Error in parent output resource_output_b: The Referenced Attribute (a nope) is incorrect.',
        description: 'No description given',
      },
    ]);
  });

  test('properties are checked against the template parameters', async () => {
    const files = { 'child.yaml': CHILD };
    const id = await createStack(fx, 'nest-props', parent('child.yaml', { length: 5 }), { files });
    const stack = await settled(fx, 'nest-props', id);
    assert.equal(stack.stack_status, 'CREATE_FAILED');
    assert.equal(
      stack.stack_status_reason,
      'Resource CREATE failed: StackValidationFailed: resources.child: Property error: ' +
        'resources.child.properties: Property prefix not assigned',
    );
  });
});

describe('an edited child template', () => {
  test('reaches the child stack on update though no property of the parent changed', async () => {
    const child = (length: number) =>
      JSON.stringify({
        heat_template_version: '2016-10-14',
        resources: { rand: { type: 'OS::Heat::RandomString', properties: { length } } },
        outputs: { value: { value: { get_attr: ['rand', 'value'] } } },
      });
    const template = {
      heat_template_version: '2016-10-14',
      resources: { child: { type: 'child.yaml' } },
      outputs: { value: { value: { get_attr: ['child', 'value'] } } },
    };
    const id = await createStack(fx, 'nested-edited', template, {
      files: { 'child.yaml': child(8) },
    });
    let stack = await settled(fx, 'nested-edited', id);
    assert.equal(stack.stack_status, 'CREATE_COMPLETE');
    assert.equal((outputs(stack).value as string).length, 8);
    const before = await childRow(id);

    const res = await fx.t.inject({
      method: 'PUT',
      url: heatUrl(fx, `/stacks/nested-edited/${id}`),
      headers: fx.demo,
      payload: { template, files: { 'child.yaml': child(20) } },
    });
    assert.equal(res.statusCode, 202);
    stack = await settled(fx, 'nested-edited', id);
    assert.equal(stack.stack_status, 'UPDATE_COMPLETE');
    assert.equal((outputs(stack).value as string).length, 20, 'the child ran the new template');
    const after = await childRow(id);
    assert.equal(after.physical_resource_id, before.physical_resource_id, 'updated in place');
  });
});
