// The worker-thread half of rsa-keys.ts: one 2048-bit RSA key per message, made synchronously
// (this thread does nothing else), sent back as a PKCS#1 PEM and the public key's JWK numbers.
import { generateKeyPairSync } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { RsaKey } from './rsa-keys.js';

const port = parentPort!;
port.on('message', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const key: RsaKey = {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
    n: jwk.n!,
    e: jwk.e!,
  };
  port.postMessage(key);
});
