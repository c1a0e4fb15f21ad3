import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { SecurityGroupRow, SecurityGroupRuleRow } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { conflict, notFound } from './errors.js';
import { listRows, tagsOf, type ListQuery, type Page, type TableSpec } from './listing.js';
import { checkQuota } from './quotas.js';
import { checkPortGroups, groupInUse, securityGroupInUse } from './security-group-ports.js';
import { newRule, SecurityGroupRules } from './security-group-rules.js';
import { bumpRevision, type Standard } from './standard.js';

/** A security group as the domain hands it out, with its rules and tags. */
export interface SecurityGroup extends Standard {
  name: string;
  stateful: boolean;
  shared: boolean;
  rules: SecurityGroupRuleRow[];
}

export interface SecurityGroupInput {
  name?: string;
  description?: string;
  stateful?: boolean;
}

export const SECURITY_GROUP_TABLE: TableSpec = {
  table: 'security_groups',
  resource: 'security_group',
  columns: Object.fromEntries(
    ['id', 'name', 'description', 'project_id', 'revision_number', 'created_at', 'updated_at']
      .map((c) => [c, { column: c }])
      .concat([['tenant_id', { column: 'project_id' }]]),
  ),
};

/**
 * The project a list is for, when it makes the project's default group: the project filter's
 * first value, else the caller's (neutron/db/securitygroups_db.py get_security_groups).
 */
export function listedProject(ctx: RequestContext, query: ListQuery): string | null {
  const named = query.filters.get('project_id') ?? query.filters.get('tenant_id');
  return (named?.[0] as string | undefined) ?? ctx.projectId;
}

/** Security groups: each project's default group, groups and, through `rules`, their rules. */
export class SecurityGroups {
  readonly rules: SecurityGroupRules;

  constructor(private readonly db: Db) {
    this.rules = new SecurityGroupRules(db, this);
  }

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
    await checkQuota(tx, projectId, 'security_group_rule', 4);
    // Per ethertype, as Neutron writes them: members of the group may reach each other; all
    // traffic out is allowed.
    const group = { id, project_id: projectId, stateful: 1 };
    await this.insertGroup(
      tx,
      { ...group, name: 'default', description: 'Default security group' },
      [
        newRule(id, projectId, { direction: 'ingress', ethertype: 'IPv4', remote_group_id: id }),
        newRule(id, projectId, { direction: 'egress', ethertype: 'IPv4' }),
        newRule(id, projectId, { direction: 'ingress', ethertype: 'IPv6', remote_group_id: id }),
        newRule(id, projectId, { direction: 'egress', ethertype: 'IPv6' }),
      ],
    );
    return id;
  }

  /**
   * _ensure_default_security_group: the project's default group, made if it has none. A member
   * never makes one for another project (null then).
   */
  async ensureDefault(ctx: RequestContext, projectId: string | null): Promise<string | null> {
    if (projectId === null || (projectId !== ctx.projectId && !ctx.isAdmin)) return null;
    const found = await this.db
      .selectFrom('default_security_groups')
      .select('security_group_id')
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (found) return found.security_group_id;
    return this.db.transaction().execute((tx) => this.defaultGroup(tx, projectId));
  }

  private async insertGroup(
    tx: Db,
    group: Pick<SecurityGroupRow, 'id' | 'project_id' | 'name' | 'description' | 'stateful'>,
    rules: SecurityGroupRuleRow[],
  ): Promise<void> {
    const now = isoNow();
    // The rules written with the group move its revision on once, as in Neutron.
    await tx
      .insertInto('security_groups')
      .values({
        ...group,
        revision_number: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await tx.insertInto('security_group_rules').values(rules).execute();
  }

  private scope(ctx: RequestContext) {
    return ctx.isAdmin ? null : sql`t.project_id = ${ctx.projectId ?? ''}`;
  }

  /** The group a caller may see: its project's, or any for an admin; else SecurityGroupNotFound. */
  async row(ctx: RequestContext, id: string, db: Db = this.db): Promise<SecurityGroupRow> {
    const row = await db
      .selectFrom('security_groups')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) {
      throw notFound('security_group', id);
    }
    return row;
  }

  private async withRelations(rows: SecurityGroupRow[]): Promise<SecurityGroup[]> {
    const ids = rows.map((r) => r.id);
    const tags = await tagsOf(this.db, ids);
    const rules = await this.rules.ofGroups(ids);
    return rows.map((r) => ({
      ...r,
      stateful: r.stateful === 1,
      shared: false,
      rules: rules.get(r.id)!,
      tags: tags.get(r.id)!,
    }));
  }

  async get(ctx: RequestContext, id: string): Promise<SecurityGroup> {
    return (await this.withRelations([await this.row(ctx, id)]))[0]!;
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<Page<SecurityGroup>> {
    await this.ensureDefault(ctx, listedProject(ctx, query));
    if (query.marker !== null) await this.row(ctx, query.marker);
    // No group is shared (there is no RBAC for groups here): shared=true matches none.
    const shared = query.filters.get('shared');
    const where = shared && !shared.includes(false) ? [sql`0 = 1`] : [];
    const page = await listRows<SecurityGroupRow>(
      this.db,
      SECURITY_GROUP_TABLE,
      query,
      this.scope(ctx),
      where,
    );
    return { rows: await this.withRelations(page.rows) };
  }

  /**
   * A new group, with Neutron's two egress rules. The group quota is counted first (Neutron's
   * API reserves it), then the project's default group is made, then the rules are counted.
   */
  async create(
    ctx: RequestContext,
    projectId: string,
    input: SecurityGroupInput,
  ): Promise<SecurityGroup> {
    const id = randomUUID();
    await this.db.transaction().execute(async (tx) => {
      await checkQuota(tx, projectId, 'security_group');
      await this.defaultGroup(tx, projectId);
      await checkQuota(tx, projectId, 'security_group_rule', 2);
      const group = {
        id,
        project_id: projectId,
        name: input.name ?? '',
        description: input.description ?? '',
        stateful: input.stateful === false ? 0 : 1,
      };
      await this.insertGroup(tx, group, [
        newRule(id, projectId, { direction: 'egress', ethertype: 'IPv4' }),
        newRule(id, projectId, { direction: 'egress', ethertype: 'IPv6' }),
      ]);
    });
    return this.get(ctx, id);
  }

  async update(
    ctx: RequestContext,
    id: string,
    input: SecurityGroupInput,
    ifMatch?: number,
  ): Promise<SecurityGroup> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      const set: Partial<SecurityGroupRow> = {};
      if (input.stateful !== undefined && input.stateful !== (row.stateful === 1)) {
        // Ports in the group were set up for the other kind of filtering.
        if (await groupInUse(tx, id)) throw securityGroupInUse(id);
        set.stateful = input.stateful ? 1 : 0;
      }
      if (input.name !== undefined) {
        if (row.name === 'default') {
          throw conflict(
            'SecurityGroupCannotUpdateDefault',
            'Updating default security group not allowed.',
          );
        }
        set.name = input.name;
      }
      if (input.description !== undefined) set.description = input.description;
      await bumpRevision(tx, 'security_groups', row, set, ifMatch);
    });
    return this.get(ctx, id);
  }

  /**
   * Deletes a group no port is in, with its rules and the rules of other groups that name it
   * as their remote group (Neutron's foreign keys cascade so). Only an admin may delete a
   * project's default group; the project gets a new one when it next needs it.
   */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      if (await groupInUse(tx, id)) throw securityGroupInUse(id);
      if (row.name === 'default' && !ctx.isAdmin) {
        throw conflict(
          'SecurityGroupCannotRemoveDefault',
          'Insufficient rights for removing default security group.',
        );
      }
      await tx
        .deleteFrom('security_group_rules')
        .where((eb) => eb.or([eb('security_group_id', '=', id), eb('remote_group_id', '=', id)]))
        .execute();
      await tx.deleteFrom('default_security_groups').where('security_group_id', '=', id).execute();
      await tx.deleteFrom('network_tags').where('resource_id', '=', id).execute();
      await tx.deleteFrom('security_groups').where('id', '=', id).execute();
    });
  }

  /** For ports: see checkPortGroups. */
  readonly checkPortGroups = checkPortGroups;
}
