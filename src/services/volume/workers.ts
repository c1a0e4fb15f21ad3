import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../store/db.js';
import { systemContext } from '../../context.js';
import type { LayerStore, Backing } from '../../blocks/layers.js';
import type { LayerOwner } from '../../blocks/layer-owners.js';
import type { ImageFileStore } from '../../blocks/image-files.js';
import type { TaskRunner, TaskScope } from '../../tasks/runner.js';
import { coalesced } from '../../tasks/coalesced.js';
import type { ImageService } from '../image/service.js';
import { waitingImageFiles, type VolumeRepo } from './volume.repo.js';
import { moveSnapshot, moveVolume } from './states.js';
import { GiB } from './types.js';

export interface WorkerDeps {
  db: Db;
  repo: VolumeRepo;
  layers: LayerStore;
  imageFiles: ImageFileStore;
  images: ImageService;
  tasks: TaskRunner;
  /** Every service's rows that point at layers: the roots of a sweep. */
  owners: LayerOwner;
  /** Scratch space for flattened disks, on the data directory's file system. */
  tmpDir: string;
}

/**
 * Image files something still reads, by file id: a layer (the layer index, a lookup) or a volume
 * create waiting in the task queue. Such a file stays on disk after its image is deleted.
 */
export async function imageFilesInUse(db: Db, layers: LayerStore): Promise<Set<string>> {
  const used = await waitingImageFiles(db);
  for (const p of await layers.externalsInUse()) used.add(path.basename(p));
  return used;
}

/** Tasks on a volume queue on the volume whose layer chain they change (`keyOn`). */
async function volumeScope(ex: Db, id: string, keyOn = id): Promise<TaskScope> {
  const row = await ex
    .selectFrom('volumes')
    .select('project_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return { key: `volume:${keyOn}`, projectId: row?.project_id ?? null };
}

/** A snapshot's tasks seal or release its volume's layers: they queue on that volume. */
async function snapshotScope(ex: Db, id: string): Promise<TaskScope> {
  const row = await ex
    .selectFrom('snapshots')
    .select(['volume_id', 'project_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return { key: `snapshot:${id}`, projectId: null };
  return { key: `volume:${row.volume_id}`, projectId: row.project_id };
}

/**
 * The task handlers behind Cinder's asynchronous states. Each one is idempotent: after a crash
 * it runs again and either finishes the work or finds it done. Tasks run in parallel across
 * volumes, so every layer is created inside `layers.creating` together with the commit of the
 * row that references it: a sweep after another volume's delete leaves it alone meanwhile.
 */
export function registerVolumeWorkers(d: WorkerDeps): {
  recover(): Promise<void>;
  release(layers: (string | null)[]): Promise<void>;
} {
  // Image files only removed layers read go, unless an image row, a layer created since, or a
  // waiting volume create still has them.
  const releaseImageFiles = async (released: string[]): Promise<void> => {
    if (released.length > 0)
      await d.images.releaseFiles(
        released.map((p) => path.basename(p)),
        await imageFilesInUse(d.db, d.layers),
      );
  };
  // The full mark-and-sweep: at start-up and after a task failed midway (its layers may be
  // garbage no row ever referenced). Roots are read after the directory is listed (see
  // layer-sweep.ts), hence a function.
  const sweep = coalesced(async () => {
    const { released } = await d.layers.sweep(() => d.owners.roots(), { graceMs: 0 });
    await releaseImageFiles(released);
  });
  // After a delete: only the layers its rows referenced, and what they alone kept, whatever the
  // number of layers in the store.
  const release = async (layers: (string | null)[]): Promise<void> => {
    const ids = layers.filter((l): l is string => l !== null);
    if (ids.length === 0) return;
    const { released } = await d.layers.release(ids, (some) => d.owners.rootedAmong(some));
    await releaseImageFiles(released);
  };

  d.tasks.register('volume.create', {
    async scope(ex, id, payload) {
      if (typeof payload.sourceVolumeId === 'string')
        return volumeScope(ex, id, payload.sourceVolumeId);
      if (typeof payload.snapshotId === 'string') {
        const { key } = await snapshotScope(ex, payload.snapshotId);
        return { ...(await volumeScope(ex, id)), key };
      }
      return volumeScope(ex, id);
    },
    async run(id, payload) {
      const volume = await d.repo.findVolume(id);
      if (!volume || volume.row.status !== 'creating') return;
      let orphan: string | undefined;
      await d.layers.creating(async () => {
        let backing: Backing | undefined;
        if (typeof payload.snapshotId === 'string') {
          const snap = await d.repo.findSnapshot(payload.snapshotId);
          if (!snap?.row.layer) throw new Error(`snapshot ${payload.snapshotId} has no data`);
          backing = { layerId: snap.row.layer };
        } else if (typeof payload.sourceVolumeId === 'string') {
          // A clone reads a frozen copy of the source: seal the source's head (O(1)), build on it.
          const source = await d.repo.findVolume(payload.sourceVolumeId);
          if (!source?.row.head_layer)
            throw new Error(`source volume ${payload.sourceVolumeId} has no data`);
          const { sealedId, newHeadId } = await d.layers.snapshot(source.row.head_layer);
          await d.db
            .updateTable('volumes')
            .set({ head_layer: newHeadId })
            .where('id', '=', source.row.id)
            .execute();
          backing = { layerId: sealedId };
        } else if (typeof payload.imageFile === 'string') {
          backing = {
            path: d.imageFiles.pathOf(payload.imageFile),
            format: payload.imageFormat === 'qcow2' ? 'qcow2' : 'raw',
          };
        }
        const head =
          volume.row.head_layer ??
          (await d.layers.createHead({ sizeBytes: volume.row.size * GiB, backing }));
        const moved = await moveVolume(d.db, id, 'available', {
          from: ['creating'],
          fields: { head_layer: head },
        });
        // Not moved: the volume went to `deleting` meanwhile and its delete found no head; the
        // new head is garbage (released once this scope has closed).
        if (!moved && head !== volume.row.head_layer) orphan = head;
      });
      if (orphan) await release([orphan]);
    },
    async fail(id) {
      await moveVolume(d.db, id, 'error', { from: ['creating'] });
      await sweep();
    },
  });

  d.tasks.register('snapshot.create', {
    scope: (ex, id) => snapshotScope(ex, id),
    async run(id) {
      const snap = await d.repo.findSnapshot(id);
      if (!snap || snap.row.status !== 'creating') return;
      const volume = await d.repo.findVolume(snap.row.volume_id);
      if (!volume?.row.head_layer) throw new Error(`volume ${snap.row.volume_id} has no data`);
      await d.layers.creating(async () => {
        // Seal the head as the snapshot's layer and give the volume a new head on top: O(1).
        const { sealedId, newHeadId } = await d.layers.snapshot(volume.row.head_layer!);
        await d.db.transaction().execute(async (trx) => {
          // The volume takes the new head even if the snapshot was deleted meanwhile: its old
          // head is sealed now and must not be written again.
          await trx
            .updateTable('volumes')
            .set({ head_layer: newHeadId })
            .where('id', '=', volume.row.id)
            .execute();
          await moveSnapshot(trx, id, 'available', {
            from: ['creating'],
            fields: { layer: sealedId },
          });
        });
      });
    },
    async fail(id) {
      await moveSnapshot(d.db, id, 'error', { from: ['creating'] });
      await sweep();
    },
  });

  d.tasks.register('snapshot.delete', {
    scope: (ex, id) => snapshotScope(ex, id),
    async run(id) {
      const layer = await d.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('snapshots')
          .select('layer')
          .where('id', '=', id)
          .executeTakeFirst();
        await d.repo.deleteSnapshot(trx, id);
        return row?.layer ?? null;
      });
      await release([layer]);
    },
    async fail(id) {
      await moveSnapshot(d.db, id, 'error_deleting', { from: ['deleting'] });
    },
  });

  d.tasks.register('volume.delete', {
    scope: (ex, id) => volumeScope(ex, id),
    async run(id) {
      const layers = await d.db.transaction().execute(async (trx) => {
        // Cascade: the snapshots were moved to `deleting` together with the volume.
        const snaps = await trx
          .selectFrom('snapshots')
          .select(['id', 'layer'])
          .where('volume_id', '=', id)
          .where('status', '=', 'deleting')
          .execute();
        for (const s of snaps) await d.repo.deleteSnapshot(trx, s.id);
        const volume = await trx
          .selectFrom('volumes')
          .select('head_layer')
          .where('id', '=', id)
          .executeTakeFirst();
        await d.repo.deleteVolume(trx, id);
        return [volume?.head_layer ?? null, ...snaps.map((s) => s.layer)];
      });
      await release(layers);
    },
    async fail(id) {
      await moveVolume(d.db, id, 'error_deleting', { from: ['deleting'] });
    },
  });

  d.tasks.register('volume.extend', {
    scope: (ex, id) => volumeScope(ex, id),
    async run(id, payload) {
      const volume = await d.repo.findVolume(id);
      if (!volume || volume.row.status !== 'extending' || !volume.row.head_layer) return;
      const size = Number(payload.newSize);
      await d.layers.resize(volume.row.head_layer, size * GiB);
      await moveVolume(d.db, id, 'available', { from: ['extending'], fields: { size } });
    },
    async fail(id) {
      await moveVolume(d.db, id, 'error_extending', { from: ['extending'] });
    },
  });

  // Back to the status the volume had before the upload, whether the upload worked or not.
  const afterUpload = (payload: { previousStatus?: string }) =>
    payload.previousStatus === 'in-use' ? 'in-use' : 'available';

  d.tasks.register('volume.upload', {
    scope: (ex, id) => volumeScope(ex, id),
    async run(id, payload) {
      const volume = await d.repo.findVolume(id);
      if (!volume || volume.row.status !== 'uploading' || !volume.row.head_layer) return;
      const tmp = path.join(d.tmpDir, `upload-${randomUUID()}`);
      await fsp.mkdir(d.tmpDir, { recursive: true });
      try {
        // Flatten the chain into one file, which Glance's upload hashes and takes over.
        await d.layers.convert(
          volume.row.head_layer,
          tmp,
          payload.diskFormat === 'qcow2' ? 'qcow2' : 'raw',
        );
        const ctx = systemContext(volume.row.project_id, volume.row.user_id);
        await d.images.data.upload(ctx, String(payload.imageId), { file: tmp });
      } finally {
        await fsp.rm(tmp, { force: true });
      }
      await moveVolume(d.db, id, afterUpload(payload), { from: ['uploading'] });
    },
    async fail(id, payload) {
      await moveVolume(d.db, id, afterUpload(payload), { from: ['uploading'] });
    },
  });

  return {
    release,
    /**
     * Before any task runs: the layer index catches up with the directory (the first start after
     * an upgrade reads each header once); layers a crash left without a row (a head made, never
     * committed) go, with image files only they read; scratch files belong to tasks that will
     * start over.
     */
    async recover() {
      await d.layers.reconcileIndex();
      await sweep();
      await fsp.rm(d.tmpDir, { recursive: true, force: true });
    },
  };
}
