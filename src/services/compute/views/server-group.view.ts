import { versionBelow, type Microversion } from '../../../http/microversion.js';
import type { ServerGroup } from '../server-groups.js';

/**
 * A server group: `policies` and empty `metadata` below 2.64, `policy` and `rules` from it;
 * project_id and user_id from 2.13 (nova/api/openstack/compute/server_groups.py).
 */
export function serverGroupView(g: ServerGroup, mv: Microversion): Record<string, unknown> {
  const view: Record<string, unknown> = { id: g.row.id, name: g.row.name };
  if (versionBelow(mv, [2, 64])) {
    view.policies = [g.row.policy];
    view.metadata = {};
  } else {
    view.policy = g.row.policy;
    view.rules = g.rules;
  }
  view.members = [...g.members];
  if (!versionBelow(mv, [2, 13])) {
    view.project_id = g.row.project_id;
    view.user_id = g.row.user_id;
  }
  return view;
}
