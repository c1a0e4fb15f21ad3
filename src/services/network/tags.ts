import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { StandardColumns } from '../../store/network-schema.js';
import { NeutronFault } from './errors.js';
import { tagsOf } from './listing.js';
import type { Networks } from './networks.js';
import type { Ports } from './ports.js';
import { bumpRevision } from './standard.js';
import type { Subnets } from './subnets.js';

/**
 * The resources that carry tags (Neutron's standard-attr-tag, tag_supported resources of Zed
 * that pocketstack has): URL collection -> member name (as TagResourceNotFound prints it) and
 * table.
 */
export const TAGGABLE = {
  networks: { member: 'network', table: 'networks' },
  subnets: { member: 'subnet', table: 'subnets' },
  ports: { member: 'port', table: 'ports' },
  subnetpools: { member: 'subnetpool', table: 'subnetpools' },
  routers: { member: 'router', table: 'routers' },
  floatingips: { member: 'floatingip', table: 'floatingips' },
  'security-groups': { member: 'security_group', table: 'security_groups' },
} as const;

export type TaggableCollection = keyof typeof TAGGABLE;

type Table = (typeof TAGGABLE)[TaggableCollection]['table'];

function resourceNotFound(collection: TaggableCollection, id: string): NeutronFault {
  return new NeutronFault(
    404,
    'TagResourceNotFound',
    `Resource ${TAGGABLE[collection].member} ${id} could not be found.`,
  );
}

export function tagNotFound(tag: string): NeutronFault {
  return new NeutronFault(404, 'TagNotFound', `Tag ${tag} could not be found.`);
}

/** Tags of networks, subnets, ports, subnet pools, routers, floating IPs and security groups. */
export class Tags {
  constructor(
    private readonly db: Db,
    private readonly aggregates: { networks: Networks; subnets: Subnets; ports: Ports },
  ) {}

  /**
   * The resource's row if the caller may see it: networks, subnets and ports by their own
   * rules; subnet pools when own or shared; routers, floating IPs and security groups when own
   * (pocketstack shares none of them). Anything else is TagResourceNotFound.
   */
  private async visible(
    ctx: RequestContext,
    collection: TaggableCollection,
    id: string,
    db: Db,
  ): Promise<StandardColumns> {
    const { networks, subnets, ports } = this.aggregates;
    const byAggregate =
      collection === 'networks'
        ? networks.row.bind(networks)
        : collection === 'subnets'
          ? subnets.row.bind(subnets)
          : collection === 'ports'
            ? ports.row.bind(ports)
            : null;
    if (byAggregate) {
      return byAggregate(ctx, id, db).catch((err: unknown) => {
        throw err instanceof NeutronFault && err.status === 404
          ? resourceNotFound(collection, id)
          : err;
      });
    }
    const table = TAGGABLE[collection].table as 'routers';
    const row = await db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
    const shared =
      collection === 'subnetpools' && (row as { shared?: number } | undefined)?.shared === 1;
    if (!row || !(ctx.isAdmin || row.project_id === ctx.projectId || shared)) {
      throw resourceNotFound(collection, id);
    }
    return row;
  }

  /** A resource the caller may change: visible and its own (or any, for an admin). */
  private async owned(
    ctx: RequestContext,
    collection: TaggableCollection,
    id: string,
    db: Db,
    action: 'update' | 'delete',
  ): Promise<StandardColumns> {
    const row = await this.visible(ctx, collection, id, db);
    if (!ctx.isAdmin && row.project_id !== ctx.projectId) {
      throw new NeutronFault(
        403,
        'PolicyNotAuthorized',
        `rule:${action}_${TAGGABLE[collection].member}:tags is disallowed by policy`,
      );
    }
    return row;
  }

  async list(ctx: RequestContext, collection: TaggableCollection, id: string): Promise<string[]> {
    await this.visible(ctx, collection, id, this.db);
    return (await tagsOf(this.db, [id])).get(id)!;
  }

  /** Whether the resource has the tag: TagNotFound when not. */
  async check(
    ctx: RequestContext,
    collection: TaggableCollection,
    id: string,
    tag: string,
  ): Promise<void> {
    await this.visible(ctx, collection, id, this.db);
    const found = await this.db
      .selectFrom('network_tags')
      .select('tag')
      .where('resource_id', '=', id)
      .where('tag', '=', tag)
      .executeTakeFirst();
    if (!found) throw tagNotFound(tag);
  }

  /**
   * Replaces the resource's tags. The rows and the resource's revision move in one
   * transaction; a request that changes nothing leaves the revision alone, as Neutron does.
   */
  async replace(
    ctx: RequestContext,
    collection: TaggableCollection,
    id: string,
    tags: readonly string[],
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.owned(ctx, collection, id, tx, 'update');
      const wanted = new Set(tags);
      const current = new Set((await tagsOf(tx, [id])).get(id)!);
      const removed = [...current].filter((t) => !wanted.has(t));
      const added = [...wanted].filter((t) => !current.has(t));
      if (removed.length === 0 && added.length === 0) return;
      for (let i = 0; i < removed.length; i += 400) {
        await tx
          .deleteFrom('network_tags')
          .where('resource_id', '=', id)
          .where('tag', 'in', removed.slice(i, i + 400))
          .execute();
      }
      await this.insert(tx, id, added);
      await bumpRevision(tx, TAGGABLE[collection].table as Table, row, {});
    });
  }

  /** Adds one tag; a tag already there is not an error (and no change). */
  async add(
    ctx: RequestContext,
    collection: TaggableCollection,
    id: string,
    tag: string,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.owned(ctx, collection, id, tx, 'update');
      if (await this.insert(tx, id, [tag])) {
        await bumpRevision(tx, TAGGABLE[collection].table as Table, row, {});
      }
    });
  }

  /** Removes one tag (TagNotFound when absent) or, with `tag` null, all of them. */
  async remove(
    ctx: RequestContext,
    collection: TaggableCollection,
    id: string,
    tag: string | null,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.owned(ctx, collection, id, tx, 'delete');
      let q = tx.deleteFrom('network_tags').where('resource_id', '=', id);
      if (tag !== null) q = q.where('tag', '=', tag);
      const result = await q.executeTakeFirst();
      const removed = Number(result.numDeletedRows);
      if (removed === 0 && tag !== null) throw tagNotFound(tag);
      if (removed > 0) await bumpRevision(tx, TAGGABLE[collection].table as Table, row, {});
    });
  }

  /** Inserts tags not yet there; true when any was new. */
  private async insert(tx: Db, id: string, tags: readonly string[]): Promise<boolean> {
    if (tags.length === 0) return false;
    let added = 0;
    for (let i = 0; i < tags.length; i += 400) {
      const result = await tx
        .insertInto('network_tags')
        .values(tags.slice(i, i + 400).map((tag) => ({ resource_id: id, tag })))
        .onConflict((oc) => oc.columns(['resource_id', 'tag']).doNothing())
        .executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return added > 0;
  }
}
