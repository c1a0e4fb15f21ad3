import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { ServerGroupRow } from '../../store/compute-schema.js';
import { isoNow } from '../../util.js';
import type { ComputeQuotas } from './quotas.js';
import { parseJson } from './server-model.js';

export interface ServerGroup {
  row: ServerGroupRow;
  rules: Record<string, number>;
  /** Servers in the group that still exist, in the order they joined. */
  members: string[];
}

export interface NewServerGroup {
  name: string;
  policy: string;
  rules: Record<string, number>;
}

export const groupNotFound = (id: string) =>
  new NotFound(`Instance group ${id} could not be found.`);

/**
 * Nova's server groups (os-server-groups). One host serves every policy, so affinity holds
 * by itself and anti-affinity is accepted as Nova accepts it at the API. A group belongs to
 * its project: others do not find it (Nova's query filters on project for non-admins).
 */
export class ServerGroups {
  constructor(
    private readonly db: Db,
    private readonly quotas: ComputeQuotas,
  ) {}

  private async load(rows: ServerGroupRow[]): Promise<ServerGroup[]> {
    const ids = rows.map((r) => r.id);
    const members = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (let i = 0; i < ids.length; i += 500) {
      const found = await this.db
        .selectFrom('server_group_members as m')
        .innerJoin('servers as s', 's.id', 'm.server_id')
        .select(['m.group_id', 'm.server_id'])
        .where('m.group_id', 'in', ids.slice(i, i + 500))
        .orderBy(sql`m.rowid`)
        .execute();
      for (const m of found) members.get(m.group_id)!.push(m.server_id);
    }
    return rows.map((row) => ({
      row,
      rules: parseJson<Record<string, number>>(row.rules, {}),
      members: members.get(row.id)!,
    }));
  }

  /** The group row a caller may use, else Nova's 404. */
  async row(ctx: RequestContext, id: string, ex: Db = this.db): Promise<ServerGroupRow> {
    const row = await ex
      .selectFrom('server_groups')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) throw groupNotFound(id);
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<ServerGroup> {
    return (await this.load([await this.row(ctx, id)]))[0]!;
  }

  /** The caller's project's groups, or (`allProjects`, admins only) every group. */
  async list(
    ctx: RequestContext,
    q: { allProjects: boolean; limit: number; offset: number },
  ): Promise<ServerGroup[]> {
    let query = this.db.selectFrom('server_groups').selectAll();
    if (!(q.allProjects && ctx.isAdmin))
      query = query.where('project_id', '=', ctx.projectId ?? '');
    const rows = await query
      .orderBy(sql`rowid`)
      .limit(q.limit)
      .offset(q.offset)
      .execute();
    return this.load(rows);
  }

  /** Counted against the project's server_groups limit in the inserting transaction. */
  async create(ctx: RequestContext, input: NewServerGroup): Promise<ServerGroup> {
    const projectId = ctx.projectId ?? '';
    const limits = await this.quotas.limits(projectId, ctx.userId);
    if (input.policy !== 'anti-affinity' && Object.keys(input.rules).length > 0)
      throw new BadRequest('Only anti-affinity policy supports rules.');
    const id = randomUUID();
    await this.db.transaction().execute(async (tx) => {
      const used = await tx
        .selectFrom('server_groups')
        .select(sql<number>`count(*)`.as('n'))
        .where('project_id', '=', projectId)
        .executeTakeFirstOrThrow();
      if (limits.server_groups >= 0 && Number(used.n) + 1 > limits.server_groups)
        throw new Forbidden('Quota exceeded, too many server groups.');
      await tx
        .insertInto('server_groups')
        .values({
          id,
          project_id: projectId,
          user_id: ctx.userId,
          name: input.name,
          policy: input.policy,
          rules: JSON.stringify(input.rules),
          created_at: isoNow(),
        })
        .execute();
    });
    return this.get(ctx, id);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      await tx.deleteFrom('server_group_members').where('group_id', '=', row.id).execute();
      await tx.deleteFrom('server_groups').where('id', '=', row.id).execute();
    });
  }
}

/**
 * The scheduler hint `group` of a create: the group must be one the caller finds (Nova's
 * create answers InstanceGroupNotFound with a 400).
 */
export async function checkGroupHint(db: Db, ctx: RequestContext, id: string): Promise<void> {
  const row = await db
    .selectFrom('server_groups')
    .select('project_id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId))
    throw new BadRequest(groupNotFound(id).message);
}

/** Inside a create's transaction: room for `adding` more members (server_group_members). */
export async function checkGroupMembers(
  tx: Db,
  groupId: string,
  limit: number,
  adding: number,
): Promise<void> {
  const n = await tx
    .selectFrom('server_group_members')
    .select(sql<number>`count(*)`.as('n'))
    .where('group_id', '=', groupId)
    .executeTakeFirstOrThrow();
  if (limit >= 0 && Number(n.n) + adding > limit)
    throw new Forbidden('Quota exceeded, too many servers in group');
}
