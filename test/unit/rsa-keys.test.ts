import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { rsaKeys } from '../../src/crypto/rsa-keys.js';

test('keys taken at once, more than the stock holds, are all different and whole', async () => {
  const keys = await Promise.all(Array.from({ length: 12 }, () => rsaKeys.take()));
  assert.equal(new Set(keys.map((k) => k.n)).size, keys.length, 'no key handed out twice');
  for (const key of keys) {
    assert.match(key.privatePem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const jwk = createPrivateKey(key.privatePem).export({ format: 'jwk' });
    assert.deepEqual([jwk.n, jwk.e], [key.n, key.e], 'the public half belongs to the private key');
    assert.equal(Buffer.from(key.n, 'base64url').length, 256, '2048 bits');
  }
});
