import { sql } from 'kysely';
import { AUTO_DELETE_PORT_OWNERS, ROUTER_INTERFACE_OWNERS } from './device-owners.js';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { NetworkRow, SubnetRow } from '../../store/network-schema.js';
import { conflict, NeutronFault, notFound } from './errors.js';
import type { IpVersion } from './ip.js';
import { isAutoAddress } from './ipam-auto.js';
import { listRows, tagsOf, type ListQuery, type Page, type TableSpec } from './listing.js';
import type { Networks } from './networks.js';
import type { Standard } from './standard.js';
import { insertSubnet, type SubnetInput } from './subnet-create.js';
import { updateSubnet } from './subnet-update.js';
import type { HostRoute } from './subnet-rules.js';
import type { SubnetPools } from './subnetpools.js';

export type { HostRoute } from './subnet-rules.js';
export type { SubnetInput } from './subnet-create.js';

export interface Subnet extends Standard {
  network_id: string;
  name: string;
  ip_version: IpVersion;
  cidr: string;
  gateway_ip: string | null;
  enable_dhcp: boolean;
  ipv6_ra_mode: string | null;
  ipv6_address_mode: string | null;
  subnetpool_id: string | null;
  dns_nameservers: string[];
  host_routes: HostRoute[];
  service_types: string[];
  allocation_pools: { start: string; end: string }[];
}

export const SUBNET_TABLE: TableSpec = {
  table: 'subnets',
  resource: 'subnet',
  columns: {
    id: { column: 'id' },
    name: { column: 'name' },
    description: { column: 'description' },
    project_id: { column: 'project_id' },
    tenant_id: { column: 'project_id' },
    network_id: { column: 'network_id' },
    ip_version: { column: 'ip_version' },
    cidr: { column: 'cidr' },
    gateway_ip: { column: 'gateway_ip' },
    enable_dhcp: { column: 'enable_dhcp', bool: true },
    ipv6_ra_mode: { column: 'ipv6_ra_mode' },
    ipv6_address_mode: { column: 'ipv6_address_mode' },
    subnetpool_id: { column: 'subnetpool_id' },
    revision_number: { column: 'revision_number' },
    created_at: { column: 'created_at' },
    updated_at: { column: 'updated_at' },
  },
};

function forbidden(action: string): NeutronFault {
  return new NeutronFault(403, 'PolicyNotAuthorized', `rule:${action} is disallowed by policy`);
}

export class Subnets {
  constructor(
    private readonly db: Db,
    private readonly networks: Networks,
    private readonly pools: SubnetPools,
  ) {}

  private async withRelations(rows: SubnetRow[]): Promise<Subnet[]> {
    const ids = rows.map((r) => r.id);
    const tags = await tagsOf(this.db, ids);
    const pools = new Map<string, { start: string; end: string }[]>(ids.map((id) => [id, []]));
    for (let i = 0; i < ids.length; i += 500) {
      const found = await this.db
        .selectFrom('subnet_allocation_pools')
        .select(['subnet_id', 'first_ip', 'last_ip'])
        .where('subnet_id', 'in', ids.slice(i, i + 500))
        .orderBy('first_key')
        .execute();
      for (const p of found) pools.get(p.subnet_id)?.push({ start: p.first_ip, end: p.last_ip });
    }
    return rows.map((r) => ({
      ...r,
      ip_version: r.ip_version as IpVersion,
      enable_dhcp: r.enable_dhcp === 1,
      dns_nameservers: JSON.parse(r.dns_nameservers) as string[],
      host_routes: JSON.parse(r.host_routes) as HostRoute[],
      service_types: JSON.parse(r.service_types) as string[],
      allocation_pools: pools.get(r.id)!,
      tags: tags.get(r.id)!,
    }));
  }

  /**
   * A subnet the caller may see: its own, or one on a shared network. A member sees an
   * external network but not its subnets unless it is also shared, as in Neutron (external
   * access does not extend to subnets).
   */
  async row(ctx: RequestContext, id: string, db: Db = this.db): Promise<SubnetRow> {
    const row = await db.selectFrom('subnets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('subnet', id);
    if (ctx.isAdmin || row.project_id === ctx.projectId) return row;
    const net = await db
      .selectFrom('networks')
      .select('shared')
      .where('id', '=', row.network_id)
      .executeTakeFirst();
    if (!net?.shared) throw notFound('subnet', id);
    return row;
  }

  /** A subnet the caller may change: its own or its network owner's (Neutron's policy). */
  private async ownRow(ctx: RequestContext, id: string, action: string, db: Db) {
    const row = await this.row(ctx, id, db);
    if (ctx.isAdmin || row.project_id === ctx.projectId) return row;
    const net = await db
      .selectFrom('networks')
      .select('project_id')
      .where('id', '=', row.network_id)
      .executeTakeFirst();
    if (net?.project_id !== ctx.projectId) throw forbidden(action);
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<Subnet> {
    return (await this.withRelations([await this.row(ctx, id)]))[0]!;
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<Page<Subnet>> {
    const scope = ctx.isAdmin
      ? null
      : sql`(t.project_id = ${ctx.projectId ?? ''} or t.network_id in (select id from networks where shared = 1))`;
    // `shared` is a filter but not a column: a subnet is shared when its network is.
    const shared = (query.filters.get('shared') ?? []).map((v) => (v ? 1 : 0));
    const where = shared.length
      ? [sql`t.network_id in (select id from networks where shared in (${sql.join(shared)}))`]
      : [];
    const page = await listRows<SubnetRow>(this.db, SUBNET_TABLE, query, scope, where);
    return { rows: await this.withRelations(page.rows) };
  }

  /**
   * The network a caller may add a subnet to: one it cannot see is not found (Neutron's
   * ownership hook); one it sees but does not own is the hook's 403 for an external network
   * and create_subnet's policy (admin or network owner) for a shared one.
   */
  private async networkFor(ctx: RequestContext, id: string, db: Db): Promise<NetworkRow> {
    const network = await this.networks.row(ctx, id, db);
    if (ctx.isAdmin || network.project_id === ctx.projectId) return network;
    if (!network.shared) {
      throw new NeutronFault(
        403,
        'HTTPForbidden',
        `Tenant ${ctx.projectId ?? ''} not allowed to create subnet on this network`,
      );
    }
    throw forbidden('create_subnet');
  }

  async create(ctx: RequestContext, projectId: string, input: SubnetInput): Promise<Subnet> {
    return (await this.createBulk(ctx, [{ projectId, input }]))[0]!;
  }

  /** Creates subnets in one transaction (Neutron's bulk create): all of them or none. */
  async createBulk(
    ctx: RequestContext,
    items: { projectId: string; input: SubnetInput }[],
  ): Promise<Subnet[]> {
    const ids = await this.db.transaction().execute(async (tx) => {
      const out: string[] = [];
      for (const { projectId, input } of items) {
        const network = await this.networkFor(ctx, input.network_id ?? '', tx);
        out.push(await insertSubnet(tx, ctx, this.pools, network, projectId, input));
      }
      return out;
    });
    const rows = await this.db.selectFrom('subnets').selectAll().where('id', 'in', ids).execute();
    const byId = new Map((await this.withRelations(rows)).map((s) => [s.id, s]));
    return ids.map((id) => byId.get(id)!);
  }

  async update(
    ctx: RequestContext,
    id: string,
    input: SubnetInput,
    ifMatch?: number,
  ): Promise<Subnet> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.ownRow(ctx, id, 'update_subnet', tx);
      await updateSubnet(tx, row, input, ifMatch);
    });
    return this.get(ctx, id);
  }

  /**
   * Deletes a subnet unless a router interface, or (on a subnet whose addresses are not
   * automatic) a port other than the network's own, holds an address on it. Ports on an
   * SLAAC or DHCPv6-stateless subnet simply lose that address, as in Neutron.
   */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.ownRow(ctx, id, 'delete_subnet', tx);
      const holders = tx
        .selectFrom('ip_allocations as a')
        .innerJoin('ports as p', 'p.id', 'a.port_id')
        .select('p.id')
        .where('a.subnet_id', '=', id);
      const router = await holders
        .where('p.device_owner', 'in', ROUTER_INTERFACE_OWNERS)
        .executeTakeFirst();
      const user = isAutoAddress(row)
        ? undefined
        : await holders
            .where('p.device_owner', 'not in', AUTO_DELETE_PORT_OWNERS)
            .executeTakeFirst();
      if (router || user) {
        throw conflict(
          'SubnetInUse',
          `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`,
        );
      }
      await tx.deleteFrom('ip_allocations').where('subnet_id', '=', id).execute();
      await tx.deleteFrom('ip_free_ranges').where('subnet_id', '=', id).execute();
      await tx.deleteFrom('subnet_allocation_pools').where('subnet_id', '=', id).execute();
      await tx.deleteFrom('network_tags').where('resource_id', '=', id).execute();
      await tx.deleteFrom('subnets').where('id', '=', id).execute();
    });
  }
}
