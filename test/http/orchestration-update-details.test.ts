// Details of updates and previews the heat-tempest-plugin's functional tests check: tags on
// PUT and PATCH, external_id, and the text of a preview whose property misses a parameter.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useApp } from '../helpers/app.js';
import { serverKit } from '../helpers/servers.js';
import { createStack, heatUrl, settled } from '../helpers/stacks.js';

const fx = useApp();

const testResource = (extra: Record<string, unknown> = {}) => ({
  heat_template_version: '2016-10-14',
  resources: { test1: { type: 'OS::Heat::TestResource', ...extra } },
  outputs: { str: { value: { get_resource: 'test1' } } },
});

async function update(name: string, id: string, body: Record<string, unknown>, method = 'PUT') {
  const res = await fx.t.inject({
    method: method as 'PUT' | 'PATCH',
    url: heatUrl(fx, `/stacks/${name}/${id}`),
    headers: fx.demo,
    payload: body,
  });
  assert.equal(res.statusCode, 202, res.body);
  return settled(fx, name, id);
}

describe('stack update details', () => {
  test('a PATCH keeps the tags, a PUT without tags clears them (tags: null too)', async () => {
    const id = await createStack(fx, 'tags-put', testResource(), { tags: 'foo,bar' });
    assert.deepEqual((await settled(fx, 'tags-put', id)).tags, ['foo', 'bar']);
    const patched = await update('tags-put', id, { parameters: {} }, 'PATCH');
    assert.deepEqual(patched.tags, ['foo', 'bar']);
    const put = await update('tags-put', id, { template: testResource(), tags: 'tag1,tag2' });
    assert.deepEqual(put.tags, ['tag1', 'tag2']);
    const cleared = await update('tags-put', id, { template: testResource(), tags: null });
    assert.equal(cleared.stack_status, 'UPDATE_COMPLETE');
    assert.equal(cleared.tags, null);
  });

  test('external_id is taken as the physical resource; adding one later fails the update', async () => {
    const id = await createStack(fx, 'ext-ref', testResource({ external_id: 'foobar' }));
    const created = await settled(fx, 'ext-ref', id);
    assert.equal(created.stack_status, 'CREATE_COMPLETE');
    assert.equal(created.outputs[0].output_value, 'foobar');
    const same = await update('ext-ref', id, { template: testResource({ external_id: 'foobar' }) });
    assert.equal(same.stack_status, 'UPDATE_COMPLETE');

    const plain = await createStack(fx, 'ext-ref-add', testResource());
    await settled(fx, 'ext-ref-add', plain);
    const added = await update('ext-ref-add', plain, {
      template: testResource({ external_id: 'foobar' }),
    });
    assert.equal(added.stack_status, 'UPDATE_FAILED');
    assert.equal(
      added.stack_status_reason,
      'Resource UPDATE failed: NotSupported: resources.test1: ' +
        'Update to property external_id of test1 (OS::Heat::TestResource) is not supported.',
    );
  });

  test('a preview whose property misses a parameter is a 400 with the doubled separators', async () => {
    const res = await fx.t.inject({
      method: 'POST',
      url: heatUrl(fx, '/stacks/preview'),
      headers: fx.demo,
      payload: {
        stack_name: 'preview-missing',
        template: {
          heat_template_version: '2015-04-30',
          resources: {
            two: {
              type: 'OS::Heat::TestResource',
              properties: { value: { get_param: 'missing' } },
            },
          },
        },
      },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(
      res.json().error.message,
      'Property error: : resources.two.properties.value: : The Parameter (missing) was not provided.',
    );
  });
});

describe('replacements and network updates that free what the new one takes', () => {
  const portTemplate = {
    heat_template_version: '2015-04-30',
    parameters: { mac: { type: 'string', default: '00-00-00-00-BB-BB' } },
    resources: {
      net: { type: 'OS::Neutron::Net' },
      subnet: {
        type: 'OS::Neutron::Subnet',
        properties: { enable_dhcp: false, network: { get_resource: 'net' }, cidr: '11.11.11.0/24' },
      },
      port: {
        type: 'OS::Neutron::Port',
        properties: {
          network: { get_resource: 'net' },
          mac_address: { get_param: 'mac' },
          fixed_ips: [{ subnet: { get_resource: 'subnet' }, ip_address: '11.11.11.11' }],
        },
      },
    },
    outputs: {
      ip: { value: { get_attr: ['port', 'fixed_ips', 0, 'ip_address'] } },
      mac: { value: { get_attr: ['port', 'mac_address'] } },
      id: { value: { get_resource: 'port' } },
    },
  };
  const out = (stack: any, key: string) =>
    stack.outputs.find((o: any) => o.output_key === key).output_value;

  test('a port replaced for its MAC lets go of its fixed IP so the new port takes it', async () => {
    const id = await createStack(fx, 'port-mac', portTemplate);
    const before = await settled(fx, 'port-mac', id);
    assert.equal(before.stack_status, 'CREATE_COMPLETE', before.stack_status_reason);
    const after = await update('port-mac', id, {
      template: portTemplate,
      parameters: { mac: '00-00-00-00-AA-AA' },
    });
    assert.equal(after.stack_status, 'UPDATE_COMPLETE', after.stack_status_reason);
    assert.equal(out(after, 'ip'), '11.11.11.11');
    assert.notEqual(out(after, 'mac'), out(before, 'mac'));
    assert.notEqual(out(after, 'id'), out(before, 'id'));
  });

  test("a server's subnet entry swapped: the old internal port goes, the stack deletes cleanly", async () => {
    const image = await serverKit(fx).image();
    const server = (subnet: string) => ({
      heat_template_version: '2016-04-08',
      resources: {
        net: { type: 'OS::Neutron::Net', properties: { name: 'the_net' } },
        subnet_a: {
          type: 'OS::Neutron::Subnet',
          properties: { network: { get_resource: 'net' }, cidr: '11.11.11.0/24' },
        },
        subnet_b: {
          type: 'OS::Neutron::Subnet',
          properties: { network: { get_resource: 'net' }, cidr: '12.12.12.0/24' },
        },
        server: {
          type: 'OS::Nova::Server',
          properties: {
            image,
            flavor: 'm1.tiny',
            networks: [{ subnet: { get_resource: subnet } }],
          },
        },
      },
      outputs: { networks: { value: { get_attr: ['server', 'networks'] } } },
    });
    const id = await createStack(fx, 'server-subnets', server('subnet_a'));
    const made = await settled(fx, 'server-subnets', id);
    assert.equal(made.stack_status, 'CREATE_COMPLETE', made.stack_status_reason);
    assert.match(out(made, 'networks').the_net[0], /^11\.11\.11\./);
    const after = await update('server-subnets', id, { template: server('subnet_b') });
    assert.equal(after.stack_status, 'UPDATE_COMPLETE', after.stack_status_reason);
    assert.deepEqual(out(after, 'networks').the_net.length, 1);
    assert.match(out(after, 'networks').the_net[0], /^12\.12\.12\./);
    const del = await fx.t.inject({
      method: 'DELETE',
      url: heatUrl(fx, `/stacks/server-subnets/${id}`),
      headers: fx.demo,
    });
    assert.equal(del.statusCode, 204);
    await fx.t.app.orchestration.engine.idle();
    const row = await fx.t.db
      .selectFrom('stacks')
      .select(['action', 'status', 'status_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(`${row.action}_${row.status}`, 'DELETE_COMPLETE', row.status_reason);
  });
});
