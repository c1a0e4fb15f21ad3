import { versionBelow, type Microversion } from '../../../http/microversion.js';
import type { BlockDeviceMappingRow } from '../../../store/compute-schema.js';

/**
 * A volume attachment as nova/api/openstack/compute/volumes.py draws a mapping: `id` is the
 * volume's id until 2.89 replaces it with `attachment_id` and `bdm_uuid`; `device` only when
 * the mapping has one; `tag` from 2.70, `delete_on_termination` from 2.79.
 */
export function volumeAttachmentView(
  b: BlockDeviceMappingRow,
  mv: Microversion,
): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  if (versionBelow(mv, [2, 89])) v.id = b.volume_id;
  v.volumeId = b.volume_id;
  v.serverId = b.server_id;
  if (b.device_name) v.device = b.device_name;
  if (!versionBelow(mv, [2, 70])) v.tag = b.tag;
  if (!versionBelow(mv, [2, 79])) v.delete_on_termination = b.delete_on_termination === 1;
  if (!versionBelow(mv, [2, 89])) {
    v.attachment_id = b.attachment_id;
    v.bdm_uuid = b.id;
  }
  return v;
}

/**
 * What POST answers (it is made by hand in Nova, not by the view): always `id` and `device`
 * (null while a shelved-offloaded server has none), the server id as the URL gave it.
 */
export function attachedVolumeView(
  b: BlockDeviceMappingRow,
  serverId: string,
  mv: Microversion,
): Record<string, unknown> {
  const v: Record<string, unknown> = {
    id: b.volume_id,
    serverId,
    volumeId: b.volume_id,
    device: b.device_name,
  };
  if (!versionBelow(mv, [2, 70])) v.tag = b.tag;
  if (!versionBelow(mv, [2, 79])) v.delete_on_termination = b.delete_on_termination === 1;
  return v;
}
