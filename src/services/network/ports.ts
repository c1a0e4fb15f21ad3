import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { NetworkRow, PortRow } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { conflict, invalidInput, NeutronFault, notFound } from './errors.js';
import { contains, parseAddress, parseCidr } from './ip.js';
import { allocateAddress, allocateNext, fixedIpsOf, releasePort } from './ipam.js';
import { allocateEui64, isAutoAddress } from './ipam-auto.js';
import { listRows, tagsOf, type ListQuery, type Page, type TableSpec } from './listing.js';
import type { Networks } from './networks.js';
import { checkQuota } from './quotas.js';
import { bumpRevision, type Standard } from './standard.js';
import { setPortGroups } from './port-security-groups.js';
import type { SecurityGroups } from './security-groups.js';

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export interface Port extends Standard {
  network_id: string;
  name: string;
  mac_address: string;
  admin_state_up: boolean;
  status: string;
  device_id: string;
  device_owner: string;
  port_security_enabled: boolean;
  binding_host_id: string;
  binding_vnic_type: string;
  binding_vif_type: string;
  binding_profile: Record<string, unknown>;
  binding_vif_details: Record<string, unknown>;
  allowed_address_pairs: { ip_address: string; mac_address: string }[];
  extra_dhcp_opts: unknown[];
  dns_name: string;
  fixed_ips: FixedIp[];
  security_groups: string[];
}

/** A requested fixed IP: a subnet, an address, or both. */
export interface FixedIpRequest {
  subnet_id?: string;
  ip_address?: string;
}

export interface PortInput {
  network_id?: string;
  name?: string;
  description?: string;
  admin_state_up?: boolean;
  mac_address?: string;
  /** undefined: one address from each IPv4 subnet (and the first IPv6 one), as Neutron does. */
  fixed_ips?: FixedIpRequest[];
  device_id?: string;
  device_owner?: string;
  security_groups?: string[];
  port_security_enabled?: boolean;
  binding_host_id?: string;
  binding_vnic_type?: string;
  binding_profile?: Record<string, unknown>;
  allowed_address_pairs?: { ip_address: string; mac_address?: string }[];
  extra_dhcp_opts?: unknown[];
  dns_name?: string;
}

export const PORT_TABLE: TableSpec = {
  table: 'ports',
  resource: 'port',
  columns: {
    id: { column: 'id' },
    name: { column: 'name' },
    description: { column: 'description' },
    project_id: { column: 'project_id' },
    tenant_id: { column: 'project_id' },
    network_id: { column: 'network_id' },
    mac_address: { column: 'mac_address' },
    admin_state_up: { column: 'admin_state_up', bool: true },
    status: { column: 'status' },
    device_id: { column: 'device_id' },
    device_owner: { column: 'device_owner' },
    port_security_enabled: { column: 'port_security_enabled', bool: true },
    'binding:host_id': { column: 'binding_host_id' },
    'binding:vnic_type': { column: 'binding_vnic_type' },
    dns_name: { column: 'dns_name' },
    revision_number: { column: 'revision_number' },
    created_at: { column: 'created_at' },
    updated_at: { column: 'updated_at' },
  },
};

/** OpenStack's base MAC, fa:16:3e, and three random octets. */
export function randomMac(): string {
  const tail = [...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0'));
  return ['fa', '16', '3e', ...tail].join(':');
}

function macInUse(mac: string, networkId: string): NeutronFault {
  return conflict(
    'MacAddressInUse',
    `Unable to complete operation for network ${networkId}. The mac address ${mac} is in use.`,
  );
}

export class Ports {
  constructor(
    private readonly db: Db,
    private readonly networks: Networks,
    private readonly groups: SecurityGroups,
  ) {}

  private async withRelations(rows: PortRow[]): Promise<Port[]> {
    const ids = rows.map((r) => r.id);
    const [tags, ips] = await Promise.all([tagsOf(this.db, ids), fixedIpsOf(this.db, ids)]);
    const groups = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (let i = 0; i < ids.length; i += 500) {
      const found = await this.db
        .selectFrom('port_security_groups')
        .select(['port_id', 'security_group_id'])
        .where('port_id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const g of found) groups.get(g.port_id)?.push(g.security_group_id);
    }
    return rows.map((r) => ({
      ...r,
      admin_state_up: r.admin_state_up === 1,
      port_security_enabled: r.port_security_enabled === 1,
      binding_profile: JSON.parse(r.binding_profile) as Record<string, unknown>,
      binding_vif_details: JSON.parse(r.binding_vif_details) as Record<string, unknown>,
      allowed_address_pairs: JSON.parse(r.allowed_address_pairs) as Port['allowed_address_pairs'],
      extra_dhcp_opts: JSON.parse(r.extra_dhcp_opts) as unknown[],
      fixed_ips: ips.get(r.id)!,
      security_groups: groups.get(r.id)!,
      tags: tags.get(r.id)!,
    }));
  }

  /** A port the caller may see: its project's, or any for an admin. */
  async row(ctx: RequestContext, id: string, db: Db = this.db): Promise<PortRow> {
    const row = await db.selectFrom('ports').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) throw notFound('port', id);
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<Port> {
    return (await this.withRelations([await this.row(ctx, id)]))[0]!;
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<Page<Port>> {
    const scope = ctx.isAdmin ? null : sql`t.project_id = ${ctx.projectId ?? ''}`;
    const page = await listRows<PortRow>(this.db, PORT_TABLE, query, scope);
    return { rows: await this.withRelations(page.rows), more: page.more };
  }

  /**
   * Creates a port and allocates its addresses in one transaction: either the port exists with
   * every address it asked for, or nothing is written.
   */
  async create(ctx: RequestContext, projectId: string, input: PortInput): Promise<Port> {
    const id = await this.db.transaction().execute(async (tx) => {
      const network = await this.networks.row(ctx, input.network_id ?? '', tx);
      return this.insert(tx, network, projectId, input);
    });
    return this.get(ctx, id);
  }

  /**
   * Writes a port, its addresses and its groups inside the caller's transaction, for the port
   * API and for the ports other resources own (router interfaces and gateways, floating IPs).
   */
  async insert(tx: Db, network: NetworkRow, projectId: string, input: PortInput): Promise<string> {
    const id = randomUUID();
    await checkQuota(tx, projectId, 'port');
    const mac = input.mac_address?.toLowerCase() ?? randomMac();
    const clash = await tx
      .selectFrom('ports')
      .select('id')
      .where('network_id', '=', network.id)
      .where('mac_address', '=', mac)
      .executeTakeFirst();
    if (clash) throw macInUse(mac, network.id);
    const now = isoNow();
    const row = {
      id,
      project_id: projectId,
      network_id: network.id,
      name: input.name ?? '',
      description: input.description ?? '',
      mac_address: mac,
      admin_state_up: input.admin_state_up === false ? 0 : 1,
      status: 'DOWN',
      device_id: input.device_id ?? '',
      device_owner: input.device_owner ?? '',
      port_security_enabled:
        (input.port_security_enabled ?? network.port_security_enabled === 1) ? 1 : 0,
      binding_host_id: input.binding_host_id ?? '',
      binding_vnic_type: input.binding_vnic_type ?? 'normal',
      binding_vif_type: 'unbound',
      binding_profile: JSON.stringify(input.binding_profile ?? {}),
      binding_vif_details: JSON.stringify({}),
      allowed_address_pairs: JSON.stringify(
        (input.allowed_address_pairs ?? []).map((p) => ({
          ip_address: p.ip_address,
          mac_address: p.mac_address ?? mac,
        })),
      ),
      extra_dhcp_opts: JSON.stringify(input.extra_dhcp_opts ?? []),
      dns_name: input.dns_name ?? '',
      revision_number: 0,
      created_at: now,
      updated_at: now,
    };
    await tx.insertInto('ports').values(row).execute();
    await this.allocate(tx, network, id, input.fixed_ips);
    await setPortGroups(tx, row, input.security_groups, (t, p) => this.groups.defaultGroup(t, p));
    return id;
  }

  /** Allocates the port's fixed IPs on its network's subnets. */
  async allocate(
    tx: Db,
    network: NetworkRow,
    portId: string,
    requests: FixedIpRequest[] | undefined,
  ): Promise<void> {
    const subnets = await tx
      .selectFrom('subnets')
      .select(['id', 'network_id', 'ip_version', 'cidr', 'ipv6_address_mode', 'ipv6_ra_mode'])
      .where('network_id', '=', network.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    if (requests === undefined) {
      // One address from every IPv4 subnet that has one free, as Neutron does on a port create
      // without fixed_ips; an exhausted subnet fails the create.
      for (const subnet of subnets) {
        if (isAutoAddress(subnet)) {
          await allocateEui64(tx, subnet, portId);
          continue;
        }
        if ((await allocateNext(tx, subnet, portId)) === null) throw exhausted(network.id);
      }
      return;
    }
    for (const req of requests) {
      const subnet = req.subnet_id
        ? subnets.find((s) => s.id === req.subnet_id)
        : subnets.find((s) => {
            const a = parseAddress(req.ip_address);
            return a !== null && contains(parseCidr(s.cidr)!, a);
          });
      if (!subnet) {
        if (req.subnet_id) throw notFound('subnet', req.subnet_id);
        throw invalidInput(
          `IP address ${req.ip_address ?? ''} is not a valid IP for any of the subnets on the specified network`,
        );
      }
      if (req.ip_address === undefined && isAutoAddress(subnet)) {
        await allocateEui64(tx, subnet, portId);
        continue;
      }
      if (req.ip_address === undefined) {
        if ((await allocateNext(tx, subnet, portId)) === null) throw exhausted(network.id);
        continue;
      }
      const address = parseAddress(req.ip_address);
      if (!address || !contains(parseCidr(subnet.cidr)!, address)) {
        throw invalidInput(
          `IP address ${req.ip_address} is not a valid IP for the specified subnet`,
        );
      }
      if (!(await allocateAddress(tx, subnet, address.value, portId))) {
        throw conflict(
          'IpAddressAlreadyAllocated',
          `IP address ${req.ip_address} already allocated in subnet ${subnet.id}`,
        );
      }
    }
  }

  async update(ctx: RequestContext, id: string, input: PortInput, ifMatch?: number): Promise<Port> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      const set: Partial<PortRow> = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.description !== undefined) set.description = input.description;
      if (input.admin_state_up !== undefined) set.admin_state_up = input.admin_state_up ? 1 : 0;
      if (input.device_id !== undefined) set.device_id = input.device_id;
      if (input.device_owner !== undefined) set.device_owner = input.device_owner;
      if (input.binding_host_id !== undefined) set.binding_host_id = input.binding_host_id;
      if (input.fixed_ips !== undefined) {
        const network = await this.networks.row(ctx, row.network_id, tx);
        await releasePort(tx, id);
        await this.allocate(tx, network, id, input.fixed_ips);
      }
      if (input.security_groups !== undefined) {
        await setPortGroups(tx, row, input.security_groups, (t, p) =>
          this.groups.defaultGroup(t, p),
        );
      }
      await bumpRevision(tx, 'ports', row, set, ifMatch);
    });
    return this.get(ctx, id);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await this.row(ctx, id, tx);
      await releasePort(tx, id);
      await tx.deleteFrom('port_security_groups').where('port_id', '=', id).execute();
      await tx.deleteFrom('network_tags').where('resource_id', '=', id).execute();
      await tx.deleteFrom('ports').where('id', '=', id).execute();
    });
  }
}

function exhausted(networkId: string): NeutronFault {
  return conflict(
    'IpAddressGenerationFailure',
    `No more IP addresses available on network ${networkId}.`,
  );
}
