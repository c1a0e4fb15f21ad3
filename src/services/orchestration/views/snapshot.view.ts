import type { StackSnapshot } from '../service.js';
import { heatTime } from './stack.view.js';

/** heat/engine/api.py format_snapshot. */
export function snapshotView(s: StackSnapshot) {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    status_reason: s.statusReason,
    data: s.data,
    creation_time: heatTime(s.createdAt),
  };
}
