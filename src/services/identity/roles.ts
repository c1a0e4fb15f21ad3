import type { Db } from '../../store/db.js';
import type { RoleAssignmentRow, RoleRow } from '../../store/schema.js';
import { Conflict, NotFound } from '../../errors.js';
import { hexId } from '../../util.js';

/**
 * Keystone's default implied roles (keystone-manage bootstrap): admin implies member, member
 * implies reader. A token lists the assigned roles and every role they imply.
 */
const IMPLIES: Record<string, string> = { admin: 'member', member: 'reader' };

export type TargetType = 'project' | 'domain' | 'system';

export interface AssignmentFilter {
  userId?: string;
  roleId?: string;
  targetType?: TargetType;
  targetId?: string;
}

/** Roles and their assignments; every change calls `changed` once stored (see Directory). */
export class Roles {
  constructor(
    private readonly db: Db,
    private readonly changed: () => void = () => undefined,
  ) {}

  async get(id: string): Promise<RoleRow> {
    const row = await this.db
      .selectFrom('roles')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFound(`Could not find role: ${id}.`);
    return row;
  }

  async list(filter: { name?: string; domain_id?: string | null }): Promise<RoleRow[]> {
    let q = this.db.selectFrom('roles').selectAll().orderBy('name');
    if (filter.name !== undefined) q = q.where('name', '=', filter.name);
    if (filter.domain_id) q = q.where('domain_id', '=', filter.domain_id);
    else q = q.where('domain_id', 'is', null);
    return q.execute();
  }

  async create(input: {
    name: string;
    domain_id?: string | null;
    description?: string | null;
  }): Promise<RoleRow> {
    const domainId = input.domain_id ?? null;
    const same = await this.list({ name: input.name, domain_id: domainId });
    if (same.length > 0) {
      throw new Conflict(
        `Conflict occurred attempting to store role - Duplicate entry found with name ${input.name}.`,
      );
    }
    const row: RoleRow = {
      id: hexId(),
      name: input.name,
      domain_id: domainId,
      description: input.description ?? null,
    };
    await this.db.insertInto('roles').values(row).execute();
    this.changed();
    return row;
  }

  async update(
    id: string,
    patch: { name?: string; description?: string | null },
  ): Promise<RoleRow> {
    const row = await this.get(id);
    const next = {
      name: patch.name ?? row.name,
      description: patch.description ?? row.description,
    };
    await this.db.updateTable('roles').set(next).where('id', '=', id).execute();
    this.changed();
    return { ...row, ...next };
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('role_assignments').where('role_id', '=', id).execute();
      await trx.deleteFrom('roles').where('id', '=', id).execute();
    });
    this.changed();
  }

  async grant(
    actorId: string,
    targetType: TargetType,
    targetId: string,
    roleId: string,
  ): Promise<void> {
    await this.db
      .insertInto('role_assignments')
      .values({ actor_id: actorId, target_type: targetType, target_id: targetId, role_id: roleId })
      .onConflict((oc) => oc.doNothing())
      .execute();
    this.changed();
  }

  async revoke(
    actorId: string,
    targetType: TargetType,
    targetId: string,
    roleId: string,
  ): Promise<void> {
    const res = await this.db
      .deleteFrom('role_assignments')
      .where('actor_id', '=', actorId)
      .where('target_type', '=', targetType)
      .where('target_id', '=', targetId)
      .where('role_id', '=', roleId)
      .executeTakeFirst();
    this.changed();
    if (res.numDeletedRows === 0n)
      throw new NotFound(
        `Could not find role assignment with role: ${roleId}, user or group: ${actorId}, project, domain, or system: ${targetId}.`,
      );
  }

  async isGranted(
    actorId: string,
    targetType: TargetType,
    targetId: string,
    roleId: string,
  ): Promise<boolean> {
    const row = await this.db
      .selectFrom('role_assignments')
      .select('role_id')
      .where('actor_id', '=', actorId)
      .where('target_type', '=', targetType)
      .where('target_id', '=', targetId)
      .where('role_id', '=', roleId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async assignments(filter: AssignmentFilter): Promise<RoleAssignmentRow[]> {
    let q = this.db.selectFrom('role_assignments').selectAll();
    if (filter.userId) q = q.where('actor_id', '=', filter.userId);
    if (filter.roleId) q = q.where('role_id', '=', filter.roleId);
    if (filter.targetType) q = q.where('target_type', '=', filter.targetType);
    if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
    return q.execute();
  }

  /** Roles assigned directly on a target, without implied ones. */
  async assigned(actorId: string, targetType: TargetType, targetId: string): Promise<RoleRow[]> {
    return this.db
      .selectFrom('role_assignments as a')
      .innerJoin('roles as r', 'r.id', 'a.role_id')
      .select(['r.id', 'r.name', 'r.domain_id', 'r.description'])
      .where('a.actor_id', '=', actorId)
      .where('a.target_type', '=', targetType)
      .where('a.target_id', '=', targetId)
      .orderBy('r.name')
      .execute();
  }

  /** Assigned roles plus the roles they imply, as a token carries them. */
  async effective(actorId: string, targetType: TargetType, targetId: string): Promise<RoleRow[]> {
    const direct = await this.assigned(actorId, targetType, targetId);
    const names = new Set(direct.map((r) => r.name));
    for (const r of direct) {
      for (let n = IMPLIES[r.name]; n && !names.has(n); n = IMPLIES[n]) names.add(n);
    }
    if (names.size === direct.length) return direct;
    const implied = await this.db
      .selectFrom('roles')
      .selectAll()
      .where('name', 'in', [...names])
      .where('domain_id', 'is', null)
      .execute();
    const byId = new Map([...direct, ...implied].map((r) => [r.id, r]));
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Projects on which the user has any role. */
  async projectsOf(actorId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('role_assignments')
      .select('target_id')
      .distinct()
      .where('actor_id', '=', actorId)
      .where('target_type', '=', 'project')
      .execute();
    return rows.map((r) => r.target_id);
  }
}
