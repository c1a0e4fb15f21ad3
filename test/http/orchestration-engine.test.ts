import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useApp } from '../helpers/app.js';
import { createStack, eventsOf, heatUrl, settled } from '../helpers/stacks.js';

const fx = useApp();

function netTemplate(netName: string, cidr: string): Record<string, unknown> {
  return {
    heat_template_version: '2016-10-14',
    resources: {
      net: { type: 'OS::Neutron::Net', properties: { name: netName } },
      subnet: {
        type: 'OS::Neutron::Subnet',
        properties: { network: { get_resource: 'net' }, cidr },
      },
    },
    outputs: { subnet_cidr: { value: { get_attr: ['subnet', 'cidr'] } } },
  };
}

async function resourceRows(id: string) {
  return fx.t.db
    .selectFrom('stack_resources')
    .selectAll()
    .where('stack_id', '=', id)
    .where('current', '=', 1)
    .orderBy('name')
    .execute();
}

async function update(name: string, id: string, template: Record<string, unknown>, extra = {}) {
  const res = await fx.t.inject({
    method: 'PUT',
    url: heatUrl(fx, `/stacks/${name}/${id}`),
    headers: fx.demo,
    payload: { template, ...extra },
  });
  assert.equal(res.statusCode, 202, res.body);
}

describe('stack create and delete', () => {
  test('resources are made in dependency order, outputs read their attributes, delete removes them', async () => {
    const id = await createStack(fx, 'engine-basic', netTemplate('engine-net', '10.8.0.0/24'));
    const stack = await settled(fx, 'engine-basic', id);
    assert.equal(stack.stack_status, 'CREATE_COMPLETE');
    assert.equal(stack.stack_status_reason, 'Stack CREATE completed successfully');
    assert.deepEqual(stack.outputs, [
      {
        output_key: 'subnet_cidr',
        description: 'No description given',
        output_value: '10.8.0.0/24',
      },
    ]);
    const events = (await eventsOf(fx, id)).map((e) => `${e[0]} ${e[1]}`);
    assert.deepEqual(events, [
      'engine-basic CREATE_IN_PROGRESS',
      'net CREATE_IN_PROGRESS',
      'net CREATE_COMPLETE',
      'subnet CREATE_IN_PROGRESS',
      'subnet CREATE_COMPLETE',
      'engine-basic CREATE_COMPLETE',
    ]);
    const [net] = await resourceRows(id);
    const got = await fx.t.app.network.networks.get(ctxOfDemo(), net!.physical_resource_id!);
    assert.equal(got.name, 'engine-net');

    const del = await fx.t.inject({
      method: 'DELETE',
      url: heatUrl(fx, `/stacks/engine-basic/${id}`),
      headers: fx.demo,
    });
    assert.equal(del.statusCode, 204);
    await fx.t.app.orchestration.engine.idle();
    await assert.rejects(fx.t.app.network.networks.get(ctxOfDemo(), net!.physical_resource_id!));
    const gone = await fx.t.inject({
      method: 'GET',
      url: heatUrl(fx, '/stacks/engine-basic'),
      headers: fx.demo,
    });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.message, 'The Stack (engine-basic) could not be found.');
  });

  test('a failed resource fails the stack with its reason; with rollback it deletes what it made', async () => {
    const id = await createStack(fx, 'engine-rollback', netTemplate('rb-net', 'not-a-cidr'), {
      disable_rollback: false,
    });
    const stack = await settled(fx, 'engine-rollback', id);
    assert.equal(stack.stack_status, 'ROLLBACK_COMPLETE');
    const stackEvents = (await eventsOf(fx, id)).filter((e) => e[0] === 'engine-rollback');
    assert.deepEqual(
      stackEvents.map((e) => e[1]),
      ['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE'],
    );
    assert.match(
      stackEvents[1]![2]!,
      /^Resource CREATE failed: StackValidationFailed: resources\.subnet: Property error: resources\.subnet\.properties\.cidr: /,
    );
    assert.equal(stackEvents[3]![2], 'Stack ROLLBACK completed successfully');
    // Heat purges what a rollback deleted: the stack lists no resources afterwards.
    assert.deepEqual(await resourceRows(id), []);
    const net = await fx.t.db
      .selectFrom('stack_resources')
      .selectAll()
      .where('stack_id', '=', id)
      .where('name', '=', 'net')
      .executeTakeFirstOrThrow();
    assert.equal(`${net.action}_${net.status}`, 'DELETE_COMPLETE');
    await assert.rejects(fx.t.app.network.networks.get(ctxOfDemo(), net.physical_resource_id!));
  });

  test('two creates of one name race: one 201, one 409 StackExists', async () => {
    const template = { heat_template_version: '2016-10-14' };
    const send = () =>
      fx.t.inject({
        method: 'POST',
        url: heatUrl(fx, '/stacks'),
        headers: fx.demo,
        payload: { stack_name: 'engine-race', template },
      });
    const answers = await Promise.all([send(), send(), send()]);
    const codes = answers.map((a) => a.statusCode).sort();
    assert.deepEqual(codes, [201, 409, 409]);
    const refused = answers.find((a) => a.statusCode === 409)!;
    assert.equal(refused.json().error.type, 'StackExists');
    assert.equal(refused.json().error.message, 'The Stack (engine-race) already exists.');
    await fx.t.app.orchestration.engine.idle();
  });
});

describe('stack update', () => {
  test('a property Heat updates in place keeps the physical resource; one it cannot replaces it', async () => {
    const id = await createStack(fx, 'engine-update', netTemplate('upd-a', '10.9.0.0/24'));
    await settled(fx, 'engine-update', id);
    const before = await resourceRows(id);

    await update('engine-update', id, netTemplate('upd-b', '10.9.0.0/24'));
    let stack = await settled(fx, 'engine-update', id);
    assert.equal(stack.stack_status, 'UPDATE_COMPLETE');
    assert.notEqual(stack.updated_time, null);
    const inPlace = await resourceRows(id);
    assert.equal(inPlace[0]!.physical_resource_id, before[0]!.physical_resource_id);
    const net = await fx.t.app.network.networks.get(ctxOfDemo(), inPlace[0]!.physical_resource_id!);
    assert.equal(net.name, 'upd-b');
    assert.equal(inPlace[1]!.physical_resource_id, before[1]!.physical_resource_id);

    await update('engine-update', id, netTemplate('upd-b', '10.10.0.0/24'));
    stack = await settled(fx, 'engine-update', id);
    assert.equal(stack.stack_status, 'UPDATE_COMPLETE');
    const replaced = await resourceRows(id);
    assert.equal(replaced[0]!.physical_resource_id, before[0]!.physical_resource_id);
    assert.notEqual(replaced[1]!.physical_resource_id, before[1]!.physical_resource_id);
    await assert.rejects(
      fx.t.app.network.subnets.get(ctxOfDemo(), before[1]!.physical_resource_id!),
    );
    assert.equal(stack.outputs[0].output_value, '10.10.0.0/24');
  });

  test('a failed update rolls back to the definition before, restoring what it replaced', async () => {
    const id = await createStack(fx, 'engine-update-rb', netTemplate('urb', '10.11.0.0/24'));
    await settled(fx, 'engine-update-rb', id);
    const before = await resourceRows(id);
    const broken = netTemplate('urb', '10.12.0.0/24');
    (broken.resources as any).extra = {
      type: 'OS::Neutron::Subnet',
      properties: { network: 'no-such-network', cidr: '10.13.0.0/24' },
      depends_on: ['subnet'],
    };
    await update('engine-update-rb', id, broken, { disable_rollback: false });
    const stack = await settled(fx, 'engine-update-rb', id);
    assert.equal(stack.stack_status, 'ROLLBACK_COMPLETE', stack.stack_status_reason);
    const after = await resourceRows(id);
    assert.deepEqual(
      after.map((r) => [r.name, r.physical_resource_id]),
      before.map((r) => [r.name, r.physical_resource_id]),
    );
    const subnet = await fx.t.app.network.subnets.get(ctxOfDemo(), after[1]!.physical_resource_id!);
    assert.equal(subnet.cidr, '10.11.0.0/24');
  });
});

function ctxOfDemo() {
  return {
    requestId: 'req-test',
    userId: '',
    userName: 'demo',
    userDomainId: 'default',
    projectId: fx.demoProject,
    projectName: 'demo',
    domainId: null,
    roles: ['member', 'reader'],
    isAdmin: false,
    token: '',
  };
}

describe('stack cancel', () => {
  test('a cancelled update rolls back, and the resource it cut short is settled', async () => {
    const template = (value: string, wait: number) => ({
      heat_template_version: '2016-10-14',
      resources: {
        t: {
          type: 'OS::Heat::TestResource',
          properties: { value, action_wait_secs: { update: wait } },
        },
      },
      outputs: { value: { value: { get_attr: ['t', 'output'] } } },
    });
    const id = await createStack(fx, 'engine-cancel', template('old', 0));
    await settled(fx, 'engine-cancel', id);
    await update('engine-cancel', id, template('new', 600));
    // Wait until the resource's update is running, then cancel it.
    for (let i = 0; i < 200; i++) {
      const rows = await resourceRows(id);
      if (rows[0]?.action === 'UPDATE' && rows[0].status === 'IN_PROGRESS') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const cancel = await fx.t.inject({
      method: 'POST',
      url: heatUrl(fx, `/stacks/engine-cancel/${id}/actions`),
      headers: fx.demo,
      payload: { cancel_update: null },
    });
    assert.equal(cancel.statusCode, 200, cancel.body);
    const stack = await settled(fx, 'engine-cancel', id);
    assert.equal(stack.stack_status, 'ROLLBACK_COMPLETE', stack.stack_status_reason);
    const [row] = await resourceRows(id);
    // Settled, not left UPDATE_IN_PROGRESS: its stored properties are the old definition's
    // (an update stores them only when it completes, as Heat's does).
    assert.equal(`${row!.action}_${row!.status}`, 'UPDATE_COMPLETE');
    assert.equal(JSON.parse(row!.properties!).value, 'old');
  });
});
