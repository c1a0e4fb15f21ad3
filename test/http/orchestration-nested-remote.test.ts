import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useApp } from '../helpers/app.js';
import { createStack, heatUrl, settled } from '../helpers/stacks.js';

const fx = useApp();

const REMOTE = [
  'heat_template_version: 2015-10-15',
  'parameters:',
  '  len: {type: number, default: 10}',
  'resources:',
  '  random1:',
  '    type: OS::Heat::RandomString',
  '    properties: {length: {get_param: len}}',
  'outputs:',
  '  remote_key:',
  '    value: {get_attr: [random1, value]}',
].join('\n');

function parent(context: Record<string, unknown>, template = REMOTE, len = 10) {
  return {
    heat_template_version: '2015-10-15',
    resources: {
      my_stack: {
        type: 'OS::Heat::Stack',
        properties: { context, template, parameters: { len } },
      },
    },
    outputs: {
      key: { value: { get_attr: ['my_stack', 'outputs', 'remote_key'] } },
      name: { value: { get_attr: ['my_stack', 'stack_name'] } },
      ref: { value: { get_resource: 'my_stack' } },
    },
  };
}

function outputs(stack: any): Record<string, any> {
  return Object.fromEntries(stack.outputs.map((o: any) => [o.output_key, o.output_value]));
}

describe('OS::Heat::Stack', () => {
  test('a template string becomes a stack whose outputs are an attribute', async () => {
    const id = await createStack(fx, 'remote-ok', parent({ region_name: 'RegionOne' }));
    const stack = await settled(fx, 'remote-ok', id);
    assert.equal(stack.stack_status, 'CREATE_COMPLETE', stack.stack_status_reason);
    const out = outputs(stack);
    assert.match(out['key'], /^[A-Za-z0-9]{10}$/);
    assert.match(out['name'], /^remote-ok-my_stack-[a-z2-7]{12}$/);
    const show = await fx.t.inject({
      method: 'GET',
      url: heatUrl(fx, `/stacks/${out['name']}/${out['ref']}`),
      headers: fx.demo,
    });
    assert.equal(show.statusCode, 200, show.body);
    assert.equal(show.json().stack.stack_status, 'CREATE_COMPLETE');

    const res = await fx.t.inject({
      method: 'PUT',
      url: heatUrl(fx, `/stacks/remote-ok/${id}`),
      headers: fx.demo,
      payload: { template: parent({ region_name: 'RegionOne' }, REMOTE, 20) },
    });
    assert.equal(res.statusCode, 202, res.body);
    const updated = await settled(fx, 'remote-ok', id);
    assert.equal(updated.stack_status, 'UPDATE_COMPLETE', updated.stack_status_reason);
    assert.match(outputs(updated)['key'], /^[A-Za-z0-9]{20}$/);
    assert.equal(outputs(updated)['ref'], out['ref']);
  });

  test('another region is refused at create with Heat text', async () => {
    const res = await fx.t.inject({
      method: 'POST',
      url: heatUrl(fx, '/stacks'),
      headers: fx.demo,
      payload: { stack_name: 'remote-region', template: parent({ region_name: 'DARKHOLE' }) },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.type, 'StackValidationFailed');
    assert.equal(
      res.json().error.message,
      'Cannot establish connection to Heat endpoint at region "DARKHOLE" due to "publicURL ' +
        'endpoint for orchestration service in DARKHOLE region not found"',
    );
  });

  test('an invalid template is refused with the text the remote Heat gives', async () => {
    const bad = 'heat_template_version: 2015-10-15\nresource:\n  x: {type: OS::Heat::None}\n';
    const res = await fx.t.inject({
      method: 'POST',
      url: heatUrl(fx, '/stacks'),
      headers: fx.demo,
      payload: {
        stack_name: 'remote-bad',
        template: {
          ...parent({}),
          resources: {
            my_stack: {
              type: 'OS::Heat::Stack',
              properties: { template: { get_file: 'remote.yaml' } },
            },
          },
        },
        files: { 'remote.yaml': bad },
      },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(
      res.json().error.message,
      'Failed validating stack template using Heat endpoint at region "RegionOne" due to ' +
        '"ERROR: The template section is invalid: resource"',
    );
  });

  test('a region known only once resources exist fails the resource', async () => {
    const tpl = parent({ region_name: { get_attr: ['r', 'value'] } });
    (tpl.resources as Record<string, unknown>)['r'] = {
      type: 'OS::Heat::Value',
      properties: { value: 'DARKHOLE' },
    };
    const id = await createStack(fx, 'remote-late', tpl);
    const stack = await settled(fx, 'remote-late', id);
    assert.equal(stack.stack_status, 'CREATE_FAILED');
    assert.equal(
      stack.stack_status_reason,
      'Resource CREATE failed: StackValidationFailed: resources.my_stack: Cannot establish ' +
        'connection to Heat endpoint at region "DARKHOLE" due to "publicURL endpoint for ' +
        'orchestration service in DARKHOLE region not found"',
    );
  });

  test('suspend and resume reach the stack it made', async () => {
    const id = await createStack(fx, 'remote-susp', parent({}));
    const out = outputs(await settled(fx, 'remote-susp', id));
    for (const action of ['suspend', 'resume']) {
      const res = await fx.t.inject({
        method: 'POST',
        url: heatUrl(fx, `/stacks/remote-susp/${id}/actions`),
        headers: fx.demo,
        payload: { [action]: null },
      });
      assert.equal(res.statusCode, 200, res.body);
      const stack = await settled(fx, 'remote-susp', id);
      const want = `${action.toUpperCase()}_COMPLETE`;
      assert.equal(stack.stack_status, want, stack.stack_status_reason);
      const child = await fx.t.db
        .selectFrom('stacks')
        .selectAll()
        .where('id', '=', out['ref'])
        .executeTakeFirstOrThrow();
      assert.equal(`${child.action}_${child.status}`, want);
    }
  });
});
