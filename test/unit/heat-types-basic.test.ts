import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeatFault } from '../../src/services/orchestration/errors.js';
import { noneResource } from '../../src/services/orchestration/resources/heat/none.js';
import { valueResource } from '../../src/services/orchestration/resources/heat/value.js';
import { randomStringResource as rs } from '../../src/services/orchestration/resources/heat/random-string.js';
import { referenceId } from '../../src/services/orchestration/resources/heat/index.js';
import { resourceContext, withDefaults } from '../helpers/heat-resources.js';

// OS::Heat::None, Value and RandomString through their steps, as the engine calls them.

async function refused(work: Promise<unknown>, type: string, message: string) {
  await assert.rejects(work, (err: unknown) => {
    assert.ok(err instanceof HeatFault, String(err));
    assert.equal(err.type, type);
    assert.equal(err.message, message);
    return true;
  });
}

test('None: a uuid as physical id, marked a placeholder, every attribute null, update a no-op', async () => {
  const rc = resourceContext('none');
  const id = await noneResource.create(rc, {});
  assert.match(id!, /^[0-9a-f-]{36}$/);
  assert.equal(rc.data.get('is_placeholder'), 'True');
  assert.equal(await noneResource.attribute(rc, id!, 'anything', {}), null);
  assert.equal(noneResource.acceptsAnyProperties, true);
  await noneResource.update!(rc, id!, { a: 1 }, { a: 2 }, ['a']);
  await noneResource.delete(rc, id!, {});
});

test('Value: physical name as id, value attribute, updated in place, typed by `type`', async () => {
  const rc = resourceContext('v');
  const props = withDefaults(valueResource, { value: { a: [1, 2] } });
  await valueResource.validate!(rc, props);
  assert.equal(await valueResource.create(rc, props), 'st-v-abcdefghijkl');
  assert.deepEqual(await valueResource.attribute(rc, 'x', 'value', props), { a: [1, 2] });
  assert.equal(valueResource.properties.value!.updateAllowed, true);
  assert.equal(valueResource.properties.type!.updateAllowed, true);
  assert.equal(valueResource.properties.value!.type, 'any');
  await valueResource.update!(rc, 'x', { value: 2 }, props, ['value']);

  const number = { value: '5', type: 'number' };
  assert.equal(await valueResource.attribute(rc, 'x', 'value', number), 5);
  assert.equal(await valueResource.attribute(rc, 'x', 'value', { value: 3, type: 'string' }), '3');
  assert.equal(
    await valueResource.attribute(rc, 'x', 'value', { value: 'TRUE', type: 'boolean' }),
    true,
  );
  await refused(
    valueResource.validate!(rc, { value: 'abc', type: 'number' }),
    'StackValidationFailed',
    'Property error: resources.v.properties.value: Value "abc" is invalid for data type "number".',
  );
  await refused(
    valueResource.validate!(rc, { value: [1], type: 'string' }),
    'StackValidationFailed',
    'Property error: resources.v.properties.value: Value must be a string; got [1]',
  );
  await refused(
    valueResource.validate!(rc, { value: 'x', type: 'json' }),
    'StackValidationFailed',
    'Property error: resources.v.properties.value: "x" is not a map',
  );
  await refused(
    valueResource.validate!(rc, { value: 'x', type: 'comma_delimited_list' }),
    'StackValidationFailed',
    `Property error: resources.v.properties.value: "'x'" is not a list`,
  );
  await refused(
    valueResource.validate!(rc, { value: 'Maybe', type: 'boolean' }),
    'StackValidationFailed',
    'Property error: resources.v.properties.value: "maybe" is not a valid boolean',
  );
});

test('RandomString: 32 letters and digits by default, kept in data, the Ref answers it', async () => {
  const rc = resourceContext('pw');
  const props = withDefaults(rs, {});
  await rs.validate!(rc, props);
  const id = await rs.create(rc, props);
  assert.equal(id, 'st-pw-abcdefghijkl');
  const value = rc.data.get('value')!;
  assert.match(value, /^[A-Za-z0-9]{32}$/);
  assert.equal(await rs.attribute(rc, id!, 'value', props), value);
  assert.equal(referenceId('OS::Heat::RandomString', id, rc.data), value);
  assert.equal(referenceId('OS::Heat::Value', id, rc.data), undefined);
  // Nothing updates in place: any change, salt included, replaces it.
  assert.equal(rs.update, undefined);
  assert.ok(Object.values(rs.properties).every((p) => !p.updateAllowed));
});

test('RandomString: classes and sequences with their minimums, the deprecated sequence', async () => {
  for (let i = 0; i < 20; i++) {
    const rc = resourceContext('pw');
    const props = withDefaults(rs, {
      length: 12,
      character_classes: [{ class: 'digits', min: 5 }],
      character_sequences: [{ sequence: '!@', min: 5 }],
    });
    await rs.validate!(rc, props);
    await rs.create(rc, props);
    const v = rc.data.get('value')!;
    assert.equal(v.length, 12);
    assert.match(v, /^[0-9!@]+$/);
    assert.ok(v.replace(/[^0-9]/g, '').length >= 5, v);
    assert.ok(v.replace(/[^!@]/g, '').length >= 5, v);
  }
  const rc = resourceContext('pw');
  const octal = withDefaults(rs, { sequence: 'octdigits', length: 64 });
  await rs.create(rc, octal);
  assert.match(rc.data.get('value')!, /^[0-7]{64}$/);
  const hex = withDefaults(rs, { character_classes: [{ class: 'hexdigits', min: 1 }] });
  await rs.create(rc, hex);
  assert.match(rc.data.get('value')!, /^[0-9A-F]{32}$/);
  assert.equal(rs.properties.sequence!.supportStatus!.status, 'HIDDEN');
});

test("RandomString: a length under the minimums is refused with Heat's text", async () => {
  const rc = resourceContext('pw');
  await refused(
    rs.validate!(
      rc,
      withDefaults(rs, {
        length: 5,
        character_classes: [{ class: 'digits', min: 3 }],
        character_sequences: [{ sequence: 'ab', min: 3 }],
      }),
    ),
    'StackValidationFailed',
    'Length property cannot be smaller than combined character class and character sequence ' +
      'minimums',
  );
});

test("Value: `type` allows the HOT parameter types in Heat's order", () => {
  assert.deepEqual(valueResource.properties.type!.constraints, [
    {
      kind: 'allowed_values',
      values: ['string', 'number', 'comma_delimited_list', 'json', 'boolean'],
    },
  ]);
});
