import type { RequestContext } from '../../context.js';
import { withArrayReader, type Db } from '../../store/db.js';
import type { NetworkRow, SecurityGroupRuleRow } from '../../store/network-schema.js';
import type { SecurityGroups } from './security-groups.js';

const PORT_IDS = 'with ids(id) as (select value from json_each(?))';
const SELECT_PORTS =
  `${PORT_IDS} select p.id, p.network_id, n.name, p.mac_address, p.status` +
  ' from ids join ports p on p.id = ids.id join networks n on n.id = p.network_id';
const SELECT_FIXED_IPS =
  `${PORT_IDS} select a.port_id, a.subnet_id, a.ip_address` +
  ' from ids join ip_allocations a on a.port_id = ids.id order by a.ip_key';
const SELECT_FLOATING_IPS =
  `${PORT_IDS} select f.fixed_port_id, f.floating_ip_address` +
  ' from ids join floatingips f on f.fixed_port_id = ids.id order by f.floating_ip_address';
const SELECT_GROUPS =
  `${PORT_IDS} select pg.port_id, g.id, g.name from ids` +
  ' join port_security_groups pg on pg.port_id = ids.id' +
  ' join security_groups g on g.id = pg.security_group_id order by g.name';

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

  /**
   * Interfaces of ports by id, in the order given; ports that are gone are left out. Array reads
   * with the ids as one JSON array (a page of servers asks this on every list): no query
   * building, no per-row objects, no limit on the number of ids.
   */
  async interfaces(portIds: readonly string[]): Promise<Map<string, InterfaceInfo>> {
    const out = new Map<string, InterfaceInfo>();
    if (portIds.length === 0) return out;
    const ids = [JSON.stringify([...new Set(portIds)])];
    return withArrayReader(this.db, (read) => {
      for (const [id, networkId, networkName, mac, status] of read(SELECT_PORTS, ids))
        out.set(id as string, {
          port_id: id as string,
          network_id: networkId as string,
          network_name: networkName as string,
          mac_address: mac as string,
          status: status as string,
          fixed_ips: [],
          floating_ips: [],
          security_groups: [],
        });
      for (const [port, subnet, ip] of read(SELECT_FIXED_IPS, ids))
        out.get(port as string)?.fixed_ips.push({
          subnet_id: subnet as string,
          ip_address: ip as string,
        });
      for (const [port, ip] of read(SELECT_FLOATING_IPS, ids))
        out.get(port as string)?.floating_ips.push(ip as string);
      for (const [port, id, name] of read(SELECT_GROUPS, ids))
        out.get(port as string)?.security_groups.push({ id: id as string, name: name as string });
      return out;
    });
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
