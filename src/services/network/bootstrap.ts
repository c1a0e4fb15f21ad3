import fs from 'node:fs';
import { systemContext, type RequestContext } from '../../context.js';
import type { ExternalNetworkConfig } from '../../config.js';
import { NO_QUERY, type ListQuery } from './listing.js';
import type { NetworkService } from './service.js';

export interface NetworkDefaultsOptions {
  external: ExternalNetworkConfig;
  adminProjectId: string;
  demoProjectId: string;
  /** Written once the defaults exist: later starts leave the network service as users left it. */
  markerFile: string;
}

/** DevStack's names and its default tenant range (lib/neutron_plugins/services/l3: FIXED_RANGE). */
export const DEFAULTS = {
  externalSubnet: 'public-subnet',
  privateNetwork: 'private',
  privateSubnet: 'private-subnet',
  privateCidr: '10.0.0.0/26',
  poolV4: 'shared-default-subnetpool-v4',
  poolV4Prefix: '10.0.0.0/22',
  poolV6: 'shared-default-subnetpool-v6',
  /** DevStack draws a random ULA /56; a fixed one keeps every data directory alike. */
  poolV6Prefix: 'fd7c:a1e5:0ce0::/56',
  router: 'router1',
} as const;

/**
 * What `stack.sh` leaves a new DevStack with, made on the first start of an empty data
 * directory: the external network (admin's, router:external, the default one, flat on
 * `public`) with a subnet whose pool gives floating IPs and router gateways, and for `demo` a
 * `private` network, `private-subnet` and `router1`.
 *
 * Runs once: the marker file records that it ran, so a user who deletes a default does not get
 * it back at the next start. Each step first looks for its resource by name, so a start that
 * crashed half way completes the rest and makes nothing twice.
 */
export async function createNetworkDefaults(
  network: NetworkService,
  opts: NetworkDefaultsOptions,
): Promise<void> {
  if (fs.existsSync(opts.markerFile)) return;
  const admin = systemContext(opts.adminProjectId, 'pocketstack');
  const demo = systemContext(opts.demoProjectId, 'pocketstack');
  const ext = opts.external;

  const externalId = await ensureNetwork(network, admin, opts.adminProjectId, ext.name, () =>
    network.networks.create(admin, opts.adminProjectId, {
      name: ext.name,
      external: true,
      is_default: true,
      shared: false,
      network_type: 'flat',
      physical_network: 'public',
      mtu: 1500,
    }),
  );
  await ensureSubnet(network, admin, externalId, DEFAULTS.externalSubnet, () =>
    network.subnets.create(admin, opts.adminProjectId, {
      network_id: externalId,
      name: DEFAULTS.externalSubnet,
      ip_version: 4,
      cidr: ext.cidr,
      gateway_ip: ext.gateway,
      allocation_pools: [{ start: ext.poolStart, end: ext.poolEnd }],
      // DevStack's public subnet has no DHCP (and Neutron refuses DHCP on loopback ranges).
      enable_dhcp: false,
    }),
  );

  // DevStack's default subnet pools (lib/neutron_plugins/services/l3): shared, the default of
  // their family, so `private-subnet` and get-me-a-network (auto-allocated topology) draw on them.
  const poolV4 = await ensurePool(network, admin, DEFAULTS.poolV4, () =>
    network.subnetpools.create(admin, opts.adminProjectId, {
      name: DEFAULTS.poolV4,
      prefixes: [DEFAULTS.poolV4Prefix],
      default_prefixlen: 26,
      shared: true,
      is_default: true,
    }),
  );
  await ensurePool(network, admin, DEFAULTS.poolV6, () =>
    network.subnetpools.create(admin, opts.adminProjectId, {
      name: DEFAULTS.poolV6,
      prefixes: [DEFAULTS.poolV6Prefix],
      default_prefixlen: 64,
      shared: true,
      is_default: true,
    }),
  );

  const privateId = await ensureNetwork(
    network,
    demo,
    opts.demoProjectId,
    DEFAULTS.privateNetwork,
    () => network.networks.create(demo, opts.demoProjectId, { name: DEFAULTS.privateNetwork }),
  );
  const subnetId = await ensureSubnet(network, demo, privateId, DEFAULTS.privateSubnet, () =>
    network.subnets.create(demo, opts.demoProjectId, {
      network_id: privateId,
      name: DEFAULTS.privateSubnet,
      ip_version: 4,
      cidr: DEFAULTS.privateCidr,
      subnetpool_id: poolV4,
    }),
  );

  // router1 last, as DevStack makes it: a gateway on the external network and an interface on
  // private-subnet, so demo's ports can have floating IPs from the first start.
  const routers = await network.routers.list(
    demo,
    filterQuery({ name: [DEFAULTS.router], project_id: [opts.demoProjectId] }),
  );
  if (routers.rows.length === 0) {
    const router = await network.routers.create(demo, opts.demoProjectId, {
      name: DEFAULTS.router,
      external_gateway_info: { network_id: externalId },
    });
    await network.routers.addInterface(demo, router.id, { subnet_id: subnetId });
  }

  fs.writeFileSync(
    opts.markerFile,
    JSON.stringify({ externalNetworkId: externalId, privateNetworkId: privateId }) + '\n',
  );
}

async function ensureNetwork(
  network: NetworkService,
  ctx: RequestContext,
  projectId: string,
  name: string,
  create: () => Promise<{ id: string }>,
): Promise<string> {
  const found = await network.networks.list(
    ctx,
    filterQuery({ name: [name], project_id: [projectId] }),
  );
  return found.rows[0]?.id ?? (await create()).id;
}

async function ensurePool(
  network: NetworkService,
  ctx: RequestContext,
  name: string,
  create: () => Promise<{ id: string }>,
): Promise<string> {
  const found = await network.subnetpools.list(ctx, filterQuery({ name: [name] }));
  return found.rows[0]?.id ?? (await create()).id;
}

async function ensureSubnet(
  network: NetworkService,
  ctx: RequestContext,
  networkId: string,
  name: string,
  create: () => Promise<{ id: string }>,
): Promise<string> {
  const found = await network.subnets.list(
    ctx,
    filterQuery({ name: [name], network_id: [networkId] }),
  );
  return found.rows[0]?.id ?? (await create()).id;
}

/** The first row named so: a list query of one page of one. */
function filterQuery(filters: Record<string, string[]>): ListQuery {
  return { ...NO_QUERY, filters: new Map(Object.entries(filters)), limit: 1 };
}
