import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { SubnetRow } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { conflict, invalidInput, NeutronFault, notFound } from './errors.js';
import {
  contains,
  formatAddress,
  formatCidr,
  overlaps,
  parseAddress,
  parseCidr,
  usableRange,
  type Cidr,
  type IpVersion,
} from './ip.js';
import { setPools, type Pool } from './ipam.js';
import { listRows, tagsOf, type ListQuery, type Page, type TableSpec } from './listing.js';
import type { Networks } from './networks.js';
import { checkQuota } from './quotas.js';
import { bumpRevision, type Standard } from './standard.js';

export interface HostRoute {
  destination: string;
  nexthop: string;
}

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

/** A create, converted and validated attribute by attribute; the subnet as a whole is checked here. */
export interface SubnetInput {
  network_id?: string;
  name?: string;
  description?: string;
  ip_version?: IpVersion;
  cidr?: string;
  /** undefined: the first address; null: no gateway. */
  gateway_ip?: string | null;
  allocation_pools?: { start: string; end: string }[];
  enable_dhcp?: boolean;
  dns_nameservers?: string[];
  host_routes?: HostRoute[];
  ipv6_ra_mode?: string | null;
  ipv6_address_mode?: string | null;
  subnetpool_id?: string | null;
  service_types?: string[];
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

/** IPRange's str(), as Neutron's pool texts print it. */
function poolText(p: Pool, version: IpVersion): string {
  return `${formatAddress({ version, value: p.first })}-${formatAddress({ version, value: p.last })}`;
}

/** The pools a create or update asks for, checked against the CIDR and each other. */
function checkPools(cidr: Cidr, pools: { start: string; end: string }[]): Pool[] {
  const out: Pool[] = [];
  const text = formatCidr(cidr);
  for (const p of pools) {
    const start = parseAddress(p.start);
    const end = parseAddress(p.end);
    const pool = `${p.start}-${p.end}`;
    if (!start || !end || start.version !== end.version || start.value > end.value) {
      throw new NeutronFault(
        400,
        'InvalidAllocationPool',
        `The allocation pool ${pool} is not valid.`,
      );
    }
    if (!contains(cidr, start) || !contains(cidr, end)) {
      throw new NeutronFault(
        400,
        'OutOfBoundsAllocationPool',
        `The allocation pool ${pool} spans beyond the subnet cidr ${text}.`,
      );
    }
    out.push({ first: start.value, last: end.value });
  }
  const sorted = [...out].sort((a, b) => (a.first < b.first ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.first <= sorted[i - 1]!.last) {
      const [a, b] = [poolText(sorted[i - 1]!, cidr.version), poolText(sorted[i]!, cidr.version)];
      throw new NeutronFault(
        400,
        'OverlappingAllocationPools',
        `Found overlapping allocation pools: ${a} and ${b} for subnet ${text}.`,
      );
    }
  }
  return out;
}

/** The default pool: the usable addresses minus the gateway (which splits it if inside). */
function defaultPools(cidr: Cidr, gateway: bigint | null): Pool[] {
  const { first, last } = usableRange(cidr);
  if (first > last) return [];
  if (gateway === null || gateway < first || gateway > last) return [{ first, last }];
  return [
    ...(gateway > first ? [{ first, last: gateway - 1n }] : []),
    ...(gateway < last ? [{ first: gateway + 1n, last }] : []),
  ];
}

export class Subnets {
  constructor(
    private readonly db: Db,
    private readonly networks: Networks,
  ) {}

  private async withRelations(rows: SubnetRow[]): Promise<Subnet[]> {
    const ids = rows.map((r) => r.id);
    const tags = await tagsOf(this.db, ids);
    const pools = new Map<string, { start: string; end: string }[]>(ids.map((id) => [id, []]));
    if (ids.length > 0) {
      const found = await this.db
        .selectFrom('subnet_allocation_pools')
        .select(['subnet_id', 'first_ip', 'last_ip'])
        .where('subnet_id', 'in', ids)
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

  /** A subnet the caller may see: its own, or one on a network it may see (shared). */
  async row(ctx: RequestContext, id: string, db: Db = this.db): Promise<SubnetRow> {
    const row = await db.selectFrom('subnets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('subnet', id);
    if (!ctx.isAdmin && row.project_id !== ctx.projectId) {
      await this.networks.row(ctx, row.network_id, db).catch(() => {
        throw notFound('subnet', id);
      });
    }
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<Subnet> {
    return (await this.withRelations([await this.row(ctx, id)]))[0]!;
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<Page<Subnet>> {
    const scope = ctx.isAdmin
      ? null
      : sql`(t.project_id = ${ctx.projectId ?? ''} or t.network_id in (select id from networks where shared = 1 or external = 1))`;
    const page = await listRows<SubnetRow>(this.db, SUBNET_TABLE, query, scope);
    return { rows: await this.withRelations(page.rows), more: page.more };
  }

  async create(ctx: RequestContext, projectId: string, input: SubnetInput): Promise<Subnet> {
    const id = randomUUID();
    await this.db.transaction().execute(async (tx) => {
      const network = await this.networks.row(ctx, input.network_id ?? '', tx);
      if (!ctx.isAdmin && network.project_id !== ctx.projectId && !network.shared) {
        throw notFound('network', network.id);
      }
      const cidr = parseCidr(input.cidr);
      if (!cidr) throw invalidInput('A cidr must be specified in the absence of a subnet pool');
      const version = input.ip_version ?? cidr.version;
      if (cidr.version !== version) {
        throw invalidInput('Cidr and IP version mismatch');
      }
      const siblings = await tx
        .selectFrom('subnets')
        .select(['cidr'])
        .where('network_id', '=', network.id)
        .execute();
      for (const s of siblings) {
        if (overlaps(cidr, parseCidr(s.cidr)!)) {
          throw invalidInput(
            `Requested subnet with cidr: ${formatCidr(cidr)} for network: ${network.id} overlaps with another subnet`,
          );
        }
      }
      let gateway: bigint | null = null;
      if (input.gateway_ip === undefined) {
        gateway = usableRange(cidr).first;
      } else if (input.gateway_ip !== null) {
        const g = parseAddress(input.gateway_ip)!;
        if (g.version !== version)
          throw invalidInput(`Gateway IP version inconsistent with allocation pool version`);
        gateway = g.value;
      }
      const pools = input.allocation_pools
        ? checkPools(cidr, input.allocation_pools)
        : defaultPools(cidr, gateway);
      if (gateway !== null) {
        for (const p of pools) {
          if (gateway >= p.first && gateway <= p.last) {
            throw conflict(
              'GatewayConflictWithAllocationPools',
              `Gateway ip ${formatAddress({ version, value: gateway })} conflicts with allocation pool ${poolText(p, version)}`,
            );
          }
        }
      }
      await checkQuota(tx, projectId, 'subnet');
      const now = isoNow();
      await tx
        .insertInto('subnets')
        .values({
          id,
          project_id: projectId,
          network_id: network.id,
          name: input.name ?? '',
          description: input.description ?? '',
          ip_version: version,
          cidr: formatCidr(cidr),
          gateway_ip: gateway === null ? null : formatAddress({ version, value: gateway }),
          enable_dhcp: input.enable_dhcp === false ? 0 : 1,
          ipv6_ra_mode: input.ipv6_ra_mode ?? null,
          ipv6_address_mode: input.ipv6_address_mode ?? null,
          subnetpool_id: input.subnetpool_id ?? null,
          dns_nameservers: JSON.stringify(input.dns_nameservers ?? []),
          host_routes: JSON.stringify(input.host_routes ?? []),
          service_types: JSON.stringify(input.service_types ?? []),
          revision_number: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await setPools(tx, id, version, pools);
      await bumpRevision(tx, 'networks', network, {});
    });
    return this.get(ctx, id);
  }

  async update(
    ctx: RequestContext,
    id: string,
    input: SubnetInput,
    ifMatch?: number,
  ): Promise<Subnet> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      if (!ctx.isAdmin && row.project_id !== ctx.projectId) throw notFound('subnet', id);
      const set: Partial<SubnetRow> = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.description !== undefined) set.description = input.description;
      if (input.enable_dhcp !== undefined) set.enable_dhcp = input.enable_dhcp ? 1 : 0;
      if (input.dns_nameservers !== undefined) {
        set.dns_nameservers = JSON.stringify(input.dns_nameservers);
      }
      if (input.host_routes !== undefined) set.host_routes = JSON.stringify(input.host_routes);
      const cidr = parseCidr(row.cidr)!;
      if (input.gateway_ip !== undefined) {
        set.gateway_ip =
          input.gateway_ip === null ? null : formatAddress(parseAddress(input.gateway_ip)!);
      }
      if (input.allocation_pools !== undefined) {
        await setPools(tx, id, cidr.version, checkPools(cidr, input.allocation_pools));
      }
      await bumpRevision(tx, 'subnets', row, set, ifMatch);
    });
    return this.get(ctx, id);
  }

  /** Deletes a subnet unless a port other than the network's own holds an address on it. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      if (!ctx.isAdmin && row.project_id !== ctx.projectId) throw notFound('subnet', id);
      const used = await tx
        .selectFrom('ip_allocations as a')
        .innerJoin('ports as p', 'p.id', 'a.port_id')
        .select('p.id')
        .where('a.subnet_id', '=', id)
        .where('p.device_owner', '!=', 'network:dhcp')
        .limit(1)
        .executeTakeFirst();
      if (used) {
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
