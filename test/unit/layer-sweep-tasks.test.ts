import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LayerStore, SqlLayerIndex } from '../../src/blocks/layers.js';
import { openSqlite, type Db } from '../../src/store/db.js';

// The layer sweep with tasks running in parallel, and the layer index that answers "which image
// files do layers read" without reading headers. Real qemu-img files, a real SQLite index.

const MiB = 1024 * 1024;

async function setup(
  t: TestContext,
): Promise<{ root: string; layersDir: string; images: string; db: Db; store: LayerStore }> {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'pocketstack-sweep-'));
  const db = await openSqlite(path.join(root, 'index.db'));
  t.after(async () => {
    await db.destroy();
    await fsp.rm(root, { recursive: true, force: true });
  });
  const layersDir = path.join(root, 'data', 'layers');
  const images = path.join(root, 'data', 'images');
  await fsp.mkdir(images, { recursive: true });
  const store = new LayerStore(layersDir, { index: new SqlLayerIndex(db) });
  return { root, layersDir, images, db, store };
}

test('a sweep leaves a head that a task created but has not committed yet', async (t) => {
  const { store } = await setup(t);
  let swept: string[] = [];
  let head = '';
  await store.creating(async () => {
    head = await store.createHead({ sizeBytes: 1 * MiB });
    // Another task's delete sweeps now, with no grace: the head is referenced by no row yet.
    swept = (await store.sweep([], { graceMs: 0 })).removed;
  });
  assert.deepEqual(swept, []);
  assert.equal(await store.virtualSize(head), 1 * MiB);
  // Once the scope is over, a head nothing references is garbage as before.
  assert.deepEqual((await store.sweep([], { graceMs: 0 })).removed, [head]);
});

test('parallel creators and sweeps: no committed layer is ever removed', async (t) => {
  const { store } = await setup(t);
  // "Rows": the roots a sweep reads, committed by each creator inside its creating scope.
  const committed = new Set<string>();
  const roots = async () => [...committed];
  let stop = false;
  const sweeper = async () => {
    let runs = 0;
    while (!stop || runs === 0) {
      await store.sweep(roots, { graceMs: 0 });
      runs++;
    }
    return runs;
  };
  const creator = async (n: number) => {
    for (let i = 0; i < 6; i++) {
      await store.creating(async () => {
        const base = await store.createHead({ sizeBytes: 1 * MiB });
        // Yield between creating and committing, as a task's transaction does.
        await new Promise((r) => setTimeout(r, (n + i) % 3));
        const { newHeadId } = await store.snapshot(base);
        await new Promise((r) => setImmediate(r));
        committed.add(newHeadId);
      });
    }
  };
  const sweeps = [sweeper(), sweeper()];
  await Promise.all([0, 1, 2, 3].map(creator));
  stop = true;
  assert.ok((await Promise.all(sweeps)).every((runs) => runs > 0));
  assert.equal(committed.size, 24);
  for (const head of committed) {
    // The head and the sealed layer under it are both still there.
    assert.equal((await store.backingChain(head)).length, 1);
  }
});

test('the index says which image files layers read, and forgets a layer when it goes', async (t) => {
  const { images, store } = await setup(t);
  const image = path.join(images, 'file-1');
  await fsp.writeFile(image, Buffer.alloc(64 * 1024, 7));
  const real = await fsp.realpath(image);

  const head = await store.createHead({
    sizeBytes: 1 * MiB,
    backing: { path: image, format: 'raw' },
  });
  assert.deepEqual(await store.externalsInUse(), new Set([real]));
  // A snapshot's new head reads the sealed head, not the file: still one reader, the bottom.
  const { newHeadId } = await store.snapshot(head);
  assert.deepEqual(await store.externalsInUse(), new Set([real]));

  await store.sweep([newHeadId], { graceMs: 0 });
  assert.deepEqual(await store.externalsInUse(), new Set([real]));
  const { released } = await store.sweep([], { graceMs: 0 });
  assert.deepEqual(released, [real]);
  assert.deepEqual(await store.externalsInUse(), new Set());
});

test('start-up fills the index for layers written before it existed, and drops rows of gone files', async (t) => {
  const { root, images, db, layersDir } = await setup(t);
  const image = path.join(images, 'file-2');
  await fsp.writeFile(image, Buffer.alloc(64 * 1024, 9));
  // A data directory from before the index: layers written by a store that recorded nothing.
  const old = new LayerStore(layersDir);
  const onImage = await old.createHead({
    sizeBytes: 1 * MiB,
    backing: { path: image, format: 'raw' },
  });
  const { newHeadId } = await old.snapshot(onImage);
  const index = new SqlLayerIndex(db);
  await index.add('00000000-0000-4000-8000-000000000000', null); // its file is gone

  const store = new LayerStore(layersDir, { index });
  assert.deepEqual(await store.externalsInUse(), new Set());
  assert.deepEqual(await store.reconcileIndex(), { added: 2, dropped: 1 });
  assert.deepEqual(await store.externalsInUse(), new Set([await fsp.realpath(image)]));
  const rows = await db.selectFrom('layer_refs').selectAll().orderBy('layer_id').execute();
  assert.deepEqual(
    rows,
    [
      { layer_id: onImage, backing_layer: null, external_file: '../images/file-2' },
      { layer_id: newHeadId, backing_layer: onImage, external_file: null },
    ].sort((a, b) => (a.layer_id < b.layer_id ? -1 : 1)),
  );
  // A second start reads no header: everything is indexed.
  assert.deepEqual(await store.reconcileIndex(), { added: 0, dropped: 0 });
  assert.ok(root);
});

test('a release removes only the chain nothing else keeps, and reports the image files it let go', async (t) => {
  const { images, store } = await setup(t);
  const image = path.join(images, 'file-3');
  await fsp.writeFile(image, Buffer.alloc(64 * 1024, 3));
  const real = await fsp.realpath(image);
  // base (on the image file, sealed by the snapshot) <- head, and a clone head on it too.
  const base = await store.createHead({
    sizeBytes: 1 * MiB,
    backing: { path: image, format: 'raw' },
  });
  const { sealedId, newHeadId: head } = await store.snapshot(base);
  const clone = await store.createHead({ sizeBytes: 1 * MiB, backing: { layerId: sealedId } });
  const unrelated = await store.createHead({ sizeBytes: 1 * MiB });
  const rows = new Set([head, clone, unrelated]);
  const rooted = async (ids: string[]) => new Set(ids.filter((id) => rows.has(id)));

  // A layer a row still references stays, and so does one another layer reads.
  assert.deepEqual(await store.release([head, sealedId], rooted), { removed: [], released: [] });
  rows.delete(head);
  assert.deepEqual(await store.release([head], rooted), { removed: [head], released: [] });
  assert.equal(await store.virtualSize(sealedId), 1 * MiB, 'the clone still reads it');
  rows.delete(clone);
  const last = await store.release([clone], rooted);
  assert.equal(sealedId, base);
  assert.deepEqual(last.removed, [clone, base].sort());
  assert.deepEqual(last.released, [real]);
  assert.deepEqual(await store.externalsInUse(), new Set());
  assert.equal(
    await store.virtualSize(unrelated),
    1 * MiB,
    'what it was not given is not its business',
  );
});

test('a release leaves a layer made in a creating scope that is still open', async (t) => {
  const { store } = await setup(t);
  await store.creating(async () => {
    const head = await store.createHead({ sizeBytes: 1 * MiB });
    assert.deepEqual((await store.release([head], async () => new Set())).removed, []);
  });
});
