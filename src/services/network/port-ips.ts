import type { Db } from '../../store/db.js';
import type { SubnetRow } from '../../store/network-schema.js';
import { conflict, invalidInput, NeutronFault, notFound } from './errors.js';
import {
  contains,
  eui64 as eui64Of,
  formatAddress,
  lastOf,
  parseAddress,
  parseCidr,
} from './ip.js';
import { allocateAddress, allocateNext } from './ipam.js';
import { isAutoAddress } from './ipam-auto.js';
import { ROUTER_INTERFACE_OWNERS, ROUTER_INTERFACE_OWNERS_SNAT } from './device-owners.js';

/**
 * A port's fixed IPs as Neutron's IPAM backend reads a request
 * (neutron/db/ipam_pluggable_backend.py, ipam_backend_mixin.py): which subnet each entry means,
 * whether its address may be had, and on update which addresses change. Runs inside the
 * port's transaction; the addresses themselves come from ipam.ts.
 */
export interface FixedIpRequest {
  subnet_id?: string;
  ip_address?: string;
}

export interface PortForIps {
  id: string;
  network_id: string;
  device_owner: string;
  mac_address: string;
}

export type Subnet = Pick<
  SubnetRow,
  'id' | 'network_id' | 'ip_version' | 'cidr' | 'ipv6_address_mode' | 'ipv6_ra_mode'
>;

/** A resolved request: one subnet, with or without a wanted address. */
export interface Wanted {
  subnet: Subnet;
  ip?: string;
}

const ROUTER_PORT_OWNERS = [...ROUTER_INTERFACE_OWNERS_SNAT, 'network:router_gateway'];

/** SLAAC and DHCPv6-stateless subnets give every port its EUI-64 address (ipam-auto.ts). */
export const autoAddress = (s: Subnet): boolean => s.ip_version === 6 && isAutoAddress(s);

/** neutron/ipam/utils.py check_subnet_ip: in the subnet, and not its network (or v4 broadcast). */
function validOnSubnet(s: Subnet, ip: string, owner: string): boolean {
  const net = parseCidr(s.cidr)!;
  const a = parseAddress(ip);
  if (!a || !contains(net, a)) return false;
  if (net.version === 6)
    return [...ROUTER_PORT_OWNERS, ''].includes(owner) || a.value !== net.network;
  // netaddr gives a /31 or /32 no broadcast address.
  return a.value !== net.network && (net.prefixlen >= 31 || a.value !== lastOf(net));
}

/** The port's EUI-64 address on an auto-address subnet (see ip.ts). */
export function eui64(cidr: string, mac: string): string {
  return formatAddress({ version: 6, value: eui64Of(parseCidr(cidr)!, mac)! });
}

export async function subnetsOf(tx: Db, networkId: string): Promise<Subnet[]> {
  return tx
    .selectFrom('subnets')
    .select(['id', 'network_id', 'ip_version', 'cidr', 'ipv6_address_mode', 'ipv6_ra_mode'])
    .where('network_id', '=', networkId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** _get_subnet_for_fixed_ip and _test_fixed_ips_for_port: each entry to a subnet of the network. */
export async function resolve(
  tx: Db,
  port: PortForIps,
  subnets: Subnet[],
  requests: FixedIpRequest[],
): Promise<Wanted[]> {
  const out: Wanted[] = [];
  for (const req of requests) {
    if (subnets.length === 0) throw invalidInput('IP allocation requires subnets for network');
    let subnet: Subnet | undefined;
    if (req.subnet_id !== undefined) {
      subnet = subnets.find((s) => s.id === req.subnet_id);
      if (!subnet) {
        const exists = await tx
          .selectFrom('subnets')
          .select('id')
          .where('id', '=', req.subnet_id)
          .executeTakeFirst();
        if (!exists) throw notFound('subnet', req.subnet_id);
        throw invalidInput(
          `Failed to create port on network ${port.network_id}, because fixed_ips included invalid subnet ${req.subnet_id}`,
        );
      }
      if (req.ip_address !== undefined && !validOnSubnet(subnet, req.ip_address, port.device_owner))
        throw new NeutronFault(
          400,
          'InvalidIpForSubnet',
          `IP address ${req.ip_address} is not a valid IP for the specified subnet.`,
        );
    } else if (req.ip_address === undefined) {
      throw invalidInput('IP allocation requires subnet_id or ip_address');
    } else {
      const ip = req.ip_address;
      subnet = subnets.find((s) => validOnSubnet(s, ip, port.device_owner));
      if (!subnet)
        throw new NeutronFault(
          400,
          'InvalidIpForNetwork',
          `IP address ${ip} is not a valid IP for any of the subnets on the specified network.`,
        );
    }
    const routerInterface = ROUTER_INTERFACE_OWNERS.includes(port.device_owner);
    if (req.ip_address !== undefined) {
      const ip = formatAddress(parseAddress(req.ip_address)!);
      if (autoAddress(subnet) && !routerInterface && ip !== eui64(subnet.cidr, port.mac_address))
        throw new NeutronFault(
          400,
          'AllocationOnAutoAddressSubnet',
          `IPv6 address ${req.ip_address} cannot be directly assigned to a port on subnet ${subnet.id} as the subnet is configured for automatic addresses`,
        );
      out.push({ subnet, ip });
    } else if (ROUTER_INTERFACE_OWNERS_SNAT.includes(port.device_owner) || !autoAddress(subnet)) {
      out.push({ subnet });
    }
  }
  return out;
}

function alreadyAllocated(ip: string, subnetId: string): NeutronFault {
  return conflict(
    'IpAddressAlreadyAllocated',
    `IP address ${ip} already allocated in subnet ${subnetId}`,
  );
}

export function exhausted(networkId: string): NeutronFault {
  return conflict(
    'IpAddressGenerationFailure',
    `No more IP addresses available on network ${networkId}.`,
  );
}

/**
 * Allocates what was resolved, specific addresses first (they may be the next free ones), then
 * one address from each group of subnets: the first subnet of a group that has one free.
 */
export async function take(tx: Db, port: PortForIps, wanted: (Wanted | Subnet[])[]): Promise<void> {
  const specific = wanted.filter((w): w is Wanted => !Array.isArray(w) && w.ip !== undefined);
  for (const w of specific) {
    const value = parseAddress(w.ip)!.value;
    if (!(await allocateAddress(tx, w.subnet, value, port.id)))
      throw alreadyAllocated(w.ip!, w.subnet.id);
  }
  for (const w of wanted) {
    if (!Array.isArray(w) && w.ip !== undefined) continue;
    const group = Array.isArray(w) ? w : [w.subnet];
    let got = false;
    for (const s of group) if ((got = (await allocateNext(tx, s, port.id)) !== null)) break;
    if (!got) throw exhausted(port.network_id);
  }
}

/** The EUI-64 addresses of a port on the network's auto-address subnets not yet handled. */
export function autoAddresses(port: PortForIps, subnets: Subnet[], handled: Set<string>): Wanted[] {
  if (ROUTER_INTERFACE_OWNERS_SNAT.includes(port.device_owner)) return [];
  return subnets
    .filter((s) => autoAddress(s) && !handled.has(s.id))
    .map((s) => ({ subnet: s, ip: eui64(s.cidr, port.mac_address) }));
}

/**
 * A new port's addresses. Without fixed_ips: one from the IPv4 subnets and one from the
 * stateful IPv6 subnets, plus the EUI-64 address on each auto-address subnet; `[]`: none.
 */
export async function allocateForNewPort(
  tx: Db,
  port: PortForIps,
  requests: FixedIpRequest[] | undefined,
): Promise<void> {
  const subnets = await subnetsOf(tx, port.network_id);
  const wanted: (Wanted | Subnet[])[] = [];
  if (requests === undefined) {
    const v4 = subnets.filter((s) => s.ip_version === 4);
    const v6 = subnets.filter((s) => s.ip_version === 6 && !autoAddress(s));
    for (const group of [v4, v6]) if (group.length > 0) wanted.push(group);
    wanted.push(...autoAddresses(port, subnets, new Set()));
  } else {
    wanted.push(...(await resolve(tx, port, subnets, requests)));
    wanted.push(...autoAddresses(port, subnets, new Set()));
  }
  await take(tx, port, wanted);
}

/**
 * A new SLAAC or DHCPv6-stateless subnet gives the ports already on its network their EUI-64
 * address there (add_auto_addrs_on_network_ports); router interface ports get none. For the
 * subnet create, inside its transaction. An address already taken is left to its holder.
 */
export async function addAutoAddresses(tx: Db, subnet: Subnet): Promise<void> {
  if (!autoAddress(subnet)) return;
  const ports = await tx
    .selectFrom('ports')
    .select(['id', 'mac_address', 'device_owner'])
    .where('network_id', '=', subnet.network_id)
    .execute();
  for (const p of ports) {
    if (ROUTER_INTERFACE_OWNERS_SNAT.includes(p.device_owner)) continue;
    const value = parseAddress(eui64(subnet.cidr, p.mac_address))!.value;
    await allocateAddress(tx, subnet, value, p.id);
  }
}
