import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { ImageFileStore, SizeLimitExceeded } from '../../src/blocks/image-files.js';
import { imageWriters } from '../../src/blocks/image-writer.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-image-files-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const store = new ImageFileStore(dir);
const tmpFiles = (): string[] => fs.readdirSync(path.join(dir, '.tmp'));

const MiB = 1024 * 1024;
const hex = (algorithm: string, data: Buffer): string =>
  createHash(algorithm).update(data).digest('hex');

/** `data` in uneven pieces, one per turn of the event loop, as a socket delivers a body. */
function trickle(data: Buffer, fail?: Error): Readable {
  const sizes = [1, 65536, 7919, 1.5 * MiB, 3 * MiB + 1, 300];
  return Readable.from(
    (async function* () {
      for (let at = 0, i = 0; at < data.length; i++) {
        const n = sizes[i % sizes.length]!;
        yield data.subarray(at, at + n);
        at += n;
        await new Promise((r) => setImmediate(r));
      }
      if (fail) throw fail;
    })(),
  );
}

test('stored bytes are the bytes sent, with their md5, sha512, size and head, past several batches and syncs', async () => {
  // Past 64 MiB, so that a periodic fdatasync runs while later batches are written.
  const data = randomBytes(70 * MiB + 3);
  const stored = await store.write(trickle(data));
  assert.equal(stored.size, data.length);
  assert.equal(stored.md5, hex('md5', data));
  assert.equal(stored.sha512, hex('sha512', data));
  assert.ok(stored.head.equals(data.subarray(0, 512)));
  assert.ok(fs.readFileSync(store.pathOf(stored.fileId)).equals(data));
  assert.deepEqual(tmpFiles(), []);
});

test('an empty stream stores an empty file', async () => {
  const stored = await store.write(Readable.from([]));
  assert.equal(stored.size, 0);
  assert.equal(stored.md5, hex('md5', Buffer.alloc(0)));
  assert.equal(stored.sha512, hex('sha512', Buffer.alloc(0)));
  assert.equal(fs.statSync(store.pathOf(stored.fileId)).size, 0);
});

test('uploads at the same time keep their bytes and hashes apart', async () => {
  const datas = [randomBytes(5 * MiB), randomBytes(9 * MiB + 1), randomBytes(100)];
  const stored = await Promise.all(datas.map((d) => store.write(trickle(d))));
  stored.forEach((s, i) => {
    assert.equal(s.md5, hex('md5', datas[i]!));
    assert.equal(s.sha512, hex('sha512', datas[i]!));
    assert.ok(fs.readFileSync(store.pathOf(s.fileId)).equals(datas[i]!));
  });
});

test('a source that fails mid-way rejects with its own error and leaves no file', async () => {
  const before = fs.readdirSync(dir).length;
  await assert.rejects(
    store.write(trickle(randomBytes(6 * MiB), new Error('client went away'))),
    /client went away/,
  );
  assert.deepEqual(tmpFiles(), []);
  assert.equal(fs.readdirSync(dir).length, before);
});

test('data past maxSize stops the write with SizeLimitExceeded and leaves no file', async () => {
  const before = fs.readdirSync(dir).length;
  await assert.rejects(
    store.write(trickle(randomBytes(5 * MiB)), { maxSize: 4 * MiB }),
    SizeLimitExceeded,
  );
  assert.deepEqual(tmpFiles(), []);
  assert.equal(fs.readdirSync(dir).length, before);
});

test('a write the file system refuses is reported with its errno, and the file is closed', async () => {
  // /dev/full takes the open and refuses every write with ENOSPC, as a full disk does. abort(),
  // not end(): nothing may ever rename a device node.
  const failures: NodeJS.ErrnoException[] = [];
  const job = imageWriters.open('/dev/full', 'md5', 64 * MiB, {
    free: () => undefined,
    failed: (err) => failures.push(err),
  });
  job.write(Buffer.allocUnsafeSlow(4096), 4096);
  await job.abort();
  assert.equal(failures.length, 1);
  assert.equal(failures[0]!.code, 'ENOSPC');
  assert.equal(failures[0]!.syscall, 'write');
});

test('a file that cannot be made fails the job at its open, and nothing is renamed', async () => {
  const failures: NodeJS.ErrnoException[] = [];
  const to = path.join(dir, 'never');
  const job = imageWriters.open(path.join(dir, 'no-such-dir', 'x'), 'md5', 64 * MiB, {
    free: () => undefined,
    failed: (err) => failures.push(err),
  });
  job.write(Buffer.allocUnsafeSlow(4096), 4096);
  assert.equal(await job.end(to), undefined);
  assert.deepEqual(
    failures.map((f) => [f.code, f.syscall]),
    [['ENOENT', 'open']],
  );
  assert.ok(!fs.existsSync(to));
});

test('an idle writer thread does not keep the process alive', async () => {
  const module = new URL('../../src/blocks/image-files.js', import.meta.url).href;
  const script = path.join(dir, 'write-once.mjs');
  fs.writeFileSync(
    script,
    `import { Readable } from 'node:stream';
    const { ImageFileStore } = await import(${JSON.stringify(module)});
    const stored = await new ImageFileStore(process.argv[2]).write(Readable.from([Buffer.from('abc')]));
    console.log(stored.md5);`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, [script, dir], {
    timeout: 10_000,
  });
  assert.equal(stdout.trim(), hex('md5', Buffer.from('abc')));
});

test('adopt takes over a file by rename, hashed on two threads without a second write', async () => {
  const data = randomBytes(9 * MiB + 77);
  const outside = path.join(dir, 'flattened.raw');
  fs.writeFileSync(outside, data);
  const inode = fs.statSync(outside).ino;
  const stored = await store.adopt(outside);
  assert.equal(stored.size, data.length);
  assert.equal(stored.md5, hex('md5', data));
  assert.equal(stored.sha512, hex('sha512', data));
  assert.ok(stored.head.equals(data.subarray(0, 512)));
  assert.ok(!fs.existsSync(outside));
  assert.ok(fs.readFileSync(store.pathOf(stored.fileId)).equals(data));
  assert.equal(fs.statSync(store.pathOf(stored.fileId)).ino, inode, 'renamed, not copied');
  // Shorter than a header, and empty: the head is what there is.
  for (const small of [Buffer.from('tiny'), Buffer.alloc(0)]) {
    fs.writeFileSync(outside, small);
    const got = await store.adopt(outside);
    assert.deepEqual(
      [got.size, got.md5, got.sha512, got.head.toString('hex')],
      [small.length, hex('md5', small), hex('sha512', small), small.toString('hex')],
    );
  }
  await assert.rejects(store.adopt(path.join(dir, 'no-such-file')), { code: 'ENOENT' });
});
