import type { Db } from '../../store/db.js';
import type { SubnetRow } from '../../store/network-schema.js';
import { conflict } from './errors.js';
import { formatAddress, parseAddress, parseCidr, type IpVersion } from './ip.js';
import { setPools } from './ipam.js';
import { bumpRevision } from './standard.js';
import type { SubnetInput } from './subnet-create.js';
import { checkGatewayOutOfPools, checkPools, validateSubnet } from './subnet-rules.js';

/** Router ports: their hold on the gateway address blocks changing it (ROUTER_PORT_OWNERS). */
const ROUTER_PORT_OWNERS = [
  'network:router_interface',
  'network:ha_router_replicated_interface',
  'network:router_interface_distributed',
  'network:router_gateway',
];

/**
 * update_subnet inside the caller's transaction (_update_subnet_precommit): the subnet's rules
 * against what is stored, the gateway no router holds, new pools valid and clear of the
 * gateway; pools are replaced and their free ranges rebuilt around what is allocated.
 */
export async function updateSubnet(
  tx: Db,
  row: SubnetRow,
  input: SubnetInput,
  ifMatch?: number,
): Promise<void> {
  const version = row.ip_version as IpVersion;
  const cidr = parseCidr(row.cidr)!;
  validateSubnet(
    { ...input, id: row.id, ip_version: version, cidr: row.cidr },
    {
      enable_dhcp: row.enable_dhcp === 1,
      ipv6_ra_mode: row.ipv6_ra_mode,
      ipv6_address_mode: row.ipv6_address_mode,
    },
  );
  const gateway =
    input.gateway_ip === undefined
      ? row.gateway_ip
      : input.gateway_ip === null
        ? null
        : formatAddress(parseAddress(input.gateway_ip)!);
  if (input.gateway_ip !== undefined && gateway !== row.gateway_ip && row.gateway_ip) {
    await checkGatewayFree(tx, row);
  }
  const pools = input.allocation_pools && checkPools(cidr, input.allocation_pools);
  if (gateway !== null && (gateway !== row.gateway_ip || pools)) {
    const current = await tx
      .selectFrom('subnet_allocation_pools')
      .select(['first_key', 'last_key'])
      .where('subnet_id', '=', row.id)
      .execute();
    const inForce =
      pools ??
      current.map((p) => ({
        first: BigInt(`0x${p.first_key}`),
        last: BigInt(`0x${p.last_key}`),
      }));
    checkGatewayOutOfPools(parseAddress(gateway)!.value, inForce, version);
  }
  const set: Partial<SubnetRow> = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.description !== undefined) set.description = input.description;
  if (input.enable_dhcp !== undefined) set.enable_dhcp = input.enable_dhcp ? 1 : 0;
  if (input.dns_nameservers !== undefined) {
    set.dns_nameservers = JSON.stringify(input.dns_nameservers);
  }
  if (input.host_routes !== undefined) set.host_routes = JSON.stringify(input.host_routes);
  if (input.service_types !== undefined) {
    set.service_types = JSON.stringify(input.service_types);
  }
  if (input.gateway_ip !== undefined) set.gateway_ip = gateway;
  if (pools) await setPools(tx, row.id, version, pools);
  await bumpRevision(tx, 'subnets', row, set, ifMatch);
}

/** GatewayIpInUse: a router port holds the current gateway address. */
async function checkGatewayFree(tx: Db, row: SubnetRow): Promise<void> {
  const holder = await tx
    .selectFrom('ip_allocations as a')
    .innerJoin('ports as p', 'p.id', 'a.port_id')
    .select('p.id')
    .where('a.subnet_id', '=', row.id)
    .where('a.ip_address', '=', row.gateway_ip!)
    .where('p.device_owner', 'in', ROUTER_PORT_OWNERS)
    .executeTakeFirst();
  if (holder) {
    throw conflict(
      'GatewayIpInUse',
      `Current gateway ip ${row.gateway_ip!} already in use by port ${holder.id}. Unable to update.`,
    );
  }
}
