import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { RouterRow, SubnetRow } from '../../store/network-schema.js';
import { conflict, NeutronFault, notFound } from './errors.js';
import { contains, parseAddress, parseCidr } from './ip.js';
import { release } from './ipam.js';
import type { Ports } from './ports.js';
import { checkSubnetOverlaps, refuseIfRouted, type Route } from './router-checks.js';
import {
  badResourceRequest,
  deleteServicePort,
  insertServicePort,
  portAddresses,
} from './service-ports.js';
import { keyOf } from './ip.js';

export const INTERFACE_OWNER = 'network:router_interface';

/** What add/remove_router_interface is given: one of them (both only on removal). */
export interface InterfaceRequest {
  subnet_id?: string;
  port_id?: string;
}

/** The body add/remove_router_interface answer with. */
export interface InterfaceInfo {
  id: string;
  project_id: string;
  port_id: string;
  network_id: string;
  subnet_id: string;
  subnet_ids: string[];
}

/** A subnet the caller may see: its own, or one on a shared or external network. */
async function visibleSubnet(tx: Db, ctx: RequestContext, id: string): Promise<SubnetRow> {
  const row = await tx.selectFrom('subnets').selectAll().where('id', '=', id).executeTakeFirst();
  if (row && (ctx.isAdmin || row.project_id === ctx.projectId)) return row;
  if (row) {
    const net = await tx
      .selectFrom('networks')
      .select('id')
      .where('id', '=', row.network_id)
      .where((eb) => eb.or([eb('shared', '=', 1), eb('external', '=', 1)]))
      .executeTakeFirst();
    if (net) return row;
  }
  throw notFound('subnet', id);
}

async function subnetsOf(tx: Db, ids: string[]): Promise<SubnetRow[]> {
  if (ids.length === 0) return [];
  const rows = await tx.selectFrom('subnets').selectAll().where('id', 'in', ids).execute();
  return ids.map((id) => rows.find((r) => r.id === id)!);
}

function info(
  router: RouterRow,
  port: { id: string; project_id: string; network_id: string },
  subnetIds: string[],
  subnetId: string,
): InterfaceInfo {
  return {
    id: router.id,
    project_id: port.project_id,
    port_id: port.id,
    network_id: port.network_id,
    subnet_id: subnetId,
    subnet_ids: subnetIds,
  };
}

/**
 * Attaches a subnet (a new port on the subnet's gateway address, owned by the router's project)
 * or an unused port of the caller's, inside the caller's transaction (neutron/db/l3_db.py).
 */
export async function addInterface(
  tx: Db,
  ctx: RequestContext,
  ports: Ports,
  router: RouterRow,
  req: InterfaceRequest,
): Promise<InterfaceInfo> {
  if (req.port_id === undefined) {
    const subnet = await visibleSubnet(tx, ctx, req.subnet_id!);
    if (!subnet.gateway_ip) {
      throw badResourceRequest('router', 'Subnet for router interface must have a gateway IP');
    }
    if (!ctx.isAdmin && subnet.project_id !== ctx.projectId) {
      throw badResourceRequest(
        'router',
        `Cannot add interface to router because subnet ${subnet.id} is not owned by project making the request`,
      );
    }
    await checkSubnetOverlaps(tx, router.id, [subnet]);
    const network = await tx
      .selectFrom('networks')
      .selectAll()
      .where('id', '=', subnet.network_id)
      .executeTakeFirstOrThrow();
    const portId = await insertServicePort(tx, ports, network, {
      projectId: router.project_id,
      deviceId: router.id,
      deviceOwner: INTERFACE_OWNER,
      status: 'ACTIVE',
      fixedIps: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip }],
    });
    await attach(tx, router.id, portId);
    const port = { id: portId, project_id: router.project_id, network_id: network.id };
    return info(router, port, [subnet.id], subnet.id);
  }
  const port = await ports.row(ctx, req.port_id, tx);
  if (port.device_id !== '') {
    throw conflict(
      'PortInUse',
      `Unable to complete operation on port ${port.id} for network ${port.network_id}. Port already has an attached device ${port.device_id}.`,
    );
  }
  const ips = await portAddresses(tx, port.id);
  if (ips.length === 0) {
    throw badResourceRequest('router', 'Router port must have at least one fixed IP');
  }
  const subnets = await subnetsOf(tx, [...new Set(ips.map((ip) => ip.subnet_id))]);
  await checkSubnetOverlaps(tx, router.id, subnets);
  if (subnets.filter((s) => s.ip_version === 4).length > 1) {
    throw badResourceRequest('router', 'Cannot have multiple IPv4 subnets on router port');
  }
  await tx
    .updateTable('ports')
    .set({ device_id: router.id, device_owner: INTERFACE_OWNER, status: 'ACTIVE' })
    .where('id', '=', port.id)
    .execute();
  await attach(tx, router.id, port.id);
  const ids = subnets.map((s) => s.id);
  return info(router, port, ids, ids.at(-1)!);
}

async function attach(tx: Db, routerId: string, portId: string): Promise<void> {
  await tx
    .insertInto('router_ports')
    .values({ router_id: routerId, port_id: portId, port_type: INTERFACE_OWNER })
    .execute();
}

/** The router's interface ports on a network, or the one named. */
async function interfacePorts(
  tx: Db,
  routerId: string,
  where: { portId?: string; networkId?: string },
) {
  let q = tx
    .selectFrom('router_ports as rp')
    .innerJoin('ports as p', 'p.id', 'rp.port_id')
    .select(['p.id', 'p.project_id', 'p.network_id'])
    .where('rp.router_id', '=', routerId)
    .where('rp.port_type', '=', INTERFACE_OWNER);
  if (where.portId !== undefined) q = q.where('p.id', '=', where.portId);
  if (where.networkId !== undefined) q = q.where('p.network_id', '=', where.networkId);
  return q.orderBy('p.created_at').execute();
}

/** Neither a floating IP behind this router nor an extra route needs the subnet. */
async function confirmNotInUse(tx: Db, router: RouterRow, subnet: SubnetRow): Promise<void> {
  const cidr = parseCidr(subnet.cidr)!;
  const fips = await tx
    .selectFrom('floatingips as f')
    .innerJoin('ip_allocations as a', (j) =>
      j.onRef('a.port_id', '=', 'f.fixed_port_id').on('a.subnet_id', '=', subnet.id),
    )
    .select('f.fixed_ip_address')
    .where('f.router_id', '=', router.id)
    .execute();
  for (const f of fips) {
    const a = parseAddress(f.fixed_ip_address);
    if (a && contains(cidr, a)) {
      throw conflict(
        'RouterInterfaceInUseByFloatingIP',
        `Router interface for subnet ${subnet.id} on router ${router.id} cannot be deleted, as it is required by one or more floating IPs.`,
      );
    }
  }
  refuseIfRouted(router.id, JSON.parse(router.routes) as Route[], subnet);
}

/** Detaches by port (the port is deleted) or by subnet (its address, or the whole port, goes). */
export async function removeInterface(
  tx: Db,
  ctx: RequestContext,
  router: RouterRow,
  req: InterfaceRequest,
): Promise<InterfaceInfo> {
  if (req.port_id !== undefined) {
    const [port] = await interfacePorts(tx, router.id, { portId: req.port_id });
    if (!port) {
      throw new NeutronFault(
        404,
        'RouterInterfaceNotFound',
        `Router ${router.id} does not have an interface with id ${req.port_id}`,
      );
    }
    const ids = [...new Set((await portAddresses(tx, port.id)).map((ip) => ip.subnet_id))];
    if (req.subnet_id !== undefined && !ids.includes(req.subnet_id)) {
      throw new NeutronFault(
        400,
        'SubnetMismatchForPort',
        `Subnet on port ${port.id} does not match the requested subnet ${req.subnet_id}.`,
      );
    }
    const subnets = await subnetsOf(tx, ids);
    for (const s of subnets) await confirmNotInUse(tx, router, s);
    await deleteServicePort(tx, port.id);
    return info(router, port, ids, ids[0] ?? '');
  }
  const subnet = await visibleSubnet(tx, ctx, req.subnet_id!);
  const candidates = await interfacePorts(tx, router.id, { networkId: subnet.network_id });
  if (candidates.length > 0) await confirmNotInUse(tx, router, subnet);
  for (const port of candidates) {
    const ips = await portAddresses(tx, port.id);
    if (!ips.some((ip) => ip.subnet_id === subnet.id)) continue;
    if (new Set(ips.map((ip) => ip.subnet_id)).size > 1) {
      // A port with addresses on several subnets keeps the others (IPv6 multi-prefix ports).
      for (const ip of ips.filter((i) => i.subnet_id === subnet.id)) {
        await release(tx, subnet.id, keyOf(parseAddress(ip.ip_address)!.value));
      }
    } else {
      await deleteServicePort(tx, port.id);
    }
    return info(router, port, [subnet.id], subnet.id);
  }
  throw new NeutronFault(
    404,
    'RouterInterfaceNotFoundForSubnet',
    `Router ${router.id} has no interface on subnet ${subnet.id}`,
  );
}
