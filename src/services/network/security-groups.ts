import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import { isoNow } from '../../util.js';

/** Security groups and their rules. */
export class SecurityGroups {
  constructor(private readonly db: Db) {}

  /**
   * The project's `default` group, made with Neutron's four default rules the first time the
   * project needs it. Two racing first requests make one group: the default_security_groups row
   * is the project's claim, and the loser reads the winner's.
   */
  async defaultGroup(tx: Db, projectId: string): Promise<string> {
    const found = await tx
      .selectFrom('default_security_groups')
      .select('security_group_id')
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (found) return found.security_group_id;
    const id = randomUUID();
    const claimed = await tx
      .insertInto('default_security_groups')
      .values({ project_id: projectId, security_group_id: id })
      .onConflict((oc) => oc.column('project_id').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1)
      return this.defaultGroup(tx, projectId);
    const now = isoNow();
    const std = { project_id: projectId, revision_number: 0, created_at: now, updated_at: now };
    await tx
      .insertInto('security_groups')
      .values({ id, name: 'default', description: 'Default security group', stateful: 1, ...std })
      .execute();
    const rule = (direction: string, ethertype: string, remote: string | null) => ({
      id: randomUUID(),
      security_group_id: id,
      direction,
      ethertype,
      protocol: null,
      port_range_min: null,
      port_range_max: null,
      remote_ip_prefix: null,
      remote_group_id: remote,
      remote_address_group_id: null,
      description: '',
      ...std,
    });
    await tx
      .insertInto('security_group_rules')
      .values([
        rule('ingress', 'IPv4', id),
        rule('ingress', 'IPv6', id),
        rule('egress', 'IPv4', null),
        rule('egress', 'IPv6', null),
      ])
      .execute();
    return id;
  }

  /** For callers outside a transaction. */
  async ensureDefault(projectId: string): Promise<string> {
    return this.db.transaction().execute((tx) => this.defaultGroup(tx, projectId));
  }
}
