import { pyRepr } from '../../http/pyrepr.js';
import type { Db } from '../../store/db.js';
import { NeutronFault } from './errors.js';
import { contains, overlaps, parseAddress, parseCidr } from './ip.js';
import { badResourceRequest } from './service-ports.js';

/** An extra route (extraroute): traffic for `destination` goes to `nexthop`. */
export interface Route {
  destination: string;
  nexthop: string;
}

/** The subnets a router is attached to (every subnet of its gateway's network) and its own addresses. */
async function attachments(
  tx: Db,
  routerId: string,
): Promise<{ subnets: { id: string; cidr: string }[]; ips: string[] }> {
  const held = await tx
    .selectFrom('router_ports as rp')
    .innerJoin('ports as p', 'p.id', 'rp.port_id')
    .innerJoin('ip_allocations as a', 'a.port_id', 'p.id')
    .innerJoin('subnets as s', 's.id', 'a.subnet_id')
    .select(['s.id', 's.cidr', 'a.ip_address', 'rp.port_type', 'p.network_id'])
    .where('rp.router_id', '=', routerId)
    .execute();
  const subnets = new Map<string, string>();
  for (const h of held) {
    if (h.port_type === 'network:router_gateway') {
      const all = await tx
        .selectFrom('subnets')
        .select(['id', 'cidr'])
        .where('network_id', '=', h.network_id)
        .execute();
      for (const s of all) subnets.set(s.id, s.cidr);
    } else {
      subnets.set(h.id, h.cidr);
    }
  }
  return {
    subnets: [...subnets].map(([id, cidr]) => ({ id, cidr })),
    ips: held.map((h) => h.ip_address),
  };
}

/**
 * _check_for_dup_router_subnets: a router is on a subnet at most once, and the subnets it joins
 * do not overlap, since it routes between them.
 */
export async function checkSubnetOverlaps(
  tx: Db,
  routerId: string,
  joining: { id: string; cidr: string }[],
): Promise<void> {
  const { subnets } = await attachments(tx, routerId);
  const direct = await tx
    .selectFrom('router_ports as rp')
    .innerJoin('ip_allocations as a', 'a.port_id', 'rp.port_id')
    .select('a.subnet_id')
    .where('rp.router_id', '=', routerId)
    .execute();
  for (const d of direct) {
    if (joining.some((j) => j.id === d.subnet_id)) {
      throw badResourceRequest('router', `Router already has a port on subnet ${d.subnet_id}`);
    }
  }
  for (const s of subnets) {
    for (const j of joining) {
      if (overlaps(parseCidr(s.cidr)!, parseCidr(j.cidr)!)) {
        throw badResourceRequest(
          'router',
          `Cidr ${j.cidr} of subnet ${j.id} overlaps with cidr ${s.cidr} of subnet ${s.id}`,
        );
      }
    }
  }
}

/** InvalidRoutes: each nexthop must be on a subnet the router is attached to, and not its own. */
export async function checkRoutes(tx: Db, routerId: string, routes: Route[]): Promise<void> {
  if (routes.length === 0) return;
  const { subnets, ips } = await attachments(tx, routerId);
  for (const r of routes) {
    const hop = parseAddress(r.nexthop)!;
    const reason = !subnets.some((s) => contains(parseCidr(s.cidr)!, hop))
      ? 'the nexthop is not connected with router'
      : ips.includes(r.nexthop)
        ? 'the nexthop is used by router'
        : undefined;
    if (reason) {
      throw new NeutronFault(
        400,
        'InvalidRoutes',
        `Invalid format for routes: ${pyRepr(routes)}, ${reason}`,
      );
    }
  }
}

/** RouterInterfaceInUseByRoute: an extra route's nexthop lies on the subnet leaving. */
export function refuseIfRouted(
  routerId: string,
  routes: Route[],
  subnet: { id: string; cidr: string },
): void {
  const cidr = parseCidr(subnet.cidr)!;
  if (routes.some((r) => contains(cidr, parseAddress(r.nexthop)!))) {
    throw new NeutronFault(
      409,
      'RouterInterfaceInUseByRoute',
      `Router interface for subnet ${subnet.id} on router ${routerId} cannot be deleted, as it is required by one or more routes.`,
    );
  }
}
