import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { NetworkRow, PortRow } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { NeutronFault, notFound } from './errors.js';
import { macInUse, macTaken, randomMac } from './port-mac.js';
import { fixedIpsOf } from './ipam.js';
import { listRows, tagsOf, type ListQuery, type Page } from './listing.js';
import type { Networks } from './networks.js';
import { allocateForNewPort, type FixedIpRequest } from './port-ips.js';
import { PORT_TABLE, portConditions, portScope } from './port-list.js';
import { enforcePortPolicy } from './port-policy.js';
import { groupsOf } from './port-security-groups.js';
import { deletePort } from './port-delete.js';
import {
  applyGroups,
  bindingOf,
  checkRouterDevice,
  mergeDhcpOpts,
  updatePort,
  type DhcpOpt,
} from './port-writes.js';
import { checkQuota } from './quotas.js';
import type { SecurityGroups } from './security-groups.js';
import type { Standard } from './standard.js';

export type { FixedIpRequest } from './port-ips.js';
export { PORT_TABLE } from './port-list.js';

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export interface AddressPair {
  ip_address: string;
  mac_address: string;
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
  allowed_address_pairs: AddressPair[];
  extra_dhcp_opts: unknown[];
  fixed_ips: FixedIp[];
  security_groups: string[];
}

/** A port create or update; an attribute left undefined is not set (or not changed). */
export interface PortInput {
  network_id?: string;
  name?: string;
  description?: string;
  admin_state_up?: boolean;
  mac_address?: string;
  /** undefined: addresses as Neutron picks them for a port without fixed_ips; []: none. */
  fixed_ips?: FixedIpRequest[];
  device_id?: string;
  device_owner?: string;
  security_groups?: string[];
  port_security_enabled?: boolean;
  binding_host_id?: string;
  binding_vnic_type?: string;
  binding_profile?: Record<string, unknown> | null;
  allowed_address_pairs?: { ip_address: string; mac_address?: string }[];
  extra_dhcp_opts?: unknown[];
  tags?: string[];
}

export class Ports {
  constructor(
    private readonly db: Db,
    private readonly networks: Networks,
    private readonly groups: SecurityGroups,
  ) {}

  private async withRelations(rows: PortRow[]): Promise<Port[]> {
    const ids = rows.map((r) => r.id);
    const [tags, ips, groups] = await Promise.all([
      tagsOf(this.db, ids),
      fixedIpsOf(this.db, ids),
      groupsOf(this.db, ids),
    ]);
    return rows.map((r) => ({
      ...r,
      admin_state_up: r.admin_state_up === 1,
      port_security_enabled: r.port_security_enabled === 1,
      binding_profile: JSON.parse(r.binding_profile) as Record<string, unknown>,
      binding_vif_details: JSON.parse(r.binding_vif_details) as Record<string, unknown>,
      allowed_address_pairs: JSON.parse(r.allowed_address_pairs) as AddressPair[],
      extra_dhcp_opts: JSON.parse(r.extra_dhcp_opts) as unknown[],
      fixed_ips: ips.get(r.id)!,
      security_groups: groups.get(r.id)!,
      tags: tags.get(r.id)!,
    }));
  }

  /** A port the caller may see (its project's, on its network, or any for an admin). */
  async row(ctx: RequestContext, id: string, db: Db = this.db): Promise<PortRow> {
    const row = await db.selectFrom('ports').selectAll().where('id', '=', id).executeTakeFirst();
    if (row && (ctx.isAdmin || row.project_id === ctx.projectId)) return row;
    if (row) {
      const net = await db
        .selectFrom('networks')
        .select('project_id')
        .where('id', '=', row.network_id)
        .executeTakeFirst();
      if (net && net.project_id === ctx.projectId) return row;
    }
    throw notFound('port', id);
  }

  async get(ctx: RequestContext, id: string): Promise<Port> {
    return (await this.withRelations([await this.row(ctx, id)]))[0]!;
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<Page<Port>> {
    const where = portConditions(query.extra);
    const page = await listRows<PortRow>(
      this.db,
      PORT_TABLE,
      query,
      await portScope(this.db, ctx),
      where,
    );
    return { rows: await this.withRelations(page.rows) };
  }

  async create(ctx: RequestContext, projectId: string, input: PortInput): Promise<Port> {
    return (await this.createMany(ctx, [{ projectId, input }]))[0]!;
  }

  /**
   * Creates ports (one, or a bulk request's) in one transaction: either every port exists with
   * every address it asked for, or nothing is written.
   */
  async createMany(
    ctx: RequestContext,
    items: { projectId: string; input: PortInput }[],
  ): Promise<Port[]> {
    const ids = await this.db.transaction().execute(async (tx) => {
      const made: string[] = [];
      for (const { projectId, input } of items) {
        const network = await this.networks.row(ctx, input.network_id ?? '', tx);
        if (!ctx.isAdmin && network.project_id !== projectId && network.shared !== 1) {
          throw new NeutronFault(
            403,
            'HTTPForbidden',
            `Tenant ${projectId} not allowed to create port on this network`,
          );
        }
        enforcePortPolicy(ctx, 'create_port', input, network, projectId);
        const owner = input.device_owner ?? '';
        if (owner !== '') await checkRouterDevice(tx, ctx, owner, input.device_id ?? '', projectId);
        made.push(await this.write(tx, network, projectId, input, ctx.isAdmin));
      }
      return made;
    });
    const byId = new Map<string, Port>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('ports')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const p of await this.withRelations(rows)) byId.set(p.id, p);
    }
    return ids.map((id) => byId.get(id)!);
  }

  /**
   * Writes a port, its addresses and its groups inside the caller's transaction, for the ports
   * routers and floating IPs own; the caller has decided the port may be made.
   */
  async insert(tx: Db, network: NetworkRow, projectId: string, input: PortInput): Promise<string> {
    return this.write(tx, network, projectId, input, true);
  }

  /** Neutron's order: the MAC, the addresses, port security, then the groups. */
  private async write(
    tx: Db,
    network: NetworkRow,
    projectId: string,
    input: PortInput,
    isAdmin: boolean,
  ): Promise<string> {
    const id = randomUUID();
    // Router gateway and floating IP ports belong to no project (Neutron leaves them
    // project-less): they count against nobody's quota.
    if (projectId !== '') await checkQuota(tx, projectId, 'port');
    let mac = input.mac_address?.toLowerCase();
    if (mac !== undefined && (await macTaken(tx, network.id, mac))) throw macInUse(mac, network.id);
    while (mac === undefined || (await macTaken(tx, network.id, mac))) mac = randomMac();
    const now = isoNow();
    const owner = input.device_owner ?? '';
    const host = input.binding_host_id ?? '';
    const adminUp = input.admin_state_up !== false;
    const portSecurity = input.port_security_enabled ?? network.port_security_enabled === 1;
    const pairs = input.allowed_address_pairs ?? [];
    const row: PortRow = {
      id,
      project_id: projectId,
      network_id: network.id,
      name: input.name ?? '',
      description: input.description ?? '',
      mac_address: mac,
      admin_state_up: adminUp ? 1 : 0,
      device_id: input.device_id ?? '',
      device_owner: owner,
      port_security_enabled: portSecurity ? 1 : 0,
      ...bindingOf(host, adminUp),
      binding_host_id: host,
      binding_vnic_type: input.binding_vnic_type ?? 'normal',
      binding_profile: JSON.stringify(input.binding_profile ?? {}),
      allowed_address_pairs: JSON.stringify(
        pairs.map((p) => ({ ip_address: p.ip_address, mac_address: p.mac_address ?? mac })),
      ),
      extra_dhcp_opts: JSON.stringify(
        mergeDhcpOpts([], (input.extra_dhcp_opts ?? []) as DhcpOpt[]),
      ),
      dns_name: '',
      revision_number: 0,
      created_at: now,
      updated_at: now,
    };
    await tx.insertInto('ports').values(row).execute();
    await allocateForNewPort(tx, row, input.fixed_ips);
    await applyGroups(tx, this.groups, row, isAdmin, input);
    for (const tag of new Set(input.tags ?? [])) {
      await tx.insertInto('network_tags').values({ resource_id: id, tag }).execute();
    }
    return id;
  }

  async update(ctx: RequestContext, id: string, input: PortInput, ifMatch?: number): Promise<Port> {
    await this.db.transaction().execute(async (tx) => {
      await updatePort(tx, ctx, await this.row(ctx, id, tx), input, ifMatch);
    });
    return this.get(ctx, id);
  }

  async delete(ctx: RequestContext, id: string, ifMatch?: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await deletePort(tx, ctx, await this.row(ctx, id, tx), ifMatch);
    });
  }
}
