import { pyRepr } from '../../http/pyrepr.js';
import { conflict, invalidInput, NeutronFault } from './errors.js';
import {
  formatAddress,
  formatCidr,
  isLoopback,
  isMulticast,
  lastOf,
  parseAddress,
  parseCidr,
  type Cidr,
  type IpVersion,
} from './ip.js';
import type { Pool } from './ipam.js';
import { isAutoAddress } from './ipam-auto.js';

/**
 * The checks Neutron makes of a subnet as a whole (neutron/db/db_base_plugin_v2.py
 * _validate_subnet, ipam_backend_mixin.py validate_allocation_pools, neutron/ipam/utils.py),
 * in Neutron's order, with its exception types and texts. Attribute-level checks (is it an
 * address at all) happened in the route.
 */

/** neutron.conf defaults: max_dns_nameservers, max_subnet_host_routes. */
export const MAX_DNS_NAMESERVERS = 5;
export const MAX_HOST_ROUTES = 20;

export interface HostRoute {
  destination: string;
  nexthop: string;
}

/** What _validate_subnet reads: the request's values, the current subnet's on an update. */
export interface SubnetSpec {
  /** The subnet id on an update; "new subnet" in texts on a create. */
  id?: string;
  ip_version: IpVersion;
  cidr: string | null;
  gateway_ip?: string | null;
  enable_dhcp?: boolean;
  dns_nameservers?: string[];
  host_routes?: HostRoute[];
  ipv6_ra_mode?: string | null;
  ipv6_address_mode?: string | null;
}

function versionOf(text: string): IpVersion | null {
  return parseAddress(text)?.version ?? parseCidr(text)?.version ?? null;
}

function checkVersion(version: IpVersion, addr: string, name: string): void {
  if (versionOf(addr) !== version) {
    throw invalidInput(`${name} '${addr}' does not match the ip_version '${version}'`);
  }
}

/** check_gateway_invalid_in_subnet: an IPv4 gateway may not be the network or broadcast address. */
export function gatewayInvalid(cidr: Cidr, gateway: bigint): boolean {
  if (cidr.version !== 4) return false;
  const inside = gateway >= cidr.network && gateway <= lastOf(cidr);
  return inside && (gateway === cidr.network || gateway === lastOf(cidr));
}

/**
 * _validate_subnet. `current` is the stored subnet on an update (DHCP was already on; the IPv6
 * modes cannot change, only DHCP being switched off is checked against them).
 */
export function validateSubnet(
  s: SubnetSpec,
  current?: { enable_dhcp: boolean; ipv6_ra_mode: string | null; ipv6_address_mode: string | null },
): void {
  const v = s.ip_version;
  const cidr = s.cidr === null ? null : parseCidr(s.cidr);
  if (s.cidr !== null) checkVersion(v, s.cidr, 'cidr');
  if (cidr && s.enable_dhcp && !current?.enable_dhcp) {
    if ((v === 4 && cidr.prefixlen > 30) || (v === 6 && cidr.prefixlen > 126)) {
      throw invalidInput(
        'Subnet has a prefix length that is incompatible with DHCP service enabled',
      );
    }
    if (isMulticast(cidr)) {
      throw invalidInput('Multicast IP subnet is not supported if enable_dhcp is True');
    }
    if (isLoopback(cidr)) {
      throw invalidInput('Loopback IP subnet is not supported if enable_dhcp is True');
    }
    if (v === 4 && cidr.network === 0n) {
      throw invalidInput("First IP '0.0.0.0' of network is not supported if enable_dhcp is True.");
    }
  }
  if (s.gateway_ip) {
    checkVersion(v, s.gateway_ip, 'gateway_ip');
    if (cidr && gatewayInvalid(cidr, parseAddress(s.gateway_ip)!.value)) {
      throw invalidInput('Gateway is not valid on subnet');
    }
  }
  const subnetName = s.id ?? 'new subnet';
  if (s.dns_nameservers !== undefined) {
    if (s.dns_nameservers.length > MAX_DNS_NAMESERVERS) {
      throw new NeutronFault(
        400,
        'DNSNameServersExhausted',
        `Unable to complete operation for ${subnetName}. The number of DNS nameservers exceeds the limit ${MAX_DNS_NAMESERVERS}.`,
      );
    }
    for (const dns of s.dns_nameservers) checkVersion(v, dns, 'dns_nameserver');
  }
  if (s.host_routes !== undefined) {
    if (s.host_routes.length > MAX_HOST_ROUTES) {
      throw new NeutronFault(
        400,
        'HostRoutesExhausted',
        `Unable to complete operation for ${subnetName}. The number of host routes exceeds the limit ${MAX_HOST_ROUTES}.`,
      );
    }
    for (const r of s.host_routes) {
      checkVersion(v, r.nexthop, 'nexthop');
      checkVersion(v, r.destination, 'destination');
    }
  }
  const raSet = s.ipv6_ra_mode !== undefined && s.ipv6_ra_mode !== null;
  const addrSet = s.ipv6_address_mode !== undefined && s.ipv6_address_mode !== null;
  if (v === 4) {
    if (raSet) throw invalidInput('ipv6_ra_mode is not valid when ip_version is 4');
    if (addrSet) throw invalidInput('ipv6_address_mode is not valid when ip_version is 4');
    return;
  }
  if (current) {
    const modes = current.ipv6_ra_mode !== null || current.ipv6_address_mode !== null;
    if (s.enable_dhcp === false && modes) {
      throw invalidInput('Cannot disable enable_dhcp with ipv6 attributes set');
    }
    return;
  }
  if ((raSet || addrSet) && s.enable_dhcp === false) {
    throw invalidInput(
      'ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False',
    );
  }
  if (raSet && addrSet && s.ipv6_ra_mode !== s.ipv6_address_mode) {
    throw invalidInput(
      `ipv6_ra_mode set to '${s.ipv6_ra_mode}' with ipv6_address_mode set to '${s.ipv6_address_mode}' is not valid. If both attributes are set, they must be the same value`,
    );
  }
  const auto = isAutoAddress({
    ipv6_ra_mode: s.ipv6_ra_mode ?? null,
    ipv6_address_mode: s.ipv6_address_mode ?? null,
  });
  if (cidr && auto && cidr.prefixlen !== 64) {
    throw invalidInput(
      `Invalid CIDR ${s.cidr} for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64`,
    );
  }
}

/** IPRange's str(), as Neutron's pool texts print a pool. */
export function poolText(p: Pool, version: IpVersion): string {
  return `${formatAddress({ version, value: p.first })}-${formatAddress({ version, value: p.last })}`;
}

/**
 * Requested pools as ranges (pools_to_ip_range), then validate_allocation_pools: each inside
 * the usable part of the CIDR and of its version, none overlapping another.
 */
export function checkPools(cidr: Cidr, pools: { start: string; end: string }[]): Pool[] {
  const ranges = pools.map((p) => {
    const start = parseAddress(p.start);
    const end = parseAddress(p.end);
    if (!start || !end || start.version !== end.version || start.value > end.value) {
      throw new NeutronFault(
        400,
        'InvalidAllocationPool',
        `The allocation pool ${pyRepr(p)} is not valid.`,
      );
    }
    return { version: start.version, first: start.value, last: end.value };
  });
  const cidrText = formatCidr(cidr);
  const last = lastOf(cidr);
  const v4Edges = cidr.version === 4 && cidr.prefixlen <= 30;
  const usableFirst = cidr.version === 6 || v4Edges ? cidr.network + 1n : cidr.network;
  const usableLast = v4Edges ? last - 1n : last;
  for (const r of ranges) {
    const text = poolText(r, r.version);
    if (r.version !== cidr.version) {
      throw new NeutronFault(
        400,
        'InvalidAllocationPool',
        `The allocation pool ${text} is not valid.`,
      );
    }
    if (r.first < usableFirst || r.last > usableLast) {
      throw new NeutronFault(
        400,
        'OutOfBoundsAllocationPool',
        `The allocation pool ${text} spans beyond the subnet cidr ${cidrText}.`,
      );
    }
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [a, b] = [ranges[i]!, ranges[j]!];
      if (a.first <= b.last && b.first <= a.last) {
        throw conflict(
          'OverlappingAllocationPools',
          `Found overlapping allocation pools: ${poolText(a, a.version)} ${poolText(b, b.version)} for subnet ${cidrText}.`,
        );
      }
    }
  }
  return ranges.map((r) => ({ first: r.first, last: r.last }));
}

/** validate_gw_out_of_pools. */
export function checkGatewayOutOfPools(gateway: bigint, pools: Pool[], version: IpVersion): void {
  for (const p of pools) {
    if (gateway >= p.first && gateway <= p.last) {
      throw conflict(
        'GatewayConflictWithAllocationPools',
        `Gateway ip ${formatAddress({ version, value: gateway })} conflicts with allocation pool ${poolText(p, version)}.`,
      );
    }
  }
}

/**
 * generate_pools: the usable addresses (IPv4 without network and broadcast up to /30, IPv6
 * without the subnet-router anycast address) minus the gateway, as contiguous ranges.
 */
export function defaultPools(cidr: Cidr, gateway: bigint | null): Pool[] {
  const last = lastOf(cidr);
  if (cidr.network === last) return [{ first: last, last }];
  const v4Edges = cidr.version === 4 && cidr.prefixlen <= 30;
  const first = cidr.version === 6 || v4Edges ? cidr.network + 1n : cidr.network;
  const end = v4Edges ? last - 1n : last;
  if (gateway === null || gateway < first || gateway > end) return [{ first, last: end }];
  return [
    ...(gateway > first ? [{ first, last: gateway - 1n }] : []),
    ...(gateway < end ? [{ first: gateway + 1n, last: end }] : []),
  ];
}

/** _gateway_ip_str: with no gateway given, IPv4 takes the first address after the network's,
 * IPv6 the network address itself (Neutron since Stein). */
export function defaultGateway(cidr: Cidr): bigint {
  return cidr.version === 6 ? cidr.network : cidr.network + 1n;
}
