import { isoCinder } from '../../../util.js';
import type { Snapshot } from '../types.js';
import type { Microversion } from '../../../http/microversion.js';
import { atLeast } from './volume.view.js';

/** A snapshot; `detail` adds the two os-extended-snapshot-attributes Tempest requires there. */
export function snapshotView(
  s: Snapshot,
  mv: Microversion,
  detail: boolean,
): Record<string, unknown> {
  const r = s.row;
  const view: Record<string, unknown> = {
    created_at: isoCinder(r.created_at),
    description: r.description,
    id: r.id,
    metadata: s.metadata,
    name: r.name,
    size: r.size,
    status: r.status,
    updated_at: r.updated_at ? isoCinder(r.updated_at) : null,
    volume_id: r.volume_id,
  };
  if (detail) {
    view['os-extended-snapshot-attributes:progress'] = r.status === 'available' ? '100%' : '0%';
    view['os-extended-snapshot-attributes:project_id'] = r.project_id;
  }
  if (atLeast(mv, 14)) view.group_snapshot_id = null;
  if (atLeast(mv, 41)) view.user_id = r.user_id;
  if (atLeast(mv, 65)) view.consumes_quota = true;
  return view;
}
