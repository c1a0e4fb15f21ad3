import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import { conflict, notFound, type NeutronFault } from './errors.js';

/** SecurityGroupInUse: ports are in the group. */
export function securityGroupInUse(id: string): NeutronFault {
  return conflict('SecurityGroupInUse', `Security Group ${id} in use.`);
}

/** A port is in the group. */
export async function groupInUse(tx: Db, id: string): Promise<boolean> {
  const bound = await tx
    .selectFrom('port_security_groups')
    .select('port_id')
    .where('security_group_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return bound !== undefined;
}

/**
 * The groups a port of `projectId` may be put in: each must exist and be the project's (an
 * admin may use any), else SecurityGroupNotFound naming the missing ones; stateful and
 * stateless groups do not mix on one port.
 */
export async function checkPortGroups(
  tx: Db,
  ctx: RequestContext,
  projectId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const rows = await tx
    .selectFrom('security_groups')
    .select(['id', 'project_id', 'stateful'])
    .where('id', 'in', [...ids])
    .execute();
  const usable = new Map(
    rows.filter((r) => ctx.isAdmin || r.project_id === projectId).map((r) => [r.id, r]),
  );
  const missing = [...new Set(ids)].filter((g) => !usable.has(g));
  if (missing.length > 0) throw notFound('security_group', missing.join(', '));
  if (new Set([...usable.values()].map((r) => r.stateful)).size > 1) {
    throw conflict(
      'SecurityGroupConflict',
      'Error Cannot apply both stateful and stateless security groups on the same port at the same time while attempting the operation.',
    );
  }
}
