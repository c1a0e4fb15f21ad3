// The worker-thread half of file-hash.ts: reads a file the main thread opened and hashes it with
// one algorithm. Reads run on libuv's pool while this thread hashes the previous chunk.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { errnoOf } from './image-writer-protocol.js';
import type { FromHasher, ToHasher } from './file-hash.js';

const port = parentPort!;
/** 4 MiB reads: per-read overhead stays well under the hash's cost of the chunk. */
const CHUNK = 4 * 1024 * 1024;
function readAt(fd: number, buf: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.read(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

async function hashFile(fd: number, algorithm: string): Promise<{ digest: string; size: number }> {
  const hash = createHash(algorithm);
  // One buffer is read into while the other is hashed.
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let size = 0;
  let which = 0;
  let next = readAt(fd, buffers[which]!, 0);
  for (;;) {
    const n = await next;
    if (n === 0) break;
    const chunk = buffers[which]!;
    size += n;
    which ^= 1;
    next = readAt(fd, buffers[which]!, size);
    hash.update(chunk.subarray(0, n));
  }
  return { digest: hash.digest('hex'), size };
}

port.on('message', (m: ToHasher) => {
  hashFile(m.fd, m.algorithm).then(
    ({ digest, size }) => port.postMessage({ id: m.id, digest, size } satisfies FromHasher),
    (err) => port.postMessage({ id: m.id, error: errnoOf(err) } satisfies FromHasher),
  );
});
