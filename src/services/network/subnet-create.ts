import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { NetworkRow, SubnetPoolRow } from '../../store/network-schema.js';
import { isoNow } from '../../util.js';
import { invalidInput, NeutronFault } from './errors.js';
import { formatAddress, formatCidr, overlaps, parseAddress, parseCidr, type Cidr } from './ip.js';
import { setPools, type Pool } from './ipam.js';
import { allocateEui64, isAutoAddress } from './ipam-auto.js';
import { checkQuota } from './quotas.js';
import {
  checkGatewayOutOfPools,
  checkPools,
  defaultGateway,
  defaultPools,
  validateSubnet,
  type HostRoute,
} from './subnet-rules.js';
import type { SubnetPools } from './subnetpools.js';
import { allocateFromPool } from './subnetpool-alloc.js';

/** A create, converted and validated attribute by attribute; the subnet as a whole is checked here. */
export interface SubnetInput {
  network_id?: string;
  name?: string;
  description?: string;
  ip_version?: 4 | 6;
  /** Canonical text; host bits are dropped here, as Neutron does. */
  cidr?: string;
  prefixlen?: number;
  /** undefined: the first address; null: no gateway. */
  gateway_ip?: string | null;
  allocation_pools?: { start: string; end: string }[];
  enable_dhcp?: boolean;
  dns_nameservers?: string[];
  host_routes?: HostRoute[];
  ipv6_ra_mode?: string | null;
  ipv6_address_mode?: string | null;
  subnetpool_id?: string | null;
  use_default_subnetpool?: boolean;
  service_types?: string[];
}

/** Neutron's BadRequest for subnets: "Bad subnets request: <msg>." */
function badSubnets(msg: string): NeutronFault {
  return new NeutronFault(400, 'BadRequest', `Bad subnets request: ${msg}.`);
}

/** _get_subnetpool_id: the pool named, or the default pool of the version when asked for. */
async function poolIdOf(
  tx: Db,
  ctx: RequestContext,
  pools: SubnetPools,
  input: SubnetInput,
  cidr: Cidr | null,
): Promise<string | null> {
  const named = input.subnetpool_id ?? null;
  if (input.use_default_subnetpool && named) {
    throw badSubnets('subnetpool_id and use_default_subnetpool cannot both be specified');
  }
  if (named || !input.use_default_subnetpool) return named;
  const version = cidr?.version ?? input.ip_version;
  const found = await pools.defaultPool(ctx, version!, tx);
  if (!found) throw badSubnets(`No default subnetpool found for IPv${version!}`);
  return found.id;
}

/**
 * create_subnet inside the caller's transaction, in Neutron's order: request shape, the
 * subnet's own rules, the pool (when one allocates it), gateway and pools, then the checks
 * against the network's other subnets. Returns the new subnet's id.
 */
export async function insertSubnet(
  tx: Db,
  ctx: RequestContext,
  pools: SubnetPools,
  network: NetworkRow,
  projectId: string,
  input: SubnetInput,
): Promise<string> {
  await checkQuota(tx, projectId, 'subnet');
  if (input.cidr !== undefined && input.prefixlen !== undefined) {
    throw badSubnets('cidr and prefixlen must not be supplied together');
  }
  const given = input.cidr === undefined ? null : parseCidr(input.cidr)!;
  let cidr: Cidr | null = given && { ...given };
  const poolId = await poolIdOf(tx, ctx, pools, input, cidr);
  if (!poolId && !cidr) throw badSubnets('a subnetpool must be specified in the absence of a cidr');
  if (poolId && !cidr && input.allocation_pools !== undefined) {
    throw badSubnets('allocation_pools allowed only for specific subnet requests.');
  }
  const version = input.ip_version!;
  validateSubnet({ ...input, ip_version: version, cidr: cidr && formatCidr(cidr) });

  let pool: SubnetPoolRow | null = null;
  if (poolId) {
    pool = await pools.row(ctx, poolId, tx);
    if (pool.ip_version !== version) {
      throw badSubnets(
        `Cannot allocate IPv${version} subnet from IPv${pool.ip_version} subnet pool`,
      );
    }
  }
  let gateway: bigint | null = null;
  let ranges: Pool[] = [];
  if (cidr) {
    if (input.gateway_ip === undefined) gateway = defaultGateway(cidr);
    else if (input.gateway_ip !== null) gateway = parseAddress(input.gateway_ip)!.value;
    if (input.allocation_pools === undefined) {
      ranges = defaultPools(cidr, gateway);
    } else {
      ranges = checkPools(cidr, input.allocation_pools);
      if (gateway !== null) checkGatewayOutOfPools(gateway, ranges, version);
    }
  }
  if (pool) {
    const gw = input.gateway_ip ? parseAddress(input.gateway_ip)! : null;
    // A gateway without a CIDR picks the CIDR around it (SubnetRequestFactory).
    const around =
      !cidr && gw
        ? parseCidr(`${input.gateway_ip!}/${input.prefixlen ?? pool.default_prefixlen}`)
        : null;
    const chosen = await allocateFromPool(tx, pool, {
      projectId,
      cidr: cidr ?? around ?? undefined,
      prefixlen: input.prefixlen,
    });
    if (!cidr) {
      cidr = chosen;
      gateway = gw ? gw.value : chosen.network + 1n;
      ranges = defaultPools(cidr, gateway);
    }
  }
  const c = cidr!;
  if (c.prefixlen === 0) throw invalidInput('0 is not allowed as CIDR prefix length');
  const siblings = await tx
    .selectFrom('subnets')
    .select(['cidr', 'ip_version', 'subnetpool_id'])
    .where('network_id', '=', network.id)
    .execute();
  for (const s of siblings) {
    if (overlaps(c, parseCidr(s.cidr)!)) {
      throw invalidInput(
        `Requested subnet with cidr: ${formatCidr(c)} for network: ${network.id} overlaps with another subnet`,
      );
    }
  }
  for (const s of siblings) {
    const sameVersion = s.ip_version === version;
    if (sameVersion && (pool ? s.subnetpool_id !== pool.id : s.subnetpool_id !== null)) {
      throw new NeutronFault(
        400,
        'NetworkSubnetPoolAffinityError',
        'Subnets hosted on the same network must be allocated from the same subnet pool.',
      );
    }
  }
  const id = randomUUID();
  const now = isoNow();
  await tx
    .insertInto('subnets')
    .values({
      id,
      project_id: projectId,
      network_id: network.id,
      name: input.name ?? '',
      description: input.description ?? '',
      ip_version: version,
      cidr: formatCidr(c),
      gateway_ip: gateway === null ? null : formatAddress({ version, value: gateway }),
      enable_dhcp: input.enable_dhcp === false ? 0 : 1,
      ipv6_ra_mode: input.ipv6_ra_mode ?? null,
      ipv6_address_mode: input.ipv6_address_mode ?? null,
      subnetpool_id: pool?.id ?? null,
      dns_nameservers: JSON.stringify(input.dns_nameservers ?? []),
      host_routes: JSON.stringify(input.host_routes ?? []),
      service_types: JSON.stringify(input.service_types ?? []),
      revision_number: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await setPools(tx, id, version, ranges);
  if (
    isAutoAddress({
      ipv6_ra_mode: input.ipv6_ra_mode ?? null,
      ipv6_address_mode: input.ipv6_address_mode ?? null,
    })
  ) {
    await addAutoAddresses(tx, { id, network_id: network.id, ip_version: 6, cidr: formatCidr(c) });
  }
  return id;
}

/**
 * A new SLAAC or DHCPv6-stateless subnet gives every port already on the network its EUI-64
 * address there (Neutron's add_auto_addrs_on_network_ports); router ports get none.
 */
async function addAutoAddresses(
  tx: Db,
  subnet: { id: string; network_id: string; ip_version: number; cidr: string },
): Promise<void> {
  const ports = await tx
    .selectFrom('ports')
    .select('id')
    .where('network_id', '=', subnet.network_id)
    .execute();
  for (const p of ports) await allocateEui64(tx, subnet, p.id);
}
