import { userContext, type RequestContext } from '../../context.js';
import { NotFound } from '../../errors.js';
import { recordAction, withEvent } from './instance-actions.js';
import {
  snapshotProperties,
  snapshotVolumeBacked,
  type SnapshotDeps,
} from './server-snapshot-volume.js';
import { advance, beginAction, refusal, type ActionRule } from './states.js';
import { loadServer, type ServerWorkDeps } from './server-work.js';
import { failRootDiskUpload, uploadRootDisk, type UploadWalk } from './server-disk-upload.js';

/** createImage is not refused for a lock (nova/compute/api.py has no check_instance_lock on it). */
export const CREATE_IMAGE: ActionRule = {
  method: 'createImage',
  vmStates: ['active', 'stopped', 'paused', 'suspended'],
  lockable: false,
};

/**
 * POST /servers/{id}/action createImage: the image record is made first (queued), then the
 * server's task_state is set by a conditional update that also queues the work, so a second
 * snapshot while one runs gets Nova's 409 and its image is removed again.
 */
export async function createImage(
  d: SnapshotDeps,
  ctx: RequestContext,
  id: string,
  name: string,
  metadata: Record<string, string>,
): Promise<string> {
  const server = await d.load(ctx, id);
  const invalid = refusal(CREATE_IMAGE, server.row, ctx.isAdmin);
  if (invalid) throw invalid;
  const root = server.bdms.find((b) => b.boot_index === 0);
  if (root?.destination_type === 'volume')
    return snapshotVolumeBacked(d, ctx, server, name, metadata);
  const props = snapshotProperties(
    server,
    { instance_uuid: server.row.id, user_id: ctx.userId, image_type: 'snapshot' },
    metadata,
  );
  const image = await d.images.create(ctx, {
    name,
    visibility: ctx.projectId === server.row.project_id ? 'private' : 'shared',
    min_ram: server.image?.min_ram ?? 0,
    min_disk: Math.max(server.image?.min_disk ?? 0, server.flavor.disk),
    properties: props,
  });
  let started = false;
  let refused: Error | undefined;
  try {
    await d.db.transaction().execute(async (tx) => {
      if (!(await beginAction(tx, server.row, CREATE_IMAGE, 'image_snapshot_pending'))) {
        // Why, as of the request that won: read in this transaction, before the winner's task
        // can move the server on (its 409 names image_snapshot_pending, as Nova's does).
        const row = await tx
          .selectFrom('servers')
          .selectAll()
          .where('id', '=', server.row.id)
          .executeTakeFirst();
        refused =
          (row && refusal(CREATE_IMAGE, row, ctx.isAdmin)) ??
          new NotFound(`Instance ${id} could not be found.`);
        return;
      }
      await recordAction(tx, ctx, id, 'createImage');
      await d.tasks.enqueue(tx, 'server.snapshot', id, { roles: ctx.roles, imageId: image.row.id });
      started = true;
    });
  } finally {
    if (!started) await d.images.delete(ctx, image.row.id).catch(() => undefined);
  }
  if (refused) throw refused;
  d.tasks.kick();
  return image.row.id;
}

/**
 * The compute side, as libvirt walks it: image_snapshot (the root disk sealed at this moment,
 * O(1), the guest moved onto a new head), image_pending_upload, image_uploading (the sealed
 * chain flattened into a qcow2 file and handed to Glance, which hashes it), then nothing. The
 * sealed layer is recorded before the upload, so a rerun uploads the same moment.
 */
export async function runSnapshot(
  d: ServerWorkDeps,
  id: string,
  imageId: string,
  roles: string[],
): Promise<void> {
  const server = await loadServer(d, id);
  if (!server) return;
  const ctx = userContext(server.row.project_id, server.row.user_id, roles);
  if (
    ![
      'image_snapshot_pending',
      'image_snapshot',
      'image_pending_upload',
      'image_uploading',
    ].includes(server.row.task_state ?? '')
  ) {
    await d.images.delete(ctx, imageId).catch(() => undefined);
    return;
  }
  await withEvent(d.db, id, 'createImage', 'compute_snapshot_instance', d.host.name, async () => {
    await advance(d.db, id, 'image_snapshot_pending', { task_state: 'image_snapshot' });
    await uploadRootDisk(d, ctx, server.row, imageId, SNAPSHOT_WALK);
  });
  await advance(d.db, id, 'image_uploading', { task_state: null });
}

const SNAPSHOT_WALK: UploadWalk = {
  start: 'image_snapshot',
  pendingUpload: 'image_pending_upload',
  uploading: 'image_uploading',
};

/** A failed createImage: the image goes, the server is as it was. */
export function failSnapshot(
  d: ServerWorkDeps,
  id: string,
  imageId: string,
  roles: string[],
): Promise<void> {
  return failRootDiskUpload(d, id, imageId, roles, [
    'image_snapshot_pending',
    ...Object.values(SNAPSHOT_WALK),
  ]);
}
