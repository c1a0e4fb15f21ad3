import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../store/db.js';
import { isoNow } from '../../util.js';
import { systemContext } from '../../context.js';
import type { LayerStore, Backing } from '../../blocks/layers.js';
import type { ImageFileStore } from '../../blocks/image-files.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { ImageService } from '../image/service.js';
import { waitingImageFiles, type VolumeRepo } from './volume.repo.js';
import { GiB } from './types.js';

export interface WorkerDeps {
  db: Db;
  repo: VolumeRepo;
  layers: LayerStore;
  imageFiles: ImageFileStore;
  images: ImageService;
  tasks: TaskRunner;
  /** Scratch space for flattened disks, on the data directory's file system. */
  tmpDir: string;
}

/**
 * The task handlers behind Cinder's asynchronous states. Each one is idempotent: after a crash
 * it runs again and either finishes the work or finds it done. Layer files are only created
 * here, by the one task worker, and swept here once the rows that used them are gone.
 */
export function registerVolumeWorkers(d: WorkerDeps): { recover(): Promise<void> } {
  const setVolume = (id: string, fields: Record<string, unknown>) =>
    d.db
      .updateTable('volumes')
      .set({ ...fields, updated_at: isoNow() })
      .where('id', '=', id)
      .execute();
  const setSnapshot = (id: string, fields: Record<string, unknown>) =>
    d.db
      .updateTable('snapshots')
      .set({ ...fields, updated_at: isoNow() })
      .where('id', '=', id)
      .execute();
  // Layers nothing reaches go; so do image files that only those layers read (their image is gone).
  // This worker is the only writer of layers, so nothing can start reading a released file meanwhile.
  const sweep = async () => {
    const { released } = await d.layers.sweep(await d.repo.layerRoots(), { graceMs: 0 });
    if (released.length > 0)
      await d.images.releaseFiles(
        released.map((p) => path.basename(p)),
        await waitingImageFiles(d.db),
      );
  };

  d.tasks.register('volume.create', {
    async run(id, payload) {
      const volume = await d.repo.findVolume(id);
      if (!volume || volume.row.status !== 'creating') return;
      let backing: Backing | undefined;
      if (typeof payload.snapshotId === 'string') {
        const snap = await d.repo.findSnapshot(payload.snapshotId);
        if (!snap?.row.layer) throw new Error(`snapshot ${payload.snapshotId} has no data`);
        backing = { layerId: snap.row.layer };
      } else if (typeof payload.sourceVolumeId === 'string') {
        // A clone reads a frozen copy of the source: seal the source's head (O(1)) and build on it.
        const source = await d.repo.findVolume(payload.sourceVolumeId);
        if (!source?.row.head_layer)
          throw new Error(`source volume ${payload.sourceVolumeId} has no data`);
        const { sealedId, newHeadId } = await d.layers.snapshot(source.row.head_layer);
        await setVolume(source.row.id, { head_layer: newHeadId });
        backing = { layerId: sealedId };
      } else if (typeof payload.imageFile === 'string') {
        backing = {
          path: d.imageFiles.pathOf(payload.imageFile),
          format: payload.imageFormat as 'raw' | 'qcow2',
        };
      }
      const head =
        volume.row.head_layer ??
        (await d.layers.createHead({ sizeBytes: volume.row.size * GiB, backing }));
      await setVolume(id, { head_layer: head, status: 'available' });
    },
    async fail(id) {
      await setVolume(id, { status: 'error' });
    },
  });

  d.tasks.register('snapshot.create', {
    async run(id) {
      const snap = await d.repo.findSnapshot(id);
      if (!snap || snap.row.status !== 'creating') return;
      const volume = await d.repo.findVolume(snap.row.volume_id);
      if (!volume?.row.head_layer) throw new Error(`volume ${snap.row.volume_id} has no data`);
      // Seal the head as the snapshot's layer and give the volume a new head on top: O(1).
      const { sealedId, newHeadId } = await d.layers.snapshot(volume.row.head_layer);
      await d.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('volumes')
          .set({ head_layer: newHeadId })
          .where('id', '=', volume.row.id)
          .execute();
        await trx
          .updateTable('snapshots')
          .set({ layer: sealedId, status: 'available', updated_at: isoNow() })
          .where('id', '=', id)
          .execute();
      });
    },
    async fail(id) {
      await setSnapshot(id, { status: 'error' });
    },
  });

  d.tasks.register('snapshot.delete', {
    async run(id) {
      await d.db.transaction().execute((trx) => d.repo.deleteSnapshot(trx, id));
      await sweep();
    },
    async fail(id) {
      await setSnapshot(id, { status: 'error_deleting' });
    },
  });

  d.tasks.register('volume.delete', {
    async run(id) {
      await d.db.transaction().execute(async (trx) => {
        // Cascade: the snapshots were moved to `deleting` together with the volume.
        const snaps = await trx
          .selectFrom('snapshots')
          .select('id')
          .where('volume_id', '=', id)
          .where('status', '=', 'deleting')
          .execute();
        for (const s of snaps) await d.repo.deleteSnapshot(trx, s.id);
        await d.repo.deleteVolume(trx, id);
      });
      await sweep();
    },
    async fail(id) {
      await setVolume(id, { status: 'error_deleting' });
    },
  });

  d.tasks.register('volume.extend', {
    async run(id, payload) {
      const volume = await d.repo.findVolume(id);
      if (!volume || volume.row.status !== 'extending' || !volume.row.head_layer) return;
      const size = Number(payload.newSize);
      await d.layers.resize(volume.row.head_layer, size * GiB);
      await setVolume(id, { size, status: 'available' });
    },
    async fail(id) {
      await setVolume(id, { status: 'error_extending' });
    },
  });

  d.tasks.register('volume.upload', {
    async run(id, payload) {
      const volume = await d.repo.findVolume(id);
      if (!volume || volume.row.status !== 'uploading' || !volume.row.head_layer) return;
      const imageId = String(payload.imageId);
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
        await d.images.data.upload(ctx, imageId, { file: tmp });
      } finally {
        await fsp.rm(tmp, { force: true });
      }
      await setVolume(id, { status: payload.previousStatus ?? 'available' });
    },
    async fail(id, payload) {
      await setVolume(id, { status: payload.previousStatus ?? 'available' });
    },
  });

  return {
    /**
     * Before any task runs: layers a crash left without a row (a head made, never committed) go,
     * with image files only they read; scratch files belong to tasks that will start over.
     */
    async recover() {
      await sweep();
      await fsp.rm(d.tmpDir, { recursive: true, force: true });
    },
  };
}
