import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { userContext, type RequestContext } from '../../context.js';
import type { ServerRow } from '../../store/compute-schema.js';
import { advance } from './states.js';
import type { ServerWorkDeps } from './server-work.js';

/** The task_states an upload of the root disk walks: from `start`, then the two upload steps. */
export interface UploadWalk {
  start: string;
  pendingUpload: string;
  uploading: string;
}

/**
 * Seals the root disk (once: a rerun finds the sealed layer recorded under the image) and
 * uploads the sealed chain as a qcow2 image, moving the task_state from `walk.start` to
 * `walk.uploading`; the caller settles the server. Shared by createImage, createBackup and
 * shelve.
 */
export async function uploadRootDisk(
  d: ServerWorkDeps,
  ctx: RequestContext,
  row: ServerRow,
  imageId: string,
  walk: UploadWalk,
): Promise<void> {
  const id = row.id;
  let sealed = (
    await d.db
      .selectFrom('server_snapshots')
      .select('layer')
      .where('image_id', '=', imageId)
      .executeTakeFirst()
  )?.layer;
  if (!sealed) sealed = await sealRoot(d, row, imageId);
  await advance(d.db, id, walk.start, { task_state: walk.pendingUpload });
  await d.images.update(
    ctx,
    imageId,
    [
      { op: 'add', name: 'disk_format', value: 'qcow2' },
      { op: 'add', name: 'container_format', value: 'bare' },
      { op: 'add', name: 'image_location', value: 'snapshot' },
      { op: 'add', name: 'image_state', value: 'available' },
      { op: 'add', name: 'owner_id', value: row.project_id },
    ],
    false,
  );
  await advance(d.db, id, walk.pendingUpload, { task_state: walk.uploading });
  await fsp.mkdir(d.tmpDir, { recursive: true });
  const tmp = path.join(d.tmpDir, `snapshot-${randomUUID()}`);
  try {
    // Not synced here: the image store's adopt fsyncs the file while it hashes it.
    await d.layers.convert(sealed, tmp, 'qcow2', { sync: false });
    await d.images.data.upload(ctx, imageId, { file: tmp });
  } finally {
    await fsp.rm(tmp, { force: true });
  }
  await d.db.deleteFrom('server_snapshots').where('image_id', '=', imageId).execute();
}

/** Seals the root disk and commits the server's new head with the sealed layer's record. */
async function sealRoot(d: ServerWorkDeps, row: ServerRow, imageId: string): Promise<string> {
  if (!row.root_layer) throw new Error(`server ${row.id} has no local root disk`);
  const root = row.root_layer;
  return d.layers.creating(async () => {
    const disk = await d.driver.sealRootDisk(row.id, root);
    await d.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('servers')
        .set({ root_layer: disk.newHeadLayer })
        .where('id', '=', row.id)
        .execute();
      await tx
        .insertInto('server_snapshots')
        .values({
          image_id: imageId,
          server_id: row.id,
          layer: disk.sealedLayer,
          created_at: new Date().toISOString(),
        })
        .execute();
    });
    return disk.sealedLayer;
  });
}

/**
 * Nova's delete_image_on_error and reverts_task_state, for every upload of a root disk
 * (createImage, createBackup): an image not yet active goes, the sealed layer's record goes, and
 * the server leaves whichever of `tasks` the upload had reached.
 */
export async function failRootDiskUpload(
  d: ServerWorkDeps,
  id: string,
  imageId: string,
  roles: string[],
  tasks: readonly string[],
): Promise<void> {
  const row = await d.rows.find(id);
  const ctx = userContext(row?.project_id ?? '', row?.user_id ?? '', roles);
  const image = await d.images.get(ctx, imageId).catch(() => undefined);
  if (image && image.row.status !== 'active')
    await d.images.delete(ctx, imageId).catch(() => undefined);
  await d.db.deleteFrom('server_snapshots').where('image_id', '=', imageId).execute();
  await d.db
    .updateTable('servers')
    .set({ task_state: null })
    .where('id', '=', id)
    .where('task_state', 'in', [...tasks])
    .execute();
}
