import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, verifyPassword } from '../../src/services/identity/passwords.js';

test('a proven password is accepted again, a wrong one never, also after a right one', async () => {
  const stored = await hashPassword('s3cret');
  assert.equal(await verifyPassword('s3cret', stored), true);
  assert.equal(await verifyPassword('s3cret', stored), true);
  assert.equal(await verifyPassword('s3cret ', stored), false);
  assert.equal(await verifyPassword('', stored), false);
  assert.equal(await verifyPassword('s3cret', stored), true);
});

test('a password set again does not match through what the old hash proved', async () => {
  const old = await hashPassword('first');
  assert.equal(await verifyPassword('first', old), true);
  const changed = await hashPassword('second');
  assert.equal(await verifyPassword('first', changed), false);
  assert.equal(await verifyPassword('second', changed), true);
  // The old row's proof stays its own: it says nothing about the new row.
  assert.equal(await verifyPassword('second', old), false);
});

test('the same password set twice gets two salts, each checked on its own', async () => {
  const a = await hashPassword('same');
  const b = await hashPassword('same');
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('same', a), true);
  assert.equal(await verifyPassword('same', b), true);
});

test('a hash of another scheme or a damaged one is refused', async () => {
  assert.equal(await verifyPassword('x', 'bcrypt$whatever'), false);
  assert.equal(await verifyPassword('x', 'scrypt$16384$8$1$$'), false);
});
