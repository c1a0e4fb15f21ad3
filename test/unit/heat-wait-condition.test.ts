import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqlite } from '../../src/store/db.js';
import { HeatFault } from '../../src/services/orchestration/errors.js';
import { SoftwareConfigs } from '../../src/services/orchestration/software-configs.js';
import { heatTypes, signalHandle } from '../../src/services/orchestration/resources/heat/index.js';
import type {
  ResourceData,
  ResourceType,
} from '../../src/services/orchestration/resources/types.js';
import { memoryData, resourceContext, withDefaults } from '../helpers/heat-resources.js';

// A wait condition and its handle in one stack: signals, counts, failures and timeouts.

async function stack() {
  const handleData = memoryData();
  let handleId = '';
  const types = heatTypes(new SoftwareConfigs(await openSqlite(':memory:')), {
    resourceByRef: async (_rc, ref) => {
      if (ref === handleId)
        return { name: 'handle', type: 'OS::Heat::WaitConditionHandle', data: handleData };
      if (ref === 'other-id') return { name: 'other', type: 'OS::Heat::None', data: memoryData() };
      return null;
    },
    signalToken: async () => 'tok123',
  });
  const type = (name: string): ResourceType => types.find((t) => t.type === name)!;
  const handle = type('OS::Heat::WaitConditionHandle');
  const wc = type('OS::Heat::WaitCondition');
  const hrc = resourceContext('handle', { data: handleData });
  const hprops = withDefaults(handle, {});
  handleId = (await handle.create(hrc, hprops))!;
  return { handle, wc, hrc, hprops, handleId, handleData };
}

const fault = (type: string, message: string) => (err: unknown) => {
  assert.ok(err instanceof HeatFault, String(err));
  assert.equal(err.type, type);
  assert.equal(err.message, message);
  return true;
};

const later = async (ms: number, work: () => Promise<unknown>) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return work();
};

test('handle: its id, token, endpoint and curl_cli for TOKEN_SIGNAL', async () => {
  const { handle, hrc, hprops, handleId } = await stack();
  assert.match(handleId, /^[0-9a-f]{32}$/);
  assert.equal(hprops.signal_transport, 'TOKEN_SIGNAL');
  const endpoint =
    'http://cloud:8080/orchestration/v1/p-demo/stacks/st/stack-id/resources/handle/signal';
  assert.equal(await handle.attribute(hrc, handleId, 'token', hprops), 'tok123');
  assert.equal(await handle.attribute(hrc, handleId, 'endpoint', hprops), endpoint);
  assert.equal(
    await handle.attribute(hrc, handleId, 'curl_cli', hprops),
    "curl -i -X POST -H 'X-Auth-Token: tok123' -H 'Content-Type: application/json' " +
      `-H 'Accept: application/json' ${endpoint}`,
  );
  assert.equal(await handle.attribute(hrc, handleId, 'signal', hprops), 'null');
  const none = resourceContext('h2');
  const noSignal = { signal_transport: 'NO_SIGNAL' };
  const id = (await handle.create(none, noSignal))!;
  assert.equal(await handle.attribute(none, id, 'signal', noSignal), '{}');
  assert.equal(await handle.attribute(none, id, 'token', noSignal), null);
  assert.equal(await handle.attribute(none, id, 'curl_cli', noSignal), null);
});

test("wait condition completes at `count` successes; data lists each signal's data", async () => {
  const { wc, handleId, handleData } = await stack();
  const rc = resourceContext('wait');
  const props = withDefaults(wc, { handle: handleId, timeout: 10, count: 2 });
  assert.equal(
    await signalHandle(handleData, { status: 'SUCCESS', data: 'one' }),
    'status:SUCCESS reason:Signal 1 received',
  );
  const waiting = wc.create(rc, props);
  await later(50, () => signalHandle(handleData, { id: 'x', reason: 'r', data: { a: 1 } }));
  assert.equal(await waiting, null);
  assert.equal(await wc.attribute(rc, '', 'data', props), '{"1": "one", "x": {"a": 1}}');
  await wc.delete(rc, '', props);
  assert.equal(await wc.attribute(rc, '', 'data', props), '{}');
});

test('a FAILURE signal fails it with the failure reasons', async () => {
  const { wc, handleId, handleData } = await stack();
  const rc = resourceContext('wait');
  const props = withDefaults(wc, { handle: handleId, timeout: 10, count: 3 });
  const waiting = wc.create(rc, props);
  await signalHandle(handleData, null);
  await signalHandle(handleData, { status: 'FAILURE', reason: 'disk full' });
  await assert.rejects(waiting, fault('WaitConditionFailure', 'disk full'));
});

test('timeout: "<n> of <count> received" with the success reasons', async () => {
  const { wc, handleId, handleData } = await stack();
  const rc = resourceContext('wait');
  await signalHandle(handleData, {});
  const props = withDefaults(wc, { handle: handleId, timeout: 1, count: 2 });
  await assert.rejects(
    wc.create(rc, props),
    fault('WaitConditionTimeout', '1 of 2 received - Signal 1 received'),
  );
  const { wc: wc2, handleId: h2 } = await stack();
  await assert.rejects(
    wc2.create(resourceContext('w'), withDefaults(wc2, { handle: h2, timeout: 1 })),
    fault('WaitConditionTimeout', '0 of 1 received'),
  );
});

test('a cancelled stack operation stops the wait', async () => {
  const { wc, handleId } = await stack();
  const rc = resourceContext('wait');
  const waiting = wc.create(rc, withDefaults(wc, { handle: handleId, timeout: 100 }));
  rc.abort.abort(new Error('cancelled'));
  await assert.rejects(waiting, /cancelled/);
});

test('an update of count waits again for the new count', async () => {
  const { wc, handleId, handleData } = await stack();
  const rc = resourceContext('wait');
  const before = withDefaults(wc, { handle: handleId, timeout: 10 });
  await signalHandle(handleData, {});
  await wc.create(rc, before);
  assert.equal(wc.properties.count!.updateAllowed, true);
  const after = { ...before, count: 2 };
  const waiting = wc.update!(rc, '', after, before, ['count']);
  await later(20, () => signalHandle(handleData, {}));
  await waiting;
});

test('signals: bad metadata refused; the same id replaces the earlier signal', async () => {
  const { handleData } = await stack();
  const invalid = fault('ValueError', 'Metadata format invalid');
  await assert.rejects(signalHandle(handleData, { status: 'MAYBE' }), invalid);
  await assert.rejects(signalHandle(handleData, { extra: 1 }), invalid);
  await assert.rejects(signalHandle(handleData, 'text'), invalid);
  await assert.rejects(signalHandle(handleData, [1]), invalid);
  await signalHandle(handleData, { id: 7, data: 'a' });
  await signalHandle(handleData, { id: '7', data: 'b', reason: 'again' });
  assert.deepEqual(JSON.parse(handleData.get('signals')!), [
    ['7', { status: 'SUCCESS', reason: 'again', data: 'b' }],
  ]);
  // Concurrent signals each count.
  const data: ResourceData = memoryData();
  await Promise.all([1, 2, 3, 4].map(() => signalHandle(data, {})));
  assert.equal((JSON.parse(data.get('signals')!) as unknown[]).length, 4);
});

test("a handle that is not a wait condition handle is refused with Heat's text", async () => {
  const { wc } = await stack();
  const rc = resourceContext('wait');
  await assert.rejects(
    wc.create(rc, withDefaults(wc, { handle: 'other-id', timeout: 5 })),
    fault('ValueError', 'other is not a valid wait condition handle.'),
  );
  await assert.rejects(
    wc.create(rc, withDefaults(wc, { handle: 'missing', timeout: 5 })),
    fault('ValueError', 'missing is not a valid wait condition handle.'),
  );
  assert.equal(await wc.attribute(rc, '', 'data', { handle: 'missing' }), '');
});
