import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { notFound } from './errors.js';

/**
 * Which security groups a port is in, as neutron/db/securitygroups_db.py decides: a port that
 * names none joins its project's default group; a network-owned port (`network:*`, trusted)
 * joins none whatever it names; named groups must exist and be the port's project's (an admin
 * may name any group).
 */
export function trustedOwner(deviceOwner: string): boolean {
  return deviceOwner.startsWith('network:');
}

/**
 * SecurityGroupNotFound for the groups the caller may not use, all named in one message as
 * Neutron joins them ("Security group a, b does not exist").
 */
export async function checkGroups(
  tx: Db,
  isAdmin: boolean,
  projectId: string,
  requested: readonly string[],
): Promise<void> {
  const wanted = [...new Set(requested)];
  const usable = new Set<string>();
  for (let i = 0; i < wanted.length; i += 500) {
    const found = await tx
      .selectFrom('security_groups')
      .select(['id', 'project_id'])
      .where('id', 'in', wanted.slice(i, i + 500))
      .execute();
    for (const g of found) {
      if (isAdmin || projectId === '' || g.project_id === projectId) usable.add(g.id);
    }
  }
  const missing = wanted.filter((id) => !usable.has(id));
  if (missing.length > 0) throw notFound('security_group', missing.join(', '));
}

/** Replaces the port's groups; the order given is kept for the view. */
export async function setPortGroups(
  tx: Db,
  portId: string,
  groups: readonly string[],
): Promise<void> {
  await tx.deleteFrom('port_security_groups').where('port_id', '=', portId).execute();
  const unique = [...new Set(groups)];
  for (let i = 0; i < unique.length; i += 200) {
    await tx
      .insertInto('port_security_groups')
      .values(unique.slice(i, i + 200).map((g) => ({ port_id: portId, security_group_id: g })))
      .execute();
  }
}

/** The groups of many ports: port id -> group ids. */
export async function groupsOf(db: Db, portIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(portIds.map((id) => [id, []]));
  for (let i = 0; i < portIds.length; i += 500) {
    const found = await db
      .selectFrom('port_security_groups')
      .select(['port_id', 'security_group_id'])
      .where('port_id', 'in', portIds.slice(i, i + 500))
      .orderBy(sql`rowid`)
      .execute();
    for (const g of found) out.get(g.port_id)?.push(g.security_group_id);
  }
  return out;
}
