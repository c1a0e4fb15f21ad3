import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { NetworkRow } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { AUTO_DELETE_PORT_OWNERS } from './device-owners.js';
import { conflict, notFound } from './errors.js';
import { deleteDisassociatedFloatingIps } from './floating-ips.js';
import { listRows, tagsOf, type ListQuery, type Page, type TableSpec } from './listing.js';
import { checkQuota } from './quotas.js';
import { bumpRevision, type Standard } from './standard.js';

/** A network as the domain hands it out; `subnets` and `tags` are read with it. */
export interface Network extends Standard {
  name: string;
  admin_state_up: boolean;
  status: string;
  shared: boolean;
  external: boolean;
  is_default: boolean;
  mtu: number;
  port_security_enabled: boolean;
  network_type: string | null;
  physical_network: string | null;
  segmentation_id: number | null;
  availability_zone_hints: string[];
  dns_domain: string;
  subnets: string[];
}

export interface NetworkInput {
  name?: string;
  description?: string;
  admin_state_up?: boolean;
  shared?: boolean;
  external?: boolean;
  is_default?: boolean;
  mtu?: number;
  port_security_enabled?: boolean;
  network_type?: string | null;
  physical_network?: string | null;
  segmentation_id?: number | null;
  availability_zone_hints?: string[];
  dns_domain?: string;
}

/** DevStack's ML2/OVS tenant networks: VXLAN, whose overhead leaves an MTU of 1450. */
export const DEFAULT_MTU = 1450;

export const NETWORK_TABLE: TableSpec = {
  table: 'networks',
  resource: 'network',
  columns: {
    id: { column: 'id' },
    name: { column: 'name' },
    description: { column: 'description' },
    project_id: { column: 'project_id' },
    tenant_id: { column: 'project_id' },
    admin_state_up: { column: 'admin_state_up', bool: true },
    status: { column: 'status' },
    shared: { column: 'shared', bool: true },
    'router:external': { column: 'external', bool: true },
    is_default: { column: 'is_default', bool: true },
    mtu: { column: 'mtu' },
    dns_domain: { column: 'dns_domain' },
    port_security_enabled: { column: 'port_security_enabled', bool: true },
    'provider:network_type': { column: 'network_type' },
    'provider:physical_network': { column: 'physical_network' },
    'provider:segmentation_id': { column: 'segmentation_id' },
    revision_number: { column: 'revision_number' },
    created_at: { column: 'created_at' },
    updated_at: { column: 'updated_at' },
  },
};

function toNetwork(row: NetworkRow, subnets: string[], tags: string[]): Network {
  return {
    ...row,
    admin_state_up: row.admin_state_up === 1,
    shared: row.shared === 1,
    external: row.external === 1,
    is_default: row.is_default === 1,
    port_security_enabled: row.port_security_enabled === 1,
    availability_zone_hints: JSON.parse(row.az_hints) as string[],
    subnets,
    tags,
  };
}

/** Who sees a network: its project, and everyone for shared and external networks. */
export function networkScope(ctx: RequestContext) {
  if (ctx.isAdmin) return null;
  return sql`(t.project_id = ${ctx.projectId ?? ''} or t.shared = 1 or t.external = 1)`;
}

export class Networks {
  constructor(private readonly db: Db) {}

  private async withRelations(rows: NetworkRow[]): Promise<Network[]> {
    const ids = rows.map((r) => r.id);
    const tags = await tagsOf(this.db, ids);
    const subnets = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length > 0) {
      const found = await this.db
        .selectFrom('subnets')
        .select(['id', 'network_id'])
        .where('network_id', 'in', ids)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      for (const s of found) subnets.get(s.network_id)?.push(s.id);
    }
    return rows.map((r) => toNetwork(r, subnets.get(r.id)!, tags.get(r.id)!));
  }

  /** The row a caller may see, or NetworkNotFound (another project's network is not found). */
  async row(ctx: RequestContext, id: string, db: Db = this.db): Promise<NetworkRow> {
    const row = await db.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirst();
    const visible =
      row && (ctx.isAdmin || row.project_id === ctx.projectId || row.shared || row.external);
    if (!visible) throw notFound('network', id);
    return row;
  }

  /** A network the caller may change: its own (or any, for an admin). */
  async ownRow(ctx: RequestContext, id: string, db: Db = this.db): Promise<NetworkRow> {
    const row = await this.row(ctx, id, db);
    if (!ctx.isAdmin && row.project_id !== ctx.projectId) throw notFound('network', id);
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<Network> {
    return (await this.withRelations([await this.row(ctx, id)]))[0]!;
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<Page<Network>> {
    const page = await listRows<NetworkRow>(this.db, NETWORK_TABLE, query, networkScope(ctx));
    return { rows: await this.withRelations(page.rows) };
  }

  async create(ctx: RequestContext, projectId: string, input: NetworkInput): Promise<Network> {
    const now = isoNow();
    const id = randomUUID();
    await this.db.transaction().execute(async (tx) => {
      await checkQuota(tx, projectId, 'network');
      if (input.is_default) await this.clearDefault(tx, id);
      const segment = input.network_type === undefined ? await this.nextVxlan(tx) : null;
      await tx
        .insertInto('networks')
        .values({
          id,
          project_id: projectId,
          name: input.name ?? '',
          description: input.description ?? '',
          admin_state_up: input.admin_state_up === false ? 0 : 1,
          status: 'ACTIVE',
          shared: input.shared ? 1 : 0,
          external: input.external ? 1 : 0,
          is_default: input.is_default ? 1 : 0,
          mtu: input.mtu ?? DEFAULT_MTU,
          port_security_enabled: input.port_security_enabled === false ? 0 : 1,
          network_type: input.network_type ?? 'vxlan',
          physical_network: input.physical_network ?? null,
          segmentation_id: segment ?? input.segmentation_id ?? null,
          az_hints: JSON.stringify(input.availability_zone_hints ?? []),
          dns_domain: input.dns_domain ?? '',
          revision_number: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
    return this.get(ctx, id);
  }

  /** Only one network is the default external network (`is_default`). */
  private async clearDefault(tx: Db, except: string): Promise<void> {
    await tx
      .updateTable('networks')
      .set({ is_default: 0 })
      .where('is_default', '=', 1)
      .where('id', '!=', except)
      .execute();
  }

  private async nextVxlan(tx: Db): Promise<number> {
    const row = await tx
      .selectFrom('networks')
      .select((eb) => eb.fn.max('segmentation_id').as('max'))
      .where('network_type', '=', 'vxlan')
      .executeTakeFirst();
    return Number(row?.max ?? 0) + 1;
  }

  async update(
    ctx: RequestContext,
    id: string,
    input: NetworkInput,
    ifMatch?: number,
  ): Promise<Network> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.ownRow(ctx, id, tx);
      const set: Partial<NetworkRow> = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.description !== undefined) set.description = input.description;
      if (input.admin_state_up !== undefined) set.admin_state_up = input.admin_state_up ? 1 : 0;
      if (input.shared !== undefined) set.shared = input.shared ? 1 : 0;
      if (input.external !== undefined) set.external = input.external ? 1 : 0;
      if (input.mtu !== undefined) set.mtu = input.mtu;
      if (input.dns_domain !== undefined) set.dns_domain = input.dns_domain;
      if (input.port_security_enabled !== undefined) {
        set.port_security_enabled = input.port_security_enabled ? 1 : 0;
      }
      if (input.is_default !== undefined) {
        if (input.is_default) await this.clearDefault(tx, id);
        set.is_default = input.is_default ? 1 : 0;
      }
      await bumpRevision(tx, 'networks', row, set, ifMatch);
    });
    return this.get(ctx, id);
  }

  /**
   * Deletes a network and its subnets, unless a port other than the network's own (DHCP) is
   * still on it: the check and the delete are one transaction.
   */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const network = await this.ownRow(ctx, id, tx);
      if (network.external === 1) await deleteDisassociatedFloatingIps(tx, id);
      const used = await tx
        .selectFrom('ports')
        .select('id')
        .where('network_id', '=', id)
        .where('device_owner', 'not in', AUTO_DELETE_PORT_OWNERS)
        .orderBy('id')
        .execute();
      if (used.length > 0) {
        throw conflict(
          'NetworkInUse',
          `Unable to complete operation on network ${id}. There are one or more ports still in use on the network, id for these ports is: ${used.map((p) => p.id).join(',')}.`,
        );
      }
      const subnets = tx.selectFrom('subnets').select('id').where('network_id', '=', id);
      const ports = tx.selectFrom('ports').select('id').where('network_id', '=', id);
      await tx.deleteFrom('ip_allocations').where('network_id', '=', id).execute();
      await tx.deleteFrom('ip_free_ranges').where('subnet_id', 'in', subnets).execute();
      await tx.deleteFrom('subnet_allocation_pools').where('subnet_id', 'in', subnets).execute();
      await tx.deleteFrom('network_tags').where('resource_id', 'in', subnets).execute();
      await tx.deleteFrom('port_security_groups').where('port_id', 'in', ports).execute();
      await tx.deleteFrom('ports').where('network_id', '=', id).execute();
      await tx.deleteFrom('subnets').where('network_id', '=', id).execute();
      await tx.deleteFrom('network_tags').where('resource_id', '=', id).execute();
      await tx.deleteFrom('networks').where('id', '=', id).execute();
    });
  }
}
