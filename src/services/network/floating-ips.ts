import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { FloatingIpRow, PortRow } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { NeutronFault, notFound } from './errors.js';
import { associationOf, type Association } from './floating-ip-association.js';
import { parseAddress } from './ip.js';
import { listRows, tagsOf, type ListQuery, type Page, type TableSpec } from './listing.js';
import type { Networks } from './networks.js';
import type { Ports } from './ports.js';
import { checkQuota } from './quotas.js';
import {
  badResourceRequest,
  deleteServicePort,
  insertServicePort,
  policyRefused,
  portAddresses,
} from './service-ports.js';
import { bumpRevision, type Standard } from './standard.js';

export interface PortDetails {
  name: string;
  network_id: string;
  mac_address: string;
  admin_state_up: boolean;
  status: string;
  device_id: string;
  device_owner: string;
}

export interface FloatingIp extends Standard {
  floating_ip_address: string;
  floating_network_id: string;
  router_id: string | null;
  port_id: string | null;
  fixed_ip_address: string | null;
  status: string;
  port_details: PortDetails | null;
}

export interface FloatingIpInput {
  floating_network_id?: string;
  floating_ip_address?: string;
  subnet_id?: string;
  /** null disassociates. */
  port_id?: string | null;
  fixed_ip_address?: string | null;
  description?: string;
}

export const FLOATINGIP_OWNER = 'network:floatingip';

export const FLOATINGIP_TABLE: TableSpec = {
  table: 'floatingips',
  resource: 'floatingip',
  columns: {
    id: { column: 'id' },
    description: { column: 'description' },
    project_id: { column: 'project_id' },
    tenant_id: { column: 'project_id' },
    floating_ip_address: { column: 'floating_ip_address' },
    floating_network_id: { column: 'floating_network_id' },
    router_id: { column: 'router_id' },
    port_id: { column: 'fixed_port_id' },
    fixed_ip_address: { column: 'fixed_ip_address' },
    status: { column: 'status' },
    revision_number: { column: 'revision_number' },
    created_at: { column: 'created_at' },
    updated_at: { column: 'updated_at' },
  },
};

/** The columns an association writes; the L3 agent's ACTIVE/DOWN is shown at once. */
function associationColumns(
  a: Association | null,
): Pick<FloatingIpRow, 'fixed_port_id' | 'fixed_ip_address' | 'router_id' | 'status'> {
  return a
    ? {
        fixed_port_id: a.portId,
        fixed_ip_address: a.fixedIp,
        router_id: a.routerId,
        status: 'ACTIVE',
      }
    : { fixed_port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' };
}

/**
 * Floating IPs (neutron/db/l3_db.py): an address on an external network, held by a
 * `network:floatingip` port with no project, and optionally mapped to a fixed IP of a port
 * reachable through a router whose gateway is on that network.
 */
export class FloatingIps {
  constructor(
    private readonly db: Db,
    private readonly networks: Networks,
    private readonly ports: Ports,
  ) {}

  private async withRelations(rows: FloatingIpRow[]): Promise<FloatingIp[]> {
    const tags = await tagsOf(
      this.db,
      rows.map((r) => r.id),
    );
    const portIds = rows.flatMap((r) => (r.fixed_port_id ? [r.fixed_port_id] : []));
    const ports = new Map<string, PortRow>();
    for (let i = 0; i < portIds.length; i += 500) {
      const found = await this.db
        .selectFrom('ports')
        .selectAll()
        .where('id', 'in', portIds.slice(i, i + 500))
        .execute();
      for (const p of found) ports.set(p.id, p);
    }
    return rows.map((r) => {
      // A port deleted under its floating IP leaves it unassociated (Neutron disassociates).
      const port = r.fixed_port_id ? ports.get(r.fixed_port_id) : undefined;
      const assoc = port ? r : { ...r, ...associationColumns(null) };
      return {
        ...assoc,
        port_id: assoc.fixed_port_id,
        port_details: port
          ? {
              name: port.name,
              network_id: port.network_id,
              mac_address: port.mac_address,
              admin_state_up: port.admin_state_up === 1,
              status: port.status,
              device_id: port.device_id,
              device_owner: port.device_owner,
            }
          : null,
        tags: tags.get(r.id)!,
      };
    });
  }

  /** A floating IP the caller may see: its project's, or any for an admin. */
  async row(ctx: RequestContext, id: string, db: Db = this.db): Promise<FloatingIpRow> {
    const row = await db
      .selectFrom('floatingips')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) {
      throw notFound('floatingip', id);
    }
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<FloatingIp> {
    return (await this.withRelations([await this.row(ctx, id)]))[0]!;
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<Page<FloatingIp>> {
    const scope = ctx.isAdmin ? null : sql`t.project_id = ${ctx.projectId ?? ''}`;
    const page = await listRows<FloatingIpRow>(this.db, FLOATINGIP_TABLE, query, scope);
    return { rows: await this.withRelations(page.rows) };
  }

  /**
   * Takes an address from the external network's pools (a requested one only for admins, which
   * the route enforces) and associates it when a port is given: all in one transaction, so two
   * creates never hold one address and a failed association leaves no address taken.
   */
  async create(
    ctx: RequestContext,
    projectId: string,
    input: FloatingIpInput,
  ): Promise<FloatingIp> {
    if (input.floating_ip_address !== undefined && !ctx.isAdmin) {
      throw policyRefused('create_floatingip', ['rule:create_floatingip:floating_ip_address']);
    }
    const id = randomUUID();
    await this.db.transaction().execute(async (tx) => {
      const networkId = input.floating_network_id ?? '';
      const network = await this.networks.row(ctx, networkId, tx);
      if (network.external !== 1) {
        throw badResourceRequest(
          'floatingip',
          `Network ${network.id} is not a valid external network`,
        );
      }
      const v4 = await tx
        .selectFrom('subnets')
        .select('id')
        .where('network_id', '=', network.id)
        .where('ip_version', '=', 4)
        .executeTakeFirst();
      if (!v4) {
        throw badResourceRequest(
          'floatingip',
          `Network ${network.id} does not contain any IPv4 subnet`,
        );
      }
      await checkQuota(tx, projectId, 'floatingip');
      if (input.fixed_ip_address && !input.port_id) {
        throw badResourceRequest(
          'floatingip',
          'fixed_ip_address cannot be specified without a port_id',
        );
      }
      const wanted = {
        ...(input.subnet_id !== undefined ? { subnet_id: input.subnet_id } : {}),
        ...(input.floating_ip_address !== undefined
          ? { ip_address: input.floating_ip_address }
          : {}),
      };
      const portId = await insertServicePort(tx, this.ports, network, {
        projectId: '',
        deviceId: id,
        deviceOwner: FLOATINGIP_OWNER,
        status: 'N/A',
        fixedIps: Object.keys(wanted).length > 0 ? [wanted] : undefined,
      });
      const address = (await portAddresses(tx, portId)).find(
        (a) => parseAddress(a.ip_address)?.version === 4,
      );
      if (!address) {
        throw new NeutronFault(
          400,
          'ExternalIpAddressExhausted',
          `Unable to find any IP address on external network ${network.id}.`,
        );
      }
      const row = {
        id,
        project_id: projectId,
        floating_network_id: network.id,
        floating_ip_address: address.ip_address,
      };
      const assoc = input.port_id
        ? await associationOf(tx, ctx, this.ports, row, input.port_id, input.fixed_ip_address)
        : null;
      const now = isoNow();
      await tx
        .insertInto('floatingips')
        .values({
          id,
          project_id: projectId,
          description: input.description ?? '',
          floating_network_id: network.id,
          floating_port_id: portId,
          floating_ip_address: address.ip_address,
          ...associationColumns(assoc),
          revision_number: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
    return this.get(ctx, id);
  }

  /** Associates (port_id), re-points (fixed_ip_address) or disassociates (port_id null). */
  async update(
    ctx: RequestContext,
    id: string,
    input: FloatingIpInput,
    ifMatch?: number,
  ): Promise<FloatingIp> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      let set: Partial<FloatingIpRow> = {};
      if (input.description !== undefined) set.description = input.description;
      const portId = input.port_id !== undefined ? input.port_id : row.fixed_port_id;
      if (input.fixed_ip_address && !portId) {
        throw badResourceRequest(
          'floatingip',
          'fixed_ip_address cannot be specified without a port_id',
        );
      }
      if (input.port_id !== undefined || input.fixed_ip_address !== undefined) {
        const assoc = portId
          ? await associationOf(tx, ctx, this.ports, row, portId, input.fixed_ip_address)
          : null;
        set = { ...set, ...associationColumns(assoc) };
      }
      await bumpRevision(tx, 'floatingips', row, set, ifMatch);
    });
    return this.get(ctx, id);
  }

  /** Deletes a floating IP and the port that held its address. */
  async delete(ctx: RequestContext, id: string, ifMatch?: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      if (ifMatch !== undefined) await bumpRevision(tx, 'floatingips', row, {}, ifMatch);
      await deleteServicePort(tx, row.floating_port_id);
      await tx.deleteFrom('network_tags').where('resource_id', '=', id).execute();
      await tx.deleteFrom('floatingips').where('id', '=', id).execute();
    });
  }
}

/**
 * For the ports aggregate, inside its delete: a port going away leaves its floating IPs
 * unassociated, as Neutron's l3 port-delete hook does.
 */
export async function disassociatePort(tx: Db, portId: string): Promise<void> {
  await tx
    .updateTable('floatingips')
    .set({
      ...associationColumns(null),
      revision_number: sql<number>`revision_number + 1`,
      updated_at: isoNow(),
    })
    .where('fixed_port_id', '=', portId)
    .execute();
}

/**
 * For the networks aggregate, inside its delete (external_net_db's delete_disassociated_floatingips):
 * the unassociated floating IPs of a network go with it; an associated one keeps it in use.
 */
export async function deleteDisassociatedFloatingIps(tx: Db, networkId: string): Promise<void> {
  const rows = await tx
    .selectFrom('floatingips')
    .select(['id', 'floating_port_id'])
    .where('floating_network_id', '=', networkId)
    .where((eb) =>
      eb.or([
        eb('fixed_port_id', 'is', null),
        eb('fixed_port_id', 'not in', eb.selectFrom('ports').select('id')),
      ]),
    )
    .execute();
  for (const r of rows) {
    await deleteServicePort(tx, r.floating_port_id);
    await tx.deleteFrom('network_tags').where('resource_id', '=', r.id).execute();
    await tx.deleteFrom('floatingips').where('id', '=', r.id).execute();
  }
}
