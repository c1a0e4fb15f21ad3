import { isoCinder } from '../../../util.js';
import type { Attachment } from '../types.js';

/** cinder/api/v3/views/attachments.py summary. */
export function attachmentSummaryView(a: Attachment): Record<string, unknown> {
  return { id: a.id, status: a.attach_status, instance: a.instance_uuid, volume_id: a.volume_id };
}

/**
 * The detail view. connection_info is what a host needs to reach the disk: pocketstack's
 * volumes are local qcow2 chains, so it names the volume and the access mode only.
 */
export function attachmentView(a: Attachment): Record<string, unknown> {
  return {
    ...attachmentSummaryView(a),
    attached_at: a.attach_time ? isoCinder(a.attach_time) : '',
    detached_at: '',
    attach_mode: a.attach_mode,
    connection_info: a.connector
      ? {
          driver_volume_type: 'pocketstack',
          data: { volume_id: a.volume_id, access_mode: a.attach_mode },
        }
      : {},
  };
}
