import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  BackingNotSealed,
  InvalidResize,
  InvalidSize,
  LayerNotFound,
  LayerSealed,
  LayerStore,
  OutOfRange,
  QemuImgFailed,
  UnsafeBacking,
} from '../../src/blocks/layers.js';

// Real qemu-img on real files: a data directory per test, removed when the test ends.

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

async function dataDir(
  t: TestContext,
): Promise<{ root: string; layers: string; images: string; store: LayerStore }> {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'pocketstack-layers-'));
  t.after(() => fsp.rm(root, { recursive: true, force: true }));
  const layers = path.join(root, 'data', 'layers');
  const images = path.join(root, 'data', 'images');
  await fsp.mkdir(images, { recursive: true });
  return { root, layers, images, store: new LayerStore(layers) };
}

const fill = (byte: number, n: number) => Buffer.alloc(n, byte);

test('a snapshot keeps the bytes it froze while the new head takes new writes', async (t) => {
  const { store } = await dataDir(t);
  const head = await store.createHead({ sizeBytes: 16 * MiB });
  // Unaligned offsets and a write crossing a cluster boundary (64 KiB).
  await store.writeAt(head, 0, fill(0xaa, 4096));
  await store.writeAt(head, 65_000, fill(0xbb, 1000));
  await store.writeAt(head, 10 * MiB + 3, Buffer.from('hello, disk'));

  const { sealedId, newHeadId } = await store.snapshot(head);
  assert.equal(sealedId, head);
  assert.equal(await store.virtualSize(newHeadId), 16 * MiB);
  assert.deepEqual(await store.backingChain(newHeadId), [head]);

  await store.writeAt(newHeadId, 0, fill(0x11, 4096));
  await store.writeAt(newHeadId, 10 * MiB + 3, Buffer.from('HELLO, DISK'));

  assert.deepEqual(await store.readAt(sealedId, 0, 4096), fill(0xaa, 4096));
  assert.deepEqual(await store.readAt(sealedId, 10 * MiB + 3, 11), Buffer.from('hello, disk'));
  assert.deepEqual(await store.readAt(newHeadId, 0, 4096), fill(0x11, 4096));
  assert.deepEqual(await store.readAt(newHeadId, 10 * MiB + 3, 11), Buffer.from('HELLO, DISK'));
  // What the new head did not overwrite reads through to the snapshot.
  assert.deepEqual(
    await store.readAt(newHeadId, 64_999, 1002),
    Buffer.concat([fill(0, 1), fill(0xbb, 1000), fill(0, 1)]),
  );

  // Volume from snapshot: a head on the sealed layer sees the snapshot's data, not the volume's.
  const clone = await store.createHead({ sizeBytes: 32 * MiB, backing: { layerId: sealedId } });
  assert.deepEqual(await store.readAt(clone, 10 * MiB + 3, 11), Buffer.from('hello, disk'));
  assert.deepEqual(await store.readAt(clone, 20 * MiB, 16), fill(0, 16));
  assert.deepEqual(await store.readAt(clone, 32 * MiB - 16, 16), fill(0, 16));
});

test('snapshot of large disks writes a header only', async (t) => {
  const { store } = await dataDir(t);
  for (const size of [1 * GiB, 100 * GiB]) {
    const head = await store.createHead({ sizeBytes: size });
    await store.writeAt(head, size - 512, fill(0x5a, 512));
    const { sealedId, newHeadId } = await store.snapshot(head);
    const info = await store.info(newHeadId);
    assert.equal(info.virtualSize, size);
    assert.equal(info.backingFile, `${sealedId}.qcow2`);
    assert.equal(info.backingFormat, 'qcow2');
    assert.ok(info.actualSize < 1 * MiB, `new head takes ${info.actualSize} bytes`);
    assert.ok((await store.info(sealedId)).actualSize < 1 * MiB);
    assert.deepEqual(await store.readAt(newHeadId, size - 512, 512), fill(0x5a, 512));
  }
});

test('a head on an external raw file reads its bytes, then zeros, and survives moving the data directory', async (t) => {
  const { root, images, store } = await dataDir(t);
  const data = randomBytes(300 * KiB + 100); // not a whole number of sectors
  const image = path.join(images, 'f1e2d3c4');
  await fsp.writeFile(image, data);

  const head = await store.createHead({
    sizeBytes: 1 * MiB,
    backing: { path: image, format: 'raw' },
  });
  assert.deepEqual(await store.readAt(head, 0, data.length), data);
  assert.deepEqual(
    await store.readAt(head, data.length, 1 * MiB - data.length),
    fill(0, 1 * MiB - data.length),
  );
  const chain = await store.chain(head);
  assert.deepEqual(chain, {
    layers: [],
    external: { path: await fsp.realpath(image), format: 'raw' },
  });
  assert.equal((await store.info(head)).backingFile, '../images/f1e2d3c4');
  assert.deepEqual(await store.externalsInUse(), new Set([await fsp.realpath(image)]));

  const expected = Buffer.concat([data, fill(0, 1 * MiB - data.length)]);
  const out = path.join(root, 'flat.raw');
  await store.convert(head, out, 'raw');
  assert.deepEqual(await fsp.readFile(out), expected);

  const { stream, size } = await store.openExport(head);
  assert.equal(size, 1 * MiB);
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  assert.deepEqual(Buffer.concat(parts), expected);

  // The chain resolves by relative names, so the whole data directory can move.
  const moved = path.join(root, 'moved');
  await fsp.rename(path.join(root, 'data'), moved);
  const again = new LayerStore(path.join(moved, 'layers'));
  assert.deepEqual(await again.readAt(head, 1000, 5000), data.subarray(1000, 6000));
  assert.equal(
    await fsp.readdir(path.join(moved, 'layers')).then((names) => names.length),
    1,
    'no temp files left',
  );

  // A sweep reports the external file once no layer reads it, not while one still does.
  const { sealedId, newHeadId } = await again.snapshot(head);
  assert.deepEqual(await again.sweep([newHeadId], { graceMs: 0 }), { removed: [], released: [] });
  const gone = await again.sweep([], { graceMs: 0 });
  assert.deepEqual(gone.removed, [sealedId, newHeadId].sort());
  assert.deepEqual(gone.released, [await fsp.realpath(path.join(moved, 'images', 'f1e2d3c4'))]);
});

test('a head smaller than its backing, on a writable layer, or on an unsafe qcow2 is refused', async (t) => {
  const { images, store } = await dataDir(t);
  const base = await store.createHead({ sizeBytes: 2 * MiB });
  await assert.rejects(
    store.createHead({ sizeBytes: 2 * MiB, backing: { layerId: base } }),
    BackingNotSealed,
  );
  await store.seal(base);
  await assert.rejects(
    store.createHead({ sizeBytes: 1 * MiB, backing: { layerId: base } }),
    InvalidSize,
  );
  await assert.rejects(store.createHead({ sizeBytes: 1000 }), InvalidSize);

  const raw = path.join(images, 'raw');
  await fsp.writeFile(raw, randomBytes(4096));
  await assert.rejects(
    store.createHead({ sizeBytes: 2048, backing: { path: raw, format: 'raw' } }),
    InvalidSize,
  );

  // An uploaded qcow2 naming a host file as its backing must never be opened through a layer.
  const evil = path.join(images, 'evil');
  await fsp.copyFile(
    store.pathOf(
      await store.createHead({ sizeBytes: 1 * MiB, backing: { path: raw, format: 'raw' } }),
    ),
    evil,
  );
  await assert.rejects(
    store.createHead({ sizeBytes: 1 * MiB, backing: { path: evil, format: 'qcow2' } }),
    UnsafeBacking,
  );
  await assert.rejects(store.importFrom(evil, 'qcow2'), UnsafeBacking);

  await assert.rejects(
    store.createHead({ sizeBytes: 1 * MiB, backing: { layerId: randomUUID() } }),
    LayerNotFound,
  );
  await assert.rejects(store.virtualSize('../../etc/passwd'), LayerNotFound);
  await assert.rejects(
    store.createHead({
      sizeBytes: 1 * MiB,
      backing: { path: path.join(images, 'nope'), format: 'raw' },
    }),
    LayerNotFound,
  );
});

test('a qcow2 image backs a head and imports as a copy', async (t) => {
  const { images, store } = await dataDir(t);
  const src = await store.createHead({ sizeBytes: 4 * MiB });
  const bytes = randomBytes(100 * KiB);
  await store.writeAt(src, 1 * MiB, bytes);
  const image = path.join(images, 'qcow2-image');
  await store.convert(src, image, 'qcow2');

  const head = await store.createHead({
    sizeBytes: 8 * MiB,
    backing: { path: image, format: 'qcow2' },
  });
  assert.deepEqual(await store.readAt(head, 1 * MiB, bytes.length), bytes);
  assert.equal((await store.chain(head)).external?.format, 'qcow2');

  const copy = await store.importFrom(image, 'qcow2', { sizeBytes: 8 * MiB });
  assert.equal(await store.virtualSize(copy), 8 * MiB);
  assert.deepEqual(await store.chain(copy), { layers: [], external: null });
  assert.deepEqual(await store.readAt(copy, 1 * MiB, bytes.length), bytes);

  await assert.rejects(store.importFrom(path.join(images, 'raw'), 'raw'), LayerNotFound);
  await fsp.writeFile(path.join(images, 'raw'), bytes);
  const fromRaw = await store.importFrom(path.join(images, 'raw'), 'raw');
  assert.deepEqual(await store.readAt(fromRaw, 0, bytes.length), bytes);
});

test('sweep keeps everything a root reaches, even through a layer whose row is gone', async (t) => {
  const { layers, store } = await dataDir(t);
  // volume: base <- middle <- head. The snapshot row of `middle` was deleted; its file must stay.
  const base = await store.createHead({ sizeBytes: 1 * MiB });
  await store.writeAt(base, 0, Buffer.from('base'));
  const { newHeadId: middle } = await store.snapshot(base);
  await store.writeAt(middle, 4, Buffer.from('middle'));
  const { newHeadId: head } = await store.snapshot(middle);
  // A snapshot whose row is gone and nothing builds on, and a head nobody ever committed.
  const lone = await store.createHead({ sizeBytes: 1 * MiB });
  const { newHeadId: orphanHead } = await store.snapshot(lone);
  const uncommitted = await store.createHead({ sizeBytes: 1 * MiB });
  await fsp.writeFile(path.join(layers, '.tmp-leftover.qcow2'), 'partial');
  await fsp.writeFile(path.join(layers, 'README'), 'not a layer');

  // Young files count as roots by default: a sweep right now removes nothing.
  assert.deepEqual((await store.sweep([head, base])).removed, []);

  const { removed } = await store.sweep([head, base], { graceMs: 0 });
  assert.deepEqual(removed, [lone, orphanHead, uncommitted].sort());
  const left = (await fsp.readdir(layers)).sort();
  assert.deepEqual(left, ['README', ...[base, middle, head].map((id) => `${id}.qcow2`)].sort());
  assert.deepEqual(await store.readAt(head, 0, 10), Buffer.from('basemiddle'));

  // Dropping the volume row leaves nothing reachable.
  assert.deepEqual((await store.sweep([], { graceMs: 0 })).removed, [base, middle, head].sort());
});

test('resize grows a head and refuses to shrink or to touch a sealed layer', async (t) => {
  const { store } = await dataDir(t);
  const head = await store.createHead({ sizeBytes: 1 * MiB });
  await store.writeAt(head, 1 * MiB - 4, Buffer.from('tail'));
  await store.resize(head, 3 * MiB);
  assert.equal(await store.virtualSize(head), 3 * MiB);
  assert.deepEqual(
    await store.readAt(head, 1 * MiB - 4, 8),
    Buffer.concat([Buffer.from('tail'), fill(0, 4)]),
  );
  await store.writeAt(head, 3 * MiB - 1, Buffer.from('!'));
  await assert.rejects(store.writeAt(head, 3 * MiB, Buffer.from('!')), OutOfRange);
  await assert.rejects(store.readAt(head, 3 * MiB - 1, 2), OutOfRange);

  await assert.rejects(store.resize(head, 2 * MiB), InvalidResize);
  await store.resize(head, 3 * MiB); // same size: nothing to do
  await store.seal(head);
  await assert.rejects(store.resize(head, 4 * MiB), LayerSealed);
});

test('seal makes a layer read-only, and the store refuses to write it even as root', async (t) => {
  const { store } = await dataDir(t);
  const head = await store.createHead({ sizeBytes: 1 * MiB });
  assert.equal(await store.isSealed(head), false);
  await store.seal(head);
  assert.equal((await fsp.stat(store.pathOf(head))).mode & 0o777, 0o444);
  assert.equal(await store.isSealed(head), true);
  assert.equal((await store.info(head)).sealed, true);
  await assert.rejects(store.writeAt(head, 0, Buffer.from('x')), LayerSealed);
  await store.seal(head); // idempotent
});

test('a volume left pointing at a sealed head (crash mid-snapshot) gets a writable head back', async (t) => {
  const { store } = await dataDir(t);
  const head = await store.createHead({ sizeBytes: 1 * MiB });
  await store.writeAt(head, 0, Buffer.from('kept'));
  assert.equal(await store.ensureWritable(head), head);
  await store.seal(head);
  const fresh = await store.ensureWritable(head);
  assert.notEqual(fresh, head);
  assert.deepEqual(await store.readAt(fresh, 0, 4), Buffer.from('kept'));
  // Snapshotting an already sealed head is the same recovery.
  const { sealedId, newHeadId } = await store.snapshot(head);
  assert.equal(sealedId, head);
  assert.deepEqual(await store.backingChain(newHeadId), [head]);
});

test('qemu-img failures carry its stderr', async (t) => {
  const { store } = await dataDir(t);
  const head = await store.createHead({ sizeBytes: 1 * MiB });
  // Corrupt the L1 table offset: the header still parses in-process, qemu-img refuses the image.
  const fd = fs.openSync(store.pathOf(head), 'r+');
  fs.writeSync(fd, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00]), 0, 8, 40);
  fs.closeSync(fd);
  const err = await store.info(head).catch((e: unknown) => e);
  assert.ok(err instanceof QemuImgFailed, String(err));
  assert.equal(err.tool, 'qemu-img');
  assert.match(err.stderr, /L1 table offset invalid/);
});
