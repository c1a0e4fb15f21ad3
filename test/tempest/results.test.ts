// The check a Tempest run must pass: a broken feature that turns passes into skips, failures or
// missing tests must fail it. Pure; runs in milliseconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkResults, type Expected, type TestResult } from './results.js';

const EXPECTED: Expected = {
  passed: 2,
  skips: [{ reason: 'Cinder backup is disabled', count: 1 }],
};
const pass = (id: string): TestResult => ({ id, status: 'success', reason: '' });
const skip = (id: string, reason: string): TestResult => ({ id, status: 'skip', reason });
const RUN = [
  pass('a.test_1'),
  pass('a.test_2'),
  skip('a.test_backup', 'Cinder backup is disabled'),
];

test('the expected run has no problem', () => {
  assert.deepEqual(checkResults(RUN, EXPECTED), []);
});

test('a skip for a reason not allowed names the test and the reason', () => {
  const reason =
    'The microversion range[3.64 - latest] of this test is out of the configuration range';
  const problems = checkResults([...RUN.slice(1), skip('a.test_1', reason)], EXPECTED);
  assert.deepEqual(problems, [`unexpected skip: a.test_1: ${reason}`, '1 passed, expected 2']);
});

test('a skip without a reason is not allowed', () => {
  assert.deepEqual(checkResults([...RUN, skip('a.test_3', '')], EXPECTED), [
    'unexpected skip: a.test_3: (no reason)',
  ]);
});

test('one more skip for an allowed reason is a problem too', () => {
  const more = [...RUN, skip('b.test_backup', 'Cinder backup is disabled')];
  assert.deepEqual(checkResults(more, EXPECTED), [
    '2 skipped with "Cinder backup is disabled", expected 1\n  a.test_backup\n  b.test_backup',
  ]);
});

test('fewer tests run than expected', () => {
  assert.deepEqual(checkResults(RUN.slice(1), EXPECTED), ['1 passed, expected 2']);
});

test('more tests pass than expected: the count must be updated', () => {
  assert.deepEqual(checkResults([...RUN, pass('a.test_3')], EXPECTED), ['3 passed, expected 2']);
});

test('failures, a crashed worker and tests that never finished are problems', () => {
  const run = [
    ...RUN,
    { id: 'a.test_4', status: 'fail', reason: '' },
    { id: 'process-returncode', status: 'fail', reason: '' },
    { id: 'a.test_5', status: 'inprogress', reason: '' },
    { id: 'a.test_6', status: 'uxsuccess', reason: '' },
  ];
  assert.deepEqual(checkResults(run, EXPECTED), [
    'fail: a.test_4',
    'fail: process-returncode',
    'inprogress: a.test_5',
    'uxsuccess: a.test_6',
  ]);
});

test('a triage run checks failures and skip reasons but not counts', () => {
  const run = [pass('a.test_1'), skip('a.test_3', 'nope')];
  assert.deepEqual(checkResults(run, EXPECTED, { counts: false }), [
    'unexpected skip: a.test_3: nope',
  ]);
});

test('a failure the suite expects for now is no problem; its passing changes the count', () => {
  const failing: Expected = { ...EXPECTED, failing: ['TagsTest'] };
  const failed: TestResult = { id: 'x.TagsTest.test_t', status: 'fail', reason: '' };
  assert.deepEqual(checkResults([...RUN, failed], failing), []);
  assert.deepEqual(checkResults([...RUN, { ...failed, status: 'success' }], failing), [
    '3 passed, expected 2',
  ]);
  assert.deepEqual(checkResults([...RUN, { ...failed, id: 'x.Other.test_t' }], failing), [
    'fail: x.Other.test_t',
  ]);
});
