import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { RouterRow } from '../../store/network-schema.js';
import { conflict } from './errors.js';
import type { Networks } from './networks.js';
import type { FixedIpRequest, Ports } from './ports.js';
import { checkRoutes, checkSubnetOverlaps, type Route } from './router-checks.js';
import {
  badResourceRequest,
  deleteServicePort,
  insertServicePort,
  portAddresses,
} from './service-ports.js';

/** `external_gateway_info` as a create or update asks for it; null: no gateway. */
export interface GatewayInput {
  network_id: string;
  enable_snat?: boolean;
  external_fixed_ips?: FixedIpRequest[];
}

export const GATEWAY_OWNER = 'network:router_gateway';

/**
 * Moves a router's gateway to what is asked, inside the caller's transaction, the way
 * neutron/db/l3_db.py does: the same network with other addresses re-addresses the port; another
 * network (or none) replaces it, unless floating IPs go out through it. The gateway port has no
 * project (Neutron hides it from members) and takes addresses from the external pools unless an
 * admin named them. Returns the columns of the router to write.
 */
export async function setGateway(
  tx: Db,
  ctx: RequestContext,
  deps: { networks: Networks; ports: Ports },
  router: RouterRow,
  info: GatewayInput | null,
  routes: Route[],
): Promise<Partial<RouterRow>> {
  const ext = info?.external_fixed_ips ?? [];
  const network = info ? await deps.networks.row(ctx, info.network_id, tx) : null;
  if (network && network.external !== 1) {
    throw badResourceRequest('router', `Network ${network.id} is not an external network`);
  }
  const subnets = network
    ? await tx.selectFrom('subnets').selectAll().where('network_id', '=', network.id).execute()
    : [];
  for (const ip of ext) {
    if (ip.ip_address !== undefined && subnets.some((s) => s.gateway_ip === ip.ip_address)) {
      throw badResourceRequest(
        'router',
        `External IP ${ip.ip_address} is the same as the gateway IP`,
      );
    }
  }
  const current = router.gw_port_id ? await portAddresses(tx, router.gw_port_id) : [];
  const sameNetwork = network !== null && router.gw_network_id === network.id;
  const snat = info?.enable_snat ?? true;
  if (sameNetwork && !addressesChange(current, ext)) {
    await checkRoutes(tx, router.id, routes);
    return { enable_snat: snat ? 1 : 0 };
  }
  if (router.gw_port_id && !sameNetwork) await refuseIfFloatingIps(tx, router);
  if (router.gw_port_id) {
    await deleteServicePort(tx, router.gw_port_id);
  }
  if (!network) {
    await checkRoutes(tx, router.id, routes);
    return { gw_network_id: null, gw_port_id: null, enable_snat: 1 };
  }
  if (!sameNetwork) await checkSubnetOverlaps(tx, router.id, subnets);
  const portId = await insertServicePort(tx, deps.ports, network, {
    projectId: '',
    deviceId: router.id,
    deviceOwner: GATEWAY_OWNER,
    status: 'ACTIVE',
    fixedIps: ext.length > 0 ? ext : undefined,
  });
  await tx
    .insertInto('router_ports')
    .values({ router_id: router.id, port_id: portId, port_type: GATEWAY_OWNER })
    .execute();
  await checkRoutes(tx, router.id, routes);
  return { gw_network_id: network.id, gw_port_id: portId, enable_snat: snat ? 1 : 0 };
}

/** _check_for_external_ip_change: other subnets, or other addresses, than the port holds. */
function addressesChange(
  current: { subnet_id: string; ip_address: string }[],
  ext: FixedIpRequest[],
): boolean {
  if (ext.length === 0) return false;
  const had = new Set(current.map((c) => c.subnet_id));
  const want = new Set(ext.flatMap((e) => (e.subnet_id ? [e.subnet_id] : [])));
  if (had.size !== want.size || [...want].some((s) => !had.has(s))) return true;
  const ips = new Set(current.map((c) => c.ip_address));
  const wantIps = new Set(ext.flatMap((e) => (e.ip_address ? [e.ip_address] : [])));
  return ips.size !== wantIps.size || [...wantIps].some((i) => !ips.has(i));
}

/** RouterExternalGatewayInUseByFloatingIp: floating IPs go out through this gateway. */
export async function refuseIfFloatingIps(tx: Db, router: RouterRow): Promise<void> {
  const used = await tx
    .selectFrom('floatingips')
    .select('id')
    .where('router_id', '=', router.id)
    .limit(1)
    .executeTakeFirst();
  if (used) {
    throw conflict(
      'RouterExternalGatewayInUseByFloatingIp',
      `Gateway cannot be updated for router ${router.id}, since a gateway to external network ${router.gw_network_id ?? ''} is required by one or more floating IPs.`,
    );
  }
}
