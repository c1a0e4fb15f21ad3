import type { RequestContext } from '../../context.js';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../errors.js';
import { NeutronFault } from '../network/errors.js';
import { isUuid } from '../../util.js';
import type { GroupWithRules } from '../network/compute-ports.js';
import type { NetworkService } from '../network/service.js';
import type { FindServer } from './server-metadata.js';

/** A rule as Nova's security group API shows it (ingress rules only). */
export interface NovaRule {
  id: string;
  parent_group_id: string;
  ip_protocol: string | null;
  from_port: number | null;
  to_port: number | null;
  group: { name: string; tenant_id: string } | Record<string, never>;
  ip_range: { cidr: string } | Record<string, never>;
}

export interface NovaSecurityGroup {
  id: string;
  name: string;
  description: string;
  tenant_id: string;
  rules: NovaRule[];
}

/**
 * Security groups as Nova shows and applies them: a proxy of Neutron's, reached only through
 * the network service (nova/network/security_group_api.py). A server's groups are its ports'.
 */
/** Neutron's answer as Nova's proxy passes it on: its quota 403, anything else a 400. */
function neutronToNova(err: unknown): never {
  if (err instanceof NeutronFault) {
    if (err.status === 403 || (err.status === 409 && /quota/i.test(err.message)))
      throw new Forbidden(err.message);
    throw new BadRequest(err.message);
  }
  throw err;
}

export class ServerSecurityGroups {
  constructor(
    private readonly network: NetworkService,
    private readonly find: FindServer,
  ) {}

  /** Neutron's groups in Nova's form; rules naming a group the caller cannot see are left out. */
  private async format(
    ctx: RequestContext,
    groups: GroupWithRules[],
  ): Promise<NovaSecurityGroup[]> {
    const remoteIds = new Set<string>();
    for (const g of groups)
      for (const r of g.rules) if (r.remote_group_id) remoteIds.add(r.remote_group_id);
    const remotes = new Map(
      (await this.network.computePorts.groupsWithRules(ctx, { ids: [...remoteIds] })).map((g) => [
        g.id,
        g,
      ]),
    );
    const out = groups.map((g) => ({
      id: g.id,
      name: g.name,
      description: g.description,
      tenant_id: g.project_id,
      rules: g.rules.flatMap((r): NovaRule[] => {
        if (r.direction !== 'ingress') return [];
        const remote = r.remote_group_id ? remotes.get(r.remote_group_id) : undefined;
        if (r.remote_group_id && !remote) return [];
        let from = r.port_range_min;
        let to = r.port_range_max;
        if (r.protocol && from === null && to === null)
          [from, to] = ['TCP', 'UDP'].includes(r.protocol.toUpperCase()) ? [1, 65535] : [-1, -1];
        return [
          {
            id: r.id,
            parent_group_id: r.security_group_id,
            ip_protocol: r.protocol,
            from_port: from,
            to_port: to,
            group: remote ? { name: remote.name, tenant_id: remote.project_id } : {},
            ip_range: remote ? {} : { cidr: r.remote_ip_prefix ?? '0.0.0.0/0' },
          },
        ];
      }),
    }));
    return out.sort((a, b) =>
      a.tenant_id !== b.tenant_id
        ? a.tenant_id < b.tenant_id
          ? -1
          : 1
        : a.name < b.name
          ? -1
          : a.name > b.name
            ? 1
            : 0,
    );
  }

  /** GET /servers/{id}/os-security-groups: the groups of the server's ports. */
  async ofServer(ctx: RequestContext, id: string): Promise<NovaSecurityGroup[]> {
    const row = await this.find(ctx, id);
    const ports = (await this.network.computePorts.ofDevices([row.id])).get(row.id) ?? [];
    const info = await this.network.computePorts.interfaces(ports);
    const ids = new Set<string>();
    for (const i of info.values()) for (const g of i.security_groups) ids.add(g.id);
    return this.format(
      ctx,
      await this.network.computePorts.groupsWithRules(ctx, { ids: [...ids] }),
    );
  }

  /** GET /os-security-groups (2.1–2.35): the project's groups, `offset`/`limit` applied first. */
  async list(
    ctx: RequestContext,
    q: { allTenants: boolean; limit: number; offset: number },
  ): Promise<NovaSecurityGroup[]> {
    const all = await this.network.computePorts.groupsWithRules(ctx, {
      allProjects: q.allTenants,
    });
    return this.format(ctx, all.slice(q.offset, q.offset + q.limit));
  }

  /** GET /os-security-groups/{id}. */
  async get(ctx: RequestContext, id: string): Promise<NovaSecurityGroup> {
    if (!isUuid(id)) throw new BadRequest('Security group id should be uuid');
    const found = await this.network.computePorts.groupsWithRules(ctx, { ids: [id] });
    if (found.length === 0) throw new NotFound(`Security group ${id} does not exist`);
    return (await this.format(ctx, found))[0]!;
  }

  /** POST /os-security-groups: a Neutron group in the caller's project, shown as Nova shows it. */
  async create(ctx: RequestContext, name: string, description: string): Promise<NovaSecurityGroup> {
    const group = await this.network.securityGroups
      .create(ctx, ctx.projectId ?? '', { name, description })
      .catch(neutronToNova);
    return this.get(ctx, group.id);
  }

  /** DELETE /os-security-groups/{id}: Neutron's refusals (in use, default) are Nova's 400. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    if (!isUuid(id)) throw new BadRequest('Security group id should be uuid');
    await this.network.securityGroups.delete(ctx, id).catch((err: unknown) => {
      if (err instanceof NeutronFault && err.status === 404)
        throw new NotFound(`Security group ${id} not found.`);
      return neutronToNova(err);
    });
  }

  /** The group a name or id means for the caller, as neutronclient's find does for Nova. */
  private async resolve(ctx: RequestContext, name: string): Promise<string> {
    const found = await this.network.computePorts.resolveGroup(ctx, name);
    if (found === 'ambiguous')
      throw new Conflict(
        `Multiple security_group matches found for name '${name}', use an ID to be more specific.`,
      );
    if (found === undefined)
      throw new NotFound(`Security group ${name} is not found for project ${ctx.projectId ?? ''}`);
    return found;
  }

  private async ports(ctx: RequestContext, serverId: string) {
    const ids = (await this.network.computePorts.ofDevices([serverId])).get(serverId) ?? [];
    if (ids.length === 0)
      throw new NotFound(`instance_id ${serverId} could not be found as device id on any ports`);
    return Promise.all(ids.map((p) => this.network.ports.get(ctx, p)));
  }

  /** addSecurityGroup: the group goes on every port of the server. */
  async add(ctx: RequestContext, id: string, name: string): Promise<void> {
    const row = await this.find(ctx, id);
    const group = await this.resolve(ctx, name);
    for (const port of await this.ports(ctx, row.id)) {
      if (!port.port_security_enabled || port.fixed_ips.length === 0)
        throw new BadRequest(
          'Network requires port_security_enabled and subnet associated in order to apply security groups.',
        );
      // Neutron refuses a list naming a group twice; Nova passes that refusal on as a 400.
      if (port.security_groups.includes(group))
        throw new BadRequest(
          `Invalid input for security_groups. Reason: Duplicate items in the list: '${group}'.`,
        );
      await this.network.ports.update(ctx, port.id, {
        security_groups: [...port.security_groups, group],
      });
    }
  }

  /** removeSecurityGroup: off every port that has it; 404 when none had it. */
  async remove(ctx: RequestContext, id: string, name: string): Promise<void> {
    const row = await this.find(ctx, id);
    const group = await this.resolve(ctx, name);
    let found = false;
    for (const port of await this.ports(ctx, row.id)) {
      if (!port.security_groups.includes(group)) continue;
      await this.network.ports.update(ctx, port.id, {
        security_groups: port.security_groups.filter((g) => g !== group),
      });
      found = true;
    }
    if (!found)
      throw new NotFound(`Security group ${name} not associated with the instance ${row.id}`);
  }
}
