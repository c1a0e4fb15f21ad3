import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCpuSlot } from '../../src/cpu-slots.js';

// Heavy crypto takes a slot of its kind before it reaches the thread pool (src/cpu-slots.ts).

test('each kind runs at most its slots at once, in order, and a failure frees its slot', async () => {
  let running = 0;
  let most = 0;
  const order: number[] = [];
  const job = (n: number) =>
    withCpuSlot('password', async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      order.push(n);
      if (n === 1) throw new Error('boom');
      return n;
    });
  const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(job));
  assert.equal(most, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
  assert.equal(results[1]!.status, 'rejected');
  assert.deepEqual(
    results.filter((r) => r.status === 'fulfilled').map((r) => r.value),
    [0, 2, 3, 4, 5],
  );
  // A key generation does not wait for password hashes: kinds have slots of their own.
  let rsaStarted = false;
  const hashes = [0, 1].map(() =>
    withCpuSlot('password', () => new Promise((r) => setTimeout(r, 20))),
  );
  await withCpuSlot('rsa', async () => {
    rsaStarted = true;
  });
  assert.ok(rsaStarted);
  await Promise.all(hashes);
});
