import type { Db } from '../../store/db.js';

/**
 * Which security groups a port is in. Ports call this; the security-group aggregate owns the
 * rules of it (the project's default group, made on first use; only groups the port's project
 * may use; a device-owned network port gets none).
 */
export async function setPortGroups(
  tx: Db,
  port: { id: string; project_id: string; device_owner: string; port_security_enabled: number },
  requested: string[] | undefined,
  defaultGroup: (tx: Db, projectId: string) => Promise<string>,
): Promise<void> {
  await tx.deleteFrom('port_security_groups').where('port_id', '=', port.id).execute();
  let groups = requested;
  if (groups === undefined) {
    const networkOwned = port.device_owner.startsWith('network:');
    groups =
      networkOwned || port.port_security_enabled !== 1
        ? []
        : [await defaultGroup(tx, port.project_id)];
  }
  for (const group of new Set(groups)) {
    await tx
      .insertInto('port_security_groups')
      .values({ port_id: port.id, security_group_id: group })
      .execute();
  }
}
