import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { RouterRow } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { conflict, notFound } from './errors.js';
import { listRows, tagsOf, type ListQuery, type Page, type TableSpec } from './listing.js';
import type { Networks } from './networks.js';
import type { Ports } from './ports.js';
import { checkQuota } from './quotas.js';
import { checkRoutes, type Route } from './router-checks.js';
import { setGateway, type GatewayInput } from './router-gateway.js';
import {
  addInterface,
  removeInterface,
  type InterfaceInfo,
  type InterfaceRequest,
} from './router-interfaces.js';
import { deleteServicePort, policyRefused } from './service-ports.js';
import { bumpRevision, type Standard } from './standard.js';

export interface GatewayInfo {
  network_id: string;
  enable_snat: boolean;
  external_fixed_ips: { subnet_id: string; ip_address: string }[];
}

export interface Router extends Standard {
  name: string;
  admin_state_up: boolean;
  status: string;
  external_gateway_info: GatewayInfo | null;
  routes: Route[];
  distributed: boolean;
  ha: boolean;
  availability_zone_hints: string[];
}

export interface RouterInput {
  name?: string;
  description?: string;
  admin_state_up?: boolean;
  /** null clears the gateway (as `{}` does on the wire). */
  external_gateway_info?: GatewayInput | null;
  routes?: Route[];
  distributed?: boolean;
  ha?: boolean;
  availability_zone_hints?: string[];
}

export const ROUTER_TABLE: TableSpec = {
  table: 'routers',
  resource: 'router',
  columns: {
    id: { column: 'id' },
    name: { column: 'name' },
    description: { column: 'description' },
    project_id: { column: 'project_id' },
    tenant_id: { column: 'project_id' },
    admin_state_up: { column: 'admin_state_up', bool: true },
    status: { column: 'status' },
    revision_number: { column: 'revision_number' },
    created_at: { column: 'created_at' },
    updated_at: { column: 'updated_at' },
  },
};

/** Neutron's routers (l3_db, extraroute, ext-gw-mode, dvr, l3-ha, router_availability_zone). */
export class Routers {
  constructor(
    private readonly db: Db,
    private readonly networks: Networks,
    private readonly ports: Ports,
  ) {}

  private async withRelations(rows: RouterRow[]): Promise<Router[]> {
    const tags = await tagsOf(
      this.db,
      rows.map((r) => r.id),
    );
    const out: Router[] = [];
    for (const r of rows) {
      let gateway: GatewayInfo | null = null;
      if (r.gw_network_id !== null) {
        const ips = r.gw_port_id
          ? await this.db
              .selectFrom('ip_allocations')
              .select(['subnet_id', 'ip_address'])
              .where('port_id', '=', r.gw_port_id)
              .orderBy('ip_key')
              .execute()
          : [];
        gateway = {
          network_id: r.gw_network_id,
          enable_snat: r.enable_snat === 1,
          external_fixed_ips: ips,
        };
      }
      out.push({
        ...r,
        admin_state_up: r.admin_state_up === 1,
        distributed: r.distributed === 1,
        ha: r.ha === 1,
        routes: JSON.parse(r.routes) as Route[],
        availability_zone_hints: JSON.parse(r.az_hints) as string[],
        external_gateway_info: gateway,
        tags: tags.get(r.id)!,
      });
    }
    return out;
  }

  /** A router the caller may see: its project's, or any for an admin. */
  async row(ctx: RequestContext, id: string, db: Db = this.db): Promise<RouterRow> {
    const row = await db.selectFrom('routers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) throw notFound('router', id);
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<Router> {
    return (await this.withRelations([await this.row(ctx, id)]))[0]!;
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<Page<Router>> {
    const scope = ctx.isAdmin ? null : sql`t.project_id = ${ctx.projectId ?? ''}`;
    const page = await listRows<RouterRow>(this.db, ROUTER_TABLE, query, scope);
    return { rows: await this.withRelations(page.rows) };
  }

  /** Creates a router and, when asked, its gateway port: both or neither. */
  async create(ctx: RequestContext, projectId: string, input: RouterInput): Promise<Router> {
    refuseAdminOnly(ctx, 'create_router', input);
    const id = randomUUID();
    await this.db.transaction().execute(async (tx) => {
      await checkQuota(tx, projectId, 'router');
      const now = isoNow();
      const row: RouterRow = {
        id,
        project_id: projectId,
        name: input.name ?? '',
        description: input.description ?? '',
        admin_state_up: input.admin_state_up === false ? 0 : 1,
        status: 'ACTIVE',
        gw_network_id: null,
        gw_port_id: null,
        enable_snat: 1,
        routes: '[]',
        distributed: input.distributed ? 1 : 0,
        ha: input.ha ? 1 : 0,
        az_hints: JSON.stringify(input.availability_zone_hints ?? []),
        revision_number: 0,
        created_at: now,
        updated_at: now,
      };
      await tx.insertInto('routers').values(row).execute();
      if (input.external_gateway_info) {
        const set = await setGateway(tx, ctx, this.deps, row, input.external_gateway_info, []);
        await tx.updateTable('routers').set(set).where('id', '=', id).execute();
      }
    });
    return this.get(ctx, id);
  }

  async update(
    ctx: RequestContext,
    id: string,
    input: RouterInput,
    ifMatch?: number,
  ): Promise<Router> {
    refuseAdminOnly(ctx, 'update_router', input);
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      const routes = input.routes ?? (JSON.parse(row.routes) as Route[]);
      let set: Partial<RouterRow> = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.description !== undefined) set.description = input.description;
      if (input.admin_state_up !== undefined) set.admin_state_up = input.admin_state_up ? 1 : 0;
      if (input.distributed !== undefined) set.distributed = input.distributed ? 1 : 0;
      if (input.ha !== undefined) set.ha = input.ha ? 1 : 0;
      if (input.routes !== undefined) set.routes = JSON.stringify(input.routes);
      if (input.external_gateway_info !== undefined) {
        const gw = input.external_gateway_info;
        set = { ...set, ...(await setGateway(tx, ctx, this.deps, row, gw, routes)) };
      } else if (input.routes !== undefined) {
        await checkRoutes(tx, id, routes);
      }
      await bumpRevision(tx, 'routers', row, set, ifMatch);
    });
    return this.get(ctx, id);
  }

  /** Deletes a router that has no interfaces left; its gateway port goes with it. */
  async delete(ctx: RequestContext, id: string, ifMatch?: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      if (ifMatch !== undefined) await bumpRevision(tx, 'routers', row, {}, ifMatch);
      const attached = await tx
        .selectFrom('router_ports')
        .select('port_id')
        .where('router_id', '=', id)
        .where('port_type', '=', 'network:router_interface')
        .orderBy('port_id')
        .execute();
      if (attached.length > 0) {
        throw conflict(
          'RouterInUse',
          `Router ${id} has ports still attached: ${attached.map((a) => a.port_id).join(', ')}`,
        );
      }
      await tx.updateTable('floatingips').set(DISASSOCIATED).where('router_id', '=', id).execute();
      if (row.gw_port_id) await deleteServicePort(tx, row.gw_port_id);
      await tx.deleteFrom('router_ports').where('router_id', '=', id).execute();
      await tx.deleteFrom('network_tags').where('resource_id', '=', id).execute();
      await tx.deleteFrom('routers').where('id', '=', id).execute();
    });
  }

  /** add_router_interface: a subnet (through a new port on its gateway IP) or a free port. */
  async addInterface(
    ctx: RequestContext,
    id: string,
    request: InterfaceRequest,
  ): Promise<InterfaceInfo> {
    return this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      const info = await addInterface(tx, ctx, this.ports, row, request);
      await bumpRevision(tx, 'routers', row, {});
      return info;
    });
  }

  /** remove_router_interface: by subnet or by port; the interface's port is deleted. */
  async removeInterface(
    ctx: RequestContext,
    id: string,
    request: InterfaceRequest,
  ): Promise<InterfaceInfo> {
    return this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      const info = await removeInterface(tx, ctx, row, request);
      await bumpRevision(tx, 'routers', row, {});
      return info;
    });
  }

  /** add_extraroutes / remove_extraroutes (extraroute-atomic): one change of the route set. */
  async changeRoutes(
    ctx: RequestContext,
    id: string,
    change: 'add' | 'remove',
    routes: Route[],
  ): Promise<Router> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      const old = JSON.parse(row.routes) as Route[];
      const same = (a: Route, b: Route) =>
        a.destination === b.destination && a.nexthop === b.nexthop;
      const next =
        change === 'add'
          ? [
              ...old,
              ...routes.filter(
                (r, i) => !old.some((o) => same(o, r)) && routes.findIndex((x) => same(x, r)) === i,
              ),
            ]
          : old.filter((o) => !routes.some((r) => same(o, r)));
      if (change === 'add') await checkRoutes(tx, id, next);
      await bumpRevision(tx, 'routers', row, { routes: JSON.stringify(next) });
    });
    return this.get(ctx, id);
  }

  /** The networks aggregate, for the gateway's checks. */
  get deps(): { networks: Networks; ports: Ports } {
    return { networks: this.networks, ports: this.ports };
  }
}

/**
 * Neutron's policy: members may name a gateway network, but only admins choose SNAT, the
 * gateway's addresses, or DVR/HA. The rule text lists what the request set, as Neutron builds it.
 */
function refuseAdminOnly(ctx: RequestContext, action: string, input: RouterInput): void {
  if (ctx.isAdmin) return;
  const gw = input.external_gateway_info;
  const forbidden =
    (gw && (gw.enable_snat !== undefined || gw.external_fixed_ips !== undefined)) ||
    input.distributed !== undefined ||
    input.ha !== undefined;
  if (!forbidden) return;
  const terms: string[] = [];
  if (gw) {
    const subs = (['network_id', 'enable_snat', 'external_fixed_ips'] as const)
      .filter((k) => gw[k] !== undefined)
      .map((k) => `rule:${action}:external_gateway_info:${k}`);
    terms.push(`(rule:${action}:external_gateway_info and (${subs.join(' and ')}))`);
  }
  if (input.distributed !== undefined) terms.push(`rule:${action}:distributed`);
  if (input.ha !== undefined) terms.push(`rule:${action}:ha`);
  throw policyRefused(action, terms);
}

/** A floating IP whose router is gone keeps its address but no association (l3_db). */
const DISASSOCIATED = {
  fixed_port_id: null,
  fixed_ip_address: null,
  router_id: null,
  status: 'DOWN',
};
