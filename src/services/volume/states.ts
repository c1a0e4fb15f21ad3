import type { Db } from '../../store/db.js';
import { sourcesOf, type Transitions } from '../../store/states.js';
import { isoNow } from '../../util.js';

/**
 * Cinder's volume statuses (cinder/objects/fields.py VolumeStatus) and the moves this backend
 * makes. `os-reset_status` (admin) is the one way around the table, as in Cinder.
 */
export type VolumeStatus =
  | 'creating'
  | 'available'
  | 'reserved'
  | 'attaching'
  | 'in-use'
  | 'detaching'
  | 'deleting'
  | 'error'
  | 'error_deleting'
  | 'extending'
  | 'error_extending'
  | 'uploading'
  | 'maintenance'
  | 'error_restoring'
  | 'error_managing';

export const VOLUME_TRANSITIONS: Transitions<VolumeStatus> = {
  creating: ['available', 'error', 'deleting'],
  // os-attach may attach an available volume without a reserve first.
  available: [
    'reserved',
    'attaching',
    'in-use',
    'extending',
    'uploading',
    'deleting',
    'maintenance',
  ],
  // os-attach and os-complete may finish an attach from any step of it.
  reserved: ['attaching', 'in-use', 'available', 'deleting'],
  attaching: ['attaching', 'in-use', 'available', 'reserved', 'error', 'deleting'],
  // A server attaching again (a migration) and detaches leave what the attachments give.
  'in-use': ['detaching', 'uploading', 'in-use', 'reserved', 'attaching', 'available', 'deleting'],
  detaching: ['available', 'in-use', 'deleting'],
  // A force delete (admin) takes any status but attached; a plain one narrows to DELETABLE.
  deleting: ['deleting', 'error_deleting'],
  error: ['deleting', 'available'],
  error_deleting: ['deleting'],
  extending: ['available', 'error_extending', 'deleting'],
  error_extending: ['deleting', 'available'],
  uploading: ['available', 'in-use', 'deleting'],
  maintenance: ['available', 'deleting'],
  error_restoring: ['deleting'],
  error_managing: ['deleting'],
};

export type SnapshotStatus = 'creating' | 'available' | 'deleting' | 'error' | 'error_deleting';

export const SNAPSHOT_TRANSITIONS: Transitions<SnapshotStatus> = {
  creating: ['available', 'error', 'deleting'],
  available: ['deleting'],
  deleting: ['deleting', 'error_deleting'],
  error: ['deleting'],
  error_deleting: ['deleting'],
};

/**
 * Moves a volume to `to` if its status is one the table lets reach `to` (and, when given, one
 * of `from`), with `fields` in the same UPDATE. Returns whether it moved: the caller answers
 * Cinder's 400 with the status it found.
 */
export async function moveVolume(
  ex: Db,
  id: string,
  to: VolumeStatus,
  opts: { from?: readonly VolumeStatus[]; fields?: Record<string, unknown> } = {},
): Promise<boolean> {
  const from = sourcesOf(VOLUME_TRANSITIONS, to, opts.from);
  if (from.length === 0) return false;
  const res = await ex
    .updateTable('volumes')
    .set({ ...opts.fields, status: to, updated_at: isoNow() })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** The same for a snapshot. */
export async function moveSnapshot(
  ex: Db,
  id: string,
  to: SnapshotStatus,
  opts: { from?: readonly SnapshotStatus[]; fields?: Record<string, unknown> } = {},
): Promise<boolean> {
  const from = sourcesOf(SNAPSHOT_TRANSITIONS, to, opts.from);
  if (from.length === 0) return false;
  const res = await ex
    .updateTable('snapshots')
    .set({ ...opts.fields, status: to, updated_at: isoNow() })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
