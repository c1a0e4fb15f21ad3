import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { SecurityGroupRow, SecurityGroupRuleRow } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { conflict, notFound, type NeutronFault } from './errors.js';
import { listRows, tagsOf, type ListQuery, type Page, type TableSpec } from './listing.js';
import { checkQuota } from './quotas.js';
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
  columns: {
    id: { column: 'id' },
    name: { column: 'name' },
    description: { column: 'description' },
    project_id: { column: 'project_id' },
    tenant_id: { column: 'project_id' },
    revision_number: { column: 'revision_number' },
    created_at: { column: 'created_at' },
    updated_at: { column: 'updated_at' },
  },
};

export function securityGroupInUse(id: string): NeutronFault {
  return conflict('SecurityGroupInUse', `Security Group ${id} in use.`);
}

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
    await this.insertGroup(tx, id, projectId, 'default', 'Default security group', true, [
      newRule(id, projectId, { direction: 'ingress', ethertype: 'IPv4', remote_group_id: id }),
      newRule(id, projectId, { direction: 'egress', ethertype: 'IPv4' }),
      newRule(id, projectId, { direction: 'ingress', ethertype: 'IPv6', remote_group_id: id }),
      newRule(id, projectId, { direction: 'egress', ethertype: 'IPv6' }),
    ]);
    return id;
  }

  /**
   * _ensure_default_security_group: the project's default group, made if it has none. A member
   * never makes one for another project (null then).
   */
  async ensureDefault(ctx: RequestContext, projectId: string | null): Promise<string | null> {
    if (projectId === null || (projectId !== ctx.projectId && !ctx.isAdmin)) return null;
    return this.db.transaction().execute((tx) => this.defaultGroup(tx, projectId));
  }

  private async insertGroup(
    tx: Db,
    id: string,
    projectId: string,
    name: string,
    description: string,
    stateful: boolean,
    rules: SecurityGroupRuleRow[],
  ): Promise<void> {
    const now = isoNow();
    // The rules written with the group move its revision on once, as in Neutron.
    await tx
      .insertInto('security_groups')
      .values({
        id,
        project_id: projectId,
        name,
        description,
        stateful: stateful ? 1 : 0,
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
    return { rows: await this.withRelations(page.rows), more: page.more };
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
      await this.insertGroup(
        tx,
        id,
        projectId,
        input.name ?? '',
        input.description ?? '',
        input.stateful !== false,
        [
          newRule(id, projectId, { direction: 'egress', ethertype: 'IPv4' }),
          newRule(id, projectId, { direction: 'egress', ethertype: 'IPv6' }),
        ],
      );
    });
    return this.get(ctx, id);
  }

  private async inUse(tx: Db, id: string): Promise<boolean> {
    const bound = await tx
      .selectFrom('port_security_groups')
      .select('port_id')
      .where('security_group_id', '=', id)
      .limit(1)
      .executeTakeFirst();
    return bound !== undefined;
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
        if (await this.inUse(tx, id)) throw securityGroupInUse(id);
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
      if (await this.inUse(tx, id)) throw securityGroupInUse(id);
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

  /**
   * The groups a port of `projectId` may be put in: each must exist and be the project's (an
   * admin may use any), else SecurityGroupNotFound naming the missing ones; stateful and
   * stateless groups do not mix on one port.
   */
  async checkPortGroups(
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
}
