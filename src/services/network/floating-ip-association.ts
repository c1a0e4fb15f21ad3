import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import { conflict, NeutronFault } from './errors.js';
import { parseAddress } from './ip.js';
import type { Ports } from './ports.js';
import { badResourceRequest, portAddresses } from './service-ports.js';

/** Where a floating IP points: a port's fixed IP, reached through a router. */
export interface Association {
  portId: string;
  fixedIp: string;
  routerId: string;
}

interface FloatingIpRef {
  id: string;
  project_id: string;
  floating_network_id: string;
  fixed_port_id?: string | null;
  floating_ip_address?: string;
}

/**
 * Checks and resolves an association as neutron/db/l3_db.py does (_get_assoc_data,
 * get_router_for_floatingip): the port's IPv4 fixed IP (the one named, or its only one), and a
 * router with an interface on that IP's subnet and its gateway on the floating network.
 */
export async function associationOf(
  tx: Db,
  ctx: RequestContext,
  ports: Ports,
  fip: FloatingIpRef,
  portId: string,
  fixedIp: string | null | undefined,
): Promise<Association> {
  const port = await ports.row(ctx, portId, tx);
  if (port.project_id !== fip.project_id && !ctx.isAdmin) {
    throw badResourceRequest(
      'floatingip',
      `Cannot process floating IP association with Port ${port.id}, since that port is owned by a different project`,
    );
  }
  if (port.device_owner === 'network:dhcp') {
    throw badResourceRequest(
      'floatingip',
      `Port ${port.id} is unable to be assigned a floating IP`,
    );
  }
  const ips = await portAddresses(tx, port.id);
  let chosen: { subnet_id: string; ip_address: string } | undefined;
  if (fixedIp) {
    if (parseAddress(fixedIp)?.version !== 4) {
      throw badResourceRequest(
        'floatingip',
        `Cannot process floating IP association with ${fixedIp}, since that is not an IPv4 address`,
      );
    }
    chosen = ips.find((ip) => ip.ip_address === fixedIp);
    if (!chosen) {
      throw badResourceRequest('floatingip', `Port ${port.id} does not have fixed ip ${fixedIp}`);
    }
  } else {
    const v4 = ips.filter((ip) => parseAddress(ip.ip_address)?.version === 4);
    if (v4.length === 0) {
      throw badResourceRequest(
        'floatingip',
        `Cannot add floating IP to port ${port.id} that has no fixed IPv4 addresses`,
      );
    }
    if (v4.length > 1) {
      throw badResourceRequest(
        'floatingip',
        `Port ${port.id} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP`,
      );
    }
    chosen = v4[0]!;
  }
  const routerId = await routerFor(tx, port, chosen.subnet_id, fip.floating_network_id);
  if (port.id !== fip.fixed_port_id) {
    const taken = await tx
      .selectFrom('floatingips')
      .select('id')
      .where('fixed_port_id', '=', port.id)
      .where('floating_network_id', '=', fip.floating_network_id)
      .where('fixed_ip_address', '=', chosen.ip_address)
      .where('id', '!=', fip.id)
      .executeTakeFirst();
    if (taken) {
      throw conflict(
        'FloatingIPPortAlreadyAssociated',
        `Cannot associate floating IP ${fip.floating_ip_address ?? 'None'} (${fip.id}) with port ${port.id} using fixed IP ${chosen.ip_address}, as that fixed IP already has a floating IP on external network ${fip.floating_network_id}.`,
      );
    }
  }
  return { portId: port.id, fixedIp: chosen.ip_address, routerId };
}

/** The router that joins the subnet to the floating network; the one on its gateway IP first. */
async function routerFor(
  tx: Db,
  port: { id: string; network_id: string },
  subnetId: string,
  externalNetworkId: string,
): Promise<string> {
  const candidates = await tx
    .selectFrom('router_ports as rp')
    .innerJoin('ports as p', 'p.id', 'rp.port_id')
    .innerJoin('ip_allocations as a', 'a.port_id', 'p.id')
    .innerJoin('routers as r', 'r.id', 'rp.router_id')
    .innerJoin('subnets as s', 's.id', 'a.subnet_id')
    .select(['rp.router_id', 'a.ip_address', 's.gateway_ip'])
    .where('p.network_id', '=', port.network_id)
    .where('rp.port_type', '=', 'network:router_interface')
    .where('a.subnet_id', '=', subnetId)
    .where('r.gw_network_id', '=', externalNetworkId)
    .orderBy('r.created_at')
    .execute();
  const best = candidates.find((c) => c.ip_address === c.gateway_ip) ?? candidates[0];
  if (best) return best.router_id;
  throw new NeutronFault(
    404,
    'ExternalGatewayForFloatingIPNotFound',
    `External network ${externalNetworkId} is not reachable from subnet ${subnetId}.  Therefore, cannot associate Port ${port.id} with a Floating IP.`,
  );
}
