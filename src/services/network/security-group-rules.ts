import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { SecurityGroupRuleRow } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { conflict, NeutronFault, notFound } from './errors.js';
import { listRows, type ListQuery, type Page, type TableSpec } from './listing.js';
import { checkQuota } from './quotas.js';
import { canonicalRule, ruleKey } from './security-group-rule-checks.js';
import type { SecurityGroups } from './security-groups.js';
import { listedProject } from './security-groups.js';

/** A rule as a POST gives it, its attributes converted. */
export interface RuleInput {
  security_group_id: string;
  direction: string;
  ethertype: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  remote_address_group_id: string | null;
  description: string;
}

export const SECURITY_GROUP_RULE_TABLE: TableSpec = {
  table: 'security_group_rules',
  resource: 'security_group_rule',
  columns: Object.fromEntries(
    [
      'id',
      'security_group_id',
      'remote_group_id',
      'direction',
      'protocol',
      'port_range_min',
      'port_range_max',
      'ethertype',
      'remote_ip_prefix',
      'remote_address_group_id',
      'description',
      'project_id',
      'revision_number',
      'created_at',
      'updated_at',
    ]
      .map((c) => [c, { column: c }])
      .concat([['tenant_id', { column: 'project_id' }]]),
  ),
};

/** A rule row with everything unset but what is given. */
export function newRule(
  groupId: string,
  projectId: string,
  given: Partial<RuleInput> & { direction: string; ethertype: string },
): SecurityGroupRuleRow {
  const now = isoNow();
  return {
    id: randomUUID(),
    project_id: projectId,
    security_group_id: groupId,
    protocol: null,
    port_range_min: null,
    port_range_max: null,
    remote_ip_prefix: null,
    remote_group_id: null,
    remote_address_group_id: null,
    description: '',
    ...given,
    revision_number: 0,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Security group rules. A member sees and deletes the rules it made and the rules of its
 * groups (Neutron's rule owner and group owner); rules are never updated.
 */
export class SecurityGroupRules {
  constructor(
    private readonly db: Db,
    private readonly groups: SecurityGroups,
  ) {}

  private visible(ctx: RequestContext, rule: SecurityGroupRuleRow, groupProject?: string): boolean {
    return ctx.isAdmin || rule.project_id === ctx.projectId || groupProject === ctx.projectId;
  }

  /** The rules of groups, in the order they were written. */
  async ofGroups(ids: readonly string[]): Promise<Map<string, SecurityGroupRuleRow[]>> {
    const out = new Map<string, SecurityGroupRuleRow[]>(ids.map((id) => [id, []]));
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('security_group_rules')
        .selectAll()
        .where('security_group_id', 'in', ids.slice(i, i + 500))
        .orderBy(sql`rowid`)
        .execute();
      for (const r of rows) out.get(r.security_group_id)?.push(r);
    }
    return out;
  }

  private async row(ctx: RequestContext, id: string, db: Db): Promise<SecurityGroupRuleRow> {
    const row = await db
      .selectFrom('security_group_rules')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    const group = row
      ? await db
          .selectFrom('security_groups')
          .select('project_id')
          .where('id', '=', row.security_group_id)
          .executeTakeFirst()
      : undefined;
    if (!row || !this.visible(ctx, row, group?.project_id)) {
      throw notFound('security_group_rule', id);
    }
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<SecurityGroupRuleRow> {
    return this.row(ctx, id, this.db);
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<Page<SecurityGroupRuleRow>> {
    await this.groups.ensureDefault(ctx, listedProject(ctx, query));
    if (query.marker !== null) await this.row(ctx, query.marker, this.db);
    const p = ctx.projectId ?? '';
    const scope = ctx.isAdmin
      ? null
      : sql`(t.project_id = ${p} or t.security_group_id in (select id from security_groups where project_id = ${p}))`;
    return listRows<SecurityGroupRuleRow>(this.db, SECURITY_GROUP_RULE_TABLE, query, scope);
  }

  /** A group `projectId` may add rules to or name as remote: its own, or any for an admin. */
  private async usableGroup(ctx: RequestContext, tx: Db, projectId: string, id: string) {
    const group = await tx
      .selectFrom('security_groups')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!group || (!ctx.isAdmin && group.project_id !== projectId)) {
      throw notFound('security_group', id);
    }
    return group;
  }

  /**
   * Adds a rule, checked in Neutron's order: quota, the rule's own consistency, the remote
   * group, the group, then no equal rule in the group (SecurityGroupRuleExists names it). The
   * group's revision moves on.
   */
  async create(
    ctx: RequestContext,
    projectId: string,
    input: RuleInput,
  ): Promise<SecurityGroupRuleRow> {
    const id = await this.db.transaction().execute(async (tx) => {
      await checkQuota(tx, projectId, 'security_group_rule');
      const rule = canonicalRule(input);
      if (rule.remote_group_id !== null) {
        await this.usableGroup(ctx, tx, projectId, rule.remote_group_id);
      }
      if (rule.remote_address_group_id !== null) {
        throw new NeutronFault(
          404,
          'AddressGroupNotFound',
          `Address group ${rule.remote_address_group_id} could not be found.`,
        );
      }
      const group = await this.usableGroup(ctx, tx, projectId, rule.security_group_id);
      const key = ruleKey(rule);
      const existing = await tx
        .selectFrom('security_group_rules')
        .selectAll()
        .where('security_group_id', '=', group.id)
        .execute();
      const same = existing.find((r) => ruleKey(r) === key);
      if (same) {
        throw conflict(
          'SecurityGroupRuleExists',
          `Security group rule already exists. Rule id is ${same.id}.`,
        );
      }
      const row = newRule(group.id, projectId, rule);
      await tx.insertInto('security_group_rules').values(row).execute();
      await this.touchGroup(tx, group.id);
      return row.id;
    });
    return this.row(ctx, id, this.db);
  }

  /** Rules revise their group (Neutron's revises_on_change). */
  private async touchGroup(tx: Db, groupId: string): Promise<void> {
    await tx
      .updateTable('security_groups')
      .set((eb) => ({ revision_number: eb('revision_number', '+', 1), updated_at: isoNow() }))
      .where('id', '=', groupId)
      .execute();
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      await tx.deleteFrom('security_group_rules').where('id', '=', id).execute();
      await this.touchGroup(tx, row.security_group_id);
    });
  }
}
