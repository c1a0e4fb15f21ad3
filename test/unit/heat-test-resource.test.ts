import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeatFault } from '../../src/services/orchestration/errors.js';
import { testResource as tr } from '../../src/services/orchestration/resources/heat/test-resource.js';
import { UpdateReplace } from '../../src/services/orchestration/resources/heat/index.js';
import type { Props, ResourceContext } from '../../src/services/orchestration/resources/types.js';
import { resourceContext, withDefaults } from '../helpers/heat-resources.js';

// OS::Heat::TestResource as the heat-tempest-plugin drives it: values, waits, failures, replace.

const props = (p: Props): Props => withDefaults(tr, p);

async function untilComplete(
  check: () => Promise<boolean>,
): Promise<{ polls: number; ms: number }> {
  const start = Date.now();
  let polls = 0;
  while (!(await check())) polls++;
  return { polls, ms: Date.now() - start };
}

function failedWith(rc: ResourceContext) {
  return (err: unknown) => {
    assert.ok(err instanceof HeatFault);
    assert.equal(err.type, 'ValueError');
    assert.equal(err.message, `Test Resource failed ${rc.resourceName}`);
    return true;
  };
}

test('create stores the value: the physical name as id, `output` answers it', async () => {
  const rc = resourceContext('test1');
  const p = props({ value: 'hello' });
  const id = await tr.create(rc, p);
  assert.equal(id, 'st-test1-abcdefghijkl');
  assert.equal(await tr.checkCreateComplete!(rc, id!, p), true);
  assert.equal(await tr.attribute(rc, id!, 'output', p), 'hello');
  const dflt = resourceContext('t2');
  await tr.create(dflt, props({}));
  assert.equal(await tr.attribute(dflt, 'x', 'output', props({})), 'test_string');
});

test('wait_secs and action_wait_secs hold the action IN_PROGRESS that long', async () => {
  const rc = resourceContext('slow');
  const p = props({ wait_secs: 5, action_wait_secs: { create: 0.3 } });
  const id = await tr.create(rc, p);
  const { polls, ms } = await untilComplete(() => tr.checkCreateComplete!(rc, id!, p));
  assert.ok(polls >= 1 && ms >= 250, `${polls} polls in ${ms} ms`);
  const del = props({ wait_secs: 0.2 });
  await tr.delete(rc, id!, del);
  const deleted = await untilComplete(() => tr.checkDeleteComplete!(rc, id!));
  assert.ok(deleted.ms >= 150, `${deleted.ms} ms`);
});

test("fail: create fails with Heat's text and sets no physical id; delete never fails", async () => {
  const rc = resourceContext('broken');
  await assert.rejects(tr.create(rc, props({ fail: true })), failedWith(rc));
  assert.equal(rc.data.get('value'), undefined);
  const later = resourceContext('late');
  const started = Date.now();
  await assert.rejects(tr.create(later, props({ fail: true, wait_secs: 0.2 })), failedWith(later));
  assert.ok(Date.now() - started >= 150);
  const rc2 = resourceContext('del');
  const p = props({ fail: true });
  await tr.delete(rc2, 'x', p);
  assert.equal(await untilComplete(() => tr.checkDeleteComplete!(rc2, 'x')).then(() => true), true);
});

test('update: value in place, or replaced when update_replace; fail fails the update', async () => {
  const rc = resourceContext('u');
  const before = props({ value: 'a' });
  const id = (await tr.create(rc, before))!;
  const after = props({ value: 'b' });
  await tr.update!(rc, id, after, before, ['value']);
  assert.equal(await untilComplete(() => tr.checkUpdateComplete!(rc, id, after)).then(() => 1), 1);
  assert.equal(await tr.attribute(rc, id, 'output', after), 'b');

  const replace = props({ value: 'c', update_replace: true });
  await assert.rejects(tr.update!(rc, id, replace, after, ['value', 'update_replace']), (err) => {
    assert.ok(err instanceof UpdateReplace);
    assert.equal(err.message, 'The Resource u requires replacement.');
    return true;
  });
  // update_replace alone changes nothing that needs a new resource.
  await tr.update!(rc, id, props({ value: 'b', update_replace: true }), after, ['update_replace']);
  assert.equal(tr.properties.update_replace_value!.updateAllowed, undefined);

  const failing = props({ value: 'd', fail: true });
  await tr.update!(rc, id, failing, after, ['value', 'fail']);
  await assert.rejects(
    untilComplete(() => tr.checkUpdateComplete!(rc, id, failing)),
    failedWith(rc),
  );
  assert.equal(await tr.attribute(rc, id, 'output', failing), 'b');
});

test('wait_secs -1 waits until the operation is aborted; attr_wait_secs delays output', async () => {
  const rc = resourceContext('forever');
  const p = props({ wait_secs: -1 });
  const id = (await tr.create(rc, p))!;
  const waiting = untilComplete(() => tr.checkCreateComplete!(rc, id, p));
  setTimeout(() => rc.abort.abort(new Error('Timed out')), 50);
  await assert.rejects(waiting, /Timed out/);

  const rc2 = resourceContext('attr');
  const p2 = props({ attr_wait_secs: 0.2, value: 'v' });
  await tr.create(rc2, p2);
  const started = Date.now();
  assert.equal(await tr.attribute(rc2, 'x', 'output', p2), 'v');
  assert.ok(Date.now() - started >= 150);
});

test('the schema as resource type show prints it', () => {
  assert.deepEqual(Object.keys(tr.properties).sort(), [
    'action_wait_secs',
    'attr_wait_secs',
    'client_name',
    'constraint_prop_secs',
    'entity_name',
    'fail',
    'update_replace',
    'update_replace_value',
    'value',
    'wait_secs',
  ]);
  assert.equal(
    tr.properties.action_wait_secs!.schema!.update!.description,
    'Seconds to wait after an update. Defaults to the global wait_secs.',
  );
  assert.deepEqual(tr.properties.constraint_prop_secs!.constraints, [
    { kind: 'custom_constraint', name: 'test_constr' },
  ]);
  assert.deepEqual(Object.keys(tr.attributes), ['output']);
});
