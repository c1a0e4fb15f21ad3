import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { NetworkRow, SecurityGroupRuleRow } from '../../store/network-schema.js';
import type { SecurityGroups } from './security-groups.js';

/** A server's port as Nova shows it: addresses by network name, the port's groups. */
export interface InterfaceInfo {
  port_id: string;
  network_id: string;
  network_name: string;
  mac_address: string;
  status: string;
  fixed_ips: { subnet_id: string; ip_address: string }[];
  floating_ips: string[];
  security_groups: { id: string; name: string }[];
}

/** A security group with its rules, for Nova's security group proxy and server groups view. */
export interface GroupWithRules {
  id: string;
  name: string;
  description: string;
  project_id: string;
  rules: SecurityGroupRuleRow[];
}

/**
 * What Nova asks Neutron about ports beyond the port API: the networks a server may land on,
 * security groups by name, and everything about many ports in a few queries (a page of servers
 * is one call, not one per server).
 */
export class ComputePorts {
  constructor(
    private readonly db: Db,
    private readonly groups: SecurityGroups,
  ) {}

  /**
   * Networks a server of the caller's project may use without naming one: its own and shared
   * ones, never an external network (Nova's `_get_available_networks`).
   */
  async available(ctx: RequestContext): Promise<NetworkRow[]> {
    const project = ctx.projectId ?? '';
    return this.db
      .selectFrom('networks')
      .selectAll()
      .where((eb) => eb.or([eb('project_id', '=', project), eb('shared', '=', 1)]))
      .where('external', '=', 0)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /**
   * Security group ids for names or ids as Nova takes them: an id of a group the caller may see
   * or a name unique in the caller's project. The project's default group is made when first
   * named. Undefined for a name that matches nothing; 'ambiguous' when several groups have it.
   */
  async resolveGroup(
    ctx: RequestContext,
    nameOrId: string,
  ): Promise<string | 'ambiguous' | undefined> {
    const project = ctx.projectId ?? '';
    if (nameOrId === 'default') await this.groups.ensureDefault(ctx, project);
    const byId = await this.db
      .selectFrom('security_groups')
      .select(['id', 'project_id'])
      .where('id', '=', nameOrId)
      .executeTakeFirst();
    if (byId && (ctx.isAdmin || byId.project_id === project)) return byId.id;
    const byName = await this.db
      .selectFrom('security_groups')
      .select('id')
      .where('project_id', '=', project)
      .where('name', '=', nameOrId)
      .limit(2)
      .execute();
    if (byName.length > 1) return 'ambiguous';
    return byName[0]?.id;
  }

  /** A network without subnets cannot take a server (Nova's NetworkRequiresSubnet). */
  async subnetCount(networkId: string): Promise<number> {
    const rows = await this.db
      .selectFrom('subnets')
      .select('id')
      .where('network_id', '=', networkId)
      .limit(1)
      .execute();
    return rows.length;
  }

  /** Interfaces of ports by id, in the order given; ports that are gone are left out. */
  async interfaces(portIds: readonly string[]): Promise<Map<string, InterfaceInfo>> {
    const out = new Map<string, InterfaceInfo>();
    for (let i = 0; i < portIds.length; i += 500) {
      const ids = portIds.slice(i, i + 500);
      const ports = await this.db
        .selectFrom('ports as p')
        .innerJoin('networks as n', 'n.id', 'p.network_id')
        .select(['p.id', 'p.network_id', 'n.name as network_name', 'p.mac_address', 'p.status'])
        .where('p.id', 'in', ids)
        .execute();
      for (const p of ports) {
        out.set(p.id, {
          port_id: p.id,
          network_id: p.network_id,
          network_name: p.network_name,
          mac_address: p.mac_address,
          status: p.status,
          fixed_ips: [],
          floating_ips: [],
          security_groups: [],
        });
      }
      const ips = await this.db
        .selectFrom('ip_allocations')
        .select(['port_id', 'subnet_id', 'ip_address'])
        .where('port_id', 'in', ids)
        .orderBy('ip_key')
        .execute();
      for (const r of ips) out.get(r.port_id)?.fixed_ips.push(r);
      const fips = await this.db
        .selectFrom('floatingips')
        .select(['fixed_port_id', 'floating_ip_address'])
        .where('fixed_port_id', 'in', ids)
        .orderBy('floating_ip_address')
        .execute();
      for (const f of fips) out.get(f.fixed_port_id!)?.floating_ips.push(f.floating_ip_address);
      const groups = await this.db
        .selectFrom('port_security_groups as pg')
        .innerJoin('security_groups as g', 'g.id', 'pg.security_group_id')
        .select(['pg.port_id', 'g.id', 'g.name'])
        .where('pg.port_id', 'in', ids)
        .orderBy('g.name')
        .execute();
      for (const g of groups) out.get(g.port_id)?.security_groups.push({ id: g.id, name: g.name });
    }
    return out;
  }

  /** Ports whose device is one of these servers (ports made outside Nova and bound to one). */
  async ofDevices(deviceIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(deviceIds.map((id) => [id, []]));
    for (let i = 0; i < deviceIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('ports')
        .select(['id', 'device_id'])
        .where('device_id', 'in', deviceIds.slice(i, i + 500))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      for (const r of rows) out.get(r.device_id)?.push(r.id);
    }
    return out;
  }

  /**
   * Security groups with their rules as the caller may see them: those named by `ids`, else
   * the caller's project's (every project's for an admin with `allProjects`). Listing a project
   * makes its default group first, as Neutron's list does.
   */
  async groupsWithRules(
    ctx: RequestContext,
    opts: { ids?: readonly string[]; allProjects?: boolean },
  ): Promise<GroupWithRules[]> {
    if (opts.ids === undefined) await this.groups.ensureDefault(ctx, ctx.projectId);
    let q = this.db
      .selectFrom('security_groups')
      .select(['id', 'name', 'description', 'project_id']);
    if (opts.ids !== undefined) {
      if (opts.ids.length === 0) return [];
      q = q.where('id', 'in', [...opts.ids]);
    }
    if (!ctx.isAdmin || (opts.ids === undefined && !opts.allProjects))
      q = q.where('project_id', '=', ctx.projectId ?? '');
    const groups = await q.orderBy('created_at').orderBy('id').execute();
    const rules = await this.groups.rules.ofGroups(groups.map((g) => g.id));
    return groups.map((g) => ({ ...g, rules: rules.get(g.id) ?? [] }));
  }
}
