import { test } from 'node:test';
import assert from 'node:assert/strict';
import { walk } from '../../src/services/orchestration/engine/graph.js';

// The engine's dependency walk: every step after the nodes it needs, ready steps at once up to
// the limit, and the first failure ending the walk once running steps are done.

const tick = () => new Promise((r) => setTimeout(r, 1));

test('walk runs ready nodes at once, never more than the limit, each after what it needs', async () => {
  const nodes = Array.from({ length: 20 }, (_, i) => `n${i}`);
  const needs = (n: string) => (n === 'n19' ? ['n0', 'n5'] : []);
  let running = 0;
  let most = 0;
  const done: string[] = [];
  await walk(
    nodes,
    needs,
    async (n) => {
      running++;
      most = Math.max(most, running);
      if (n === 'n19') assert.ok(done.includes('n0') && done.includes('n5'));
      await tick();
      done.push(n);
      running--;
    },
    undefined,
    4,
  );
  assert.equal(done.length, 20);
  assert.equal(most, 4);
});

test('walk stops starting steps after a failure and throws the first error', async () => {
  const started: string[] = [];
  await assert.rejects(
    walk(
      ['a', 'b', 'c'],
      (n) => (n === 'c' ? ['a'] : []),
      async (n) => {
        started.push(n);
        await tick();
        if (n === 'a') throw new Error('boom');
      },
      undefined,
      1,
    ),
    /boom/,
  );
  assert.deepEqual(started, ['a']);
});
