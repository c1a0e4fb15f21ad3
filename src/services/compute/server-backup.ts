import { userContext, type RequestContext } from '../../context.js';
import { BadRequest } from '../../errors.js';
import { withEvent } from './instance-actions.js';
import {
  createRootImage,
  isVolumeBacked,
  startAction,
  type LifecycleDeps,
} from './server-lifecycle.js';
import { failRootDiskUpload, uploadRootDisk } from './server-disk-upload.js';
import { advance, refusal, type ActionRule } from './states.js';
import { loadServer } from './server-work.js';

/** Like createImage, not refused for a lock (nova/compute/api.py backup). */
const BACKUP: ActionRule = {
  method: 'createBackup',
  vmStates: ['active', 'stopped', 'paused', 'suspended'],
  lockable: false,
};

const BACKUP_TASKS = ['image_backup', 'image_pending_upload', 'image_uploading'];

export interface BackupInput {
  name: string;
  backupType: string;
  rotation: number;
  metadata: Record<string, string>;
}

/**
 * createBackup: an instance snapshot with image_type=backup and backup_type, made queued here
 * (and removed again if the server refuses); after the upload the oldest backups of the type
 * beyond `rotation` are deleted.
 */
export async function createBackup(
  d: LifecycleDeps,
  ctx: RequestContext,
  id: string,
  input: BackupInput,
): Promise<string> {
  const server = await d.load(ctx, id);
  const refused = refusal(BACKUP, server.row, ctx.isAdmin);
  if (refused) throw refused;
  if (isVolumeBacked(server))
    throw new BadRequest('Backup is not supported for volume-backed instances.');
  const imageId = await createRootImage(
    d,
    ctx,
    server,
    input.name,
    { image_type: 'backup', backup_type: input.backupType },
    input.metadata,
  );
  let started = false;
  try {
    await startAction(d, ctx, id, BACKUP, {
      task: 'image_backup',
      action: 'createBackup',
      payload: {
        action: 'createBackup',
        imageId,
        backupType: input.backupType,
        rotation: input.rotation,
      },
    });
    started = true;
  } finally {
    if (!started) await d.images.delete(ctx, imageId).catch(() => undefined);
  }
  return imageId;
}

/** Compute side: image_backup, image_pending_upload, image_uploading, then the rotation. */
export async function runBackup(
  d: LifecycleDeps,
  id: string,
  imageId: string,
  backupType: string,
  rotation: number,
  roles: string[],
): Promise<void> {
  const server = await loadServer(d, id);
  if (!server) return;
  const ctx = userContext(server.row.project_id, server.row.user_id, roles);
  if (!BACKUP_TASKS.includes(server.row.task_state ?? '')) {
    await d.images.delete(ctx, imageId).catch(() => undefined);
    return;
  }
  await withEvent(d.db, id, 'createBackup', 'compute_backup_instance', d.host.name, async () => {
    await uploadRootDisk(d, ctx, server.row, imageId, {
      start: 'image_backup',
      pendingUpload: 'image_pending_upload',
      uploading: 'image_uploading',
    });
  });
  await advance(d.db, id, 'image_uploading', { task_state: null });
  await rotate(d, ctx, id, backupType, rotation);
}

/** Nova's _rotate_backups: newest first, everything past `rotation` goes. */
async function rotate(
  d: LifecycleDeps,
  ctx: RequestContext,
  id: string,
  backupType: string,
  rotation: number,
): Promise<void> {
  const page = await d.images.list(ctx, {
    limit: 1000,
    marker: undefined,
    sort: [
      ['created_at', 'desc'],
      ['id', 'desc'],
    ],
    visibility: undefined,
    memberStatus: 'all',
    filters: {
      match: {},
      equal: {},
      ints: {},
      osHidden: false,
      times: [],
      tags: [],
      properties: new Map([
        ['instance_uuid', id],
        ['image_type', 'backup'],
        ['backup_type', backupType],
      ]),
    },
  });
  for (const image of page.images.slice(rotation))
    await d.images.delete(ctx, image.row.id).catch(() => undefined);
}

/** A failed createBackup: the image goes, the server is as it was. */
export function failBackup(
  d: LifecycleDeps,
  id: string,
  imageId: string,
  roles: string[],
): Promise<void> {
  return failRootDiskUpload(d, id, imageId, roles, BACKUP_TASKS);
}
