import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { SubnetPoolRow } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { invalidInput, NeutronFault, notFound } from './errors.js';
import { parseCidr, type IpVersion } from './ip.js';
import { mergeRanges, rangeOf, subtractRanges } from './ip-ranges.js';
import { readPool } from './subnetpool-alloc.js';
import { listRows, tagsOf, type ListQuery, type Page, type TableSpec } from './listing.js';
import { checkQuota } from './quotas.js';
import { bumpRevision, type Standard } from './standard.js';

/** A subnet pool (Neutron's subnet_allocation extension). */
export interface SubnetPool extends Standard {
  name: string;
  ip_version: IpVersion;
  prefixes: string[];
  default_prefixlen: number;
  min_prefixlen: number;
  max_prefixlen: number;
  shared: boolean;
  is_default: boolean;
  default_quota: number | null;
  address_scope_id: string | null;
}

export interface SubnetPoolInput {
  name?: string;
  description?: string;
  prefixes?: string[];
  default_prefixlen?: number;
  min_prefixlen?: number;
  max_prefixlen?: number;
  shared?: boolean;
  is_default?: boolean;
  default_quota?: number | null;
}

export const SUBNETPOOL_TABLE: TableSpec = {
  table: 'subnetpools',
  resource: 'subnetpool',
  columns: {
    id: { column: 'id' },
    name: { column: 'name' },
    description: { column: 'description' },
    project_id: { column: 'project_id' },
    tenant_id: { column: 'project_id' },
    ip_version: { column: 'ip_version' },
    default_prefixlen: { column: 'default_prefixlen' },
    min_prefixlen: { column: 'min_prefixlen' },
    max_prefixlen: { column: 'max_prefixlen' },
    default_quota: { column: 'default_quota' },
    shared: { column: 'shared', bool: true },
    is_default: { column: 'is_default', bool: true },
    address_scope_id: { column: 'address_scope_id' },
    revision_number: { column: 'revision_number' },
    created_at: { column: 'created_at' },
    updated_at: { column: 'updated_at' },
  },
};

function toPool(r: SubnetPoolRow, tags: string[]): SubnetPool {
  return {
    ...r,
    ip_version: r.ip_version as IpVersion,
    prefixes: JSON.parse(r.prefixes) as string[],
    shared: r.shared === 1,
    is_default: r.is_default === 1,
    tags,
  };
}

export class SubnetPools {
  constructor(private readonly db: Db) {}

  private visibleTo(ctx: RequestContext, r: SubnetPoolRow): boolean {
    return ctx.isAdmin || r.project_id === ctx.projectId || r.shared === 1;
  }

  /** A pool the caller may see: its own, or a shared one. */
  async row(ctx: RequestContext, id: string, db: Db = this.db): Promise<SubnetPoolRow> {
    const r = await db
      .selectFrom('subnetpools')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r || !this.visibleTo(ctx, r)) throw notFound('subnetpool', id);
    return r;
  }

  /** A pool the caller may change: visible but not its own is Neutron's 403. */
  private async ownRow(ctx: RequestContext, id: string, action: string, db: Db) {
    const r = await this.row(ctx, id, db);
    if (!ctx.isAdmin && r.project_id !== ctx.projectId) {
      throw new NeutronFault(403, 'PolicyNotAuthorized', `rule:${action} is disallowed by policy`);
    }
    return r;
  }

  async get(ctx: RequestContext, id: string): Promise<SubnetPool> {
    const r = await this.row(ctx, id);
    return toPool(r, (await tagsOf(this.db, [id])).get(id)!);
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<Page<SubnetPool>> {
    const scope = ctx.isAdmin ? null : sql`(t.project_id = ${ctx.projectId ?? ''} or t.shared = 1)`;
    const page = await listRows<SubnetPoolRow>(this.db, SUBNETPOOL_TABLE, query, scope);
    const tags = await tagsOf(
      this.db,
      page.rows.map((r) => r.id),
    );
    return { rows: page.rows.map((r) => toPool(r, tags.get(r.id)!)) };
  }

  /** The default pool of a version the caller may use (use_default_subnetpool). */
  async defaultPool(ctx: RequestContext, version: number, db: Db): Promise<SubnetPoolRow | null> {
    const rows = await db
      .selectFrom('subnetpools')
      .selectAll()
      .where('is_default', '=', 1)
      .where('ip_version', '=', version)
      .execute();
    return rows.find((r) => this.visibleTo(ctx, r)) ?? null;
  }

  private async checkNoDefault(tx: Db, version: number, except = ''): Promise<void> {
    const found = await tx
      .selectFrom('subnetpools')
      .select('id')
      .where('is_default', '=', 1)
      .where('ip_version', '=', version)
      .where('id', '!=', except)
      .executeTakeFirst();
    if (found) {
      throw invalidInput(
        'A default subnetpool for this IP family has already been set. Only one default may exist per IP family',
      );
    }
  }

  async create(
    ctx: RequestContext,
    projectId: string,
    input: SubnetPoolInput,
  ): Promise<SubnetPool> {
    const read = readPool({ ...input, prefixes: input.prefixes ?? [] });
    const id = randomUUID();
    await this.db.transaction().execute(async (tx) => {
      if (input.is_default) await this.checkNoDefault(tx, read.ip_version);
      await checkQuota(tx, projectId, 'subnetpool');
      const now = isoNow();
      await tx
        .insertInto('subnetpools')
        .values({
          id,
          project_id: projectId,
          name: input.name ?? '',
          description: input.description ?? '',
          ip_version: read.ip_version,
          prefixes: JSON.stringify(read.prefixes),
          default_prefixlen: read.dflt,
          min_prefixlen: read.min,
          max_prefixlen: read.max,
          shared: input.shared ? 1 : 0,
          is_default: input.is_default ? 1 : 0,
          default_quota: input.default_quota ?? null,
          address_scope_id: null,
          revision_number: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
    return this.get(ctx, id);
  }

  async update(
    ctx: RequestContext,
    id: string,
    input: SubnetPoolInput,
    ifMatch?: number,
  ): Promise<SubnetPool> {
    await this.db.transaction().execute(async (tx) => {
      const r = await this.ownRow(ctx, id, 'update_subnetpool', tx);
      const old: string[] = JSON.parse(r.prefixes) as string[];
      let prefixes = old;
      if (input.prefixes !== undefined) {
        const have = mergeRanges(old.map((t) => rangeOf(parseCidr(t)!)));
        const given = input.prefixes.map((t) => parseCidr(t)!);
        const inNew = given.every((c) => c.version === r.ip_version)
          ? mergeRanges(given.map(rangeOf))
          : [];
        if (subtractRanges(have, inNew).length > 0) {
          throw new NeutronFault(
            400,
            'IllegalSubnetPoolPrefixUpdate',
            'Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes.',
          );
        }
        prefixes = input.prefixes;
      }
      const read = readPool({
        prefixes,
        min_prefixlen: input.min_prefixlen ?? r.min_prefixlen,
        max_prefixlen: input.max_prefixlen ?? r.max_prefixlen,
        default_prefixlen: input.default_prefixlen ?? r.default_prefixlen,
      });
      if (input.is_default && r.is_default !== 1) await this.checkNoDefault(tx, r.ip_version, id);
      const set: Partial<SubnetPoolRow> = {
        prefixes: JSON.stringify(read.prefixes),
        min_prefixlen: read.min,
        max_prefixlen: read.max,
        default_prefixlen: read.dflt,
      };
      if (input.name !== undefined) set.name = input.name;
      if (input.description !== undefined) set.description = input.description;
      if (input.is_default !== undefined) set.is_default = input.is_default ? 1 : 0;
      if (input.default_quota !== undefined) set.default_quota = input.default_quota;
      await bumpRevision(tx, 'subnetpools', r, set, ifMatch);
    });
    return this.get(ctx, id);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await this.ownRow(ctx, id, 'delete_subnetpool', tx);
      const used = await tx
        .selectFrom('subnets')
        .select('id')
        .where('subnetpool_id', '=', id)
        .executeTakeFirst();
      if (used) {
        throw new NeutronFault(
          400,
          'SubnetPoolDeleteError',
          'Unable to delete subnet pool: Subnet pool has existing allocations.',
        );
      }
      await tx.deleteFrom('network_tags').where('resource_id', '=', id).execute();
      await tx.deleteFrom('subnetpools').where('id', '=', id).execute();
    });
  }
}
