import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { VolumeAttachmentRow } from '../../store/schema.js';
import { moveVolume, type VolumeStatus } from './states.js';
import type { Attachment, Volume } from './types.js';

/** Attachment rows and the volume status they give, shared by the old actions and the API. */

/**
 * The volume status its remaining attachments give (cinder/db/api.py
 * _get_statuses_from_attachments): the alphabetically first attach status wins.
 */
export function statusFrom(attachments: readonly Attachment[]): VolumeStatus {
  const first = attachments.map((a) => a.attach_status).sort()[0];
  if (first === undefined) return 'available';
  if (first === 'attached') return 'in-use';
  return first as VolumeStatus;
}

/** Removes an attachment and moves the volume to what the rest give (volume_detached). */
export async function finishDetach(
  trx: Db,
  volume: Volume,
  attachmentId: string | undefined,
): Promise<Attachment[]> {
  if (attachmentId)
    await trx.deleteFrom('volume_attachments').where('id', '=', attachmentId).execute();
  const left = volume.attachments.filter((a) => a.id !== attachmentId);
  const to = statusFrom(left);
  // An upload keeps its status until it ends; the task restores it.
  if (!(left.length === 0 && volume.row.status === 'uploading'))
    await moveVolume(trx, volume.row.id, to);
  return left;
}

export function newAttachmentRow(
  volume: Volume,
  instanceUuid: string | null,
  status: string,
  now: string,
): VolumeAttachmentRow {
  return {
    id: randomUUID(),
    volume_id: volume.row.id,
    project_id: volume.row.project_id,
    instance_uuid: instanceUuid,
    attached_host: null,
    mountpoint: null,
    attach_mode: 'null',
    attach_status: status,
    connector: null,
    attach_time: null,
    created_at: now,
    updated_at: null,
  };
}

export async function saveAttachment(
  trx: Db,
  row: VolumeAttachmentRow,
  insert: boolean,
): Promise<void> {
  if (insert) await trx.insertInto('volume_attachments').values(row).execute();
  else await trx.updateTable('volume_attachments').set(row).where('id', '=', row.id).execute();
}
