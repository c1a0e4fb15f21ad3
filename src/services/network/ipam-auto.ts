import type { Db } from '../../store/db.js';
import { ROUTER_INTERFACE_OWNERS_SNAT } from './device-owners.js';
import { conflict } from './errors.js';
import { eui64, formatAddress, parseCidr } from './ip.js';
import { allocateAddress } from './ipam.js';

/** SLAAC and DHCPv6-stateless subnets: hosts pick their own (EUI-64) address (Neutron's
 * is_auto_address_subnet). */
export function isAutoAddress(subnet: {
  ipv6_ra_mode: string | null;
  ipv6_address_mode: string | null;
}): boolean {
  const auto = ['slaac', 'dhcpv6-stateless'];
  return auto.includes(subnet.ipv6_address_mode ?? '') || auto.includes(subnet.ipv6_ra_mode ?? '');
}

/**
 * Records the EUI-64 address of an auto-address subnet for a port already written in this
 * transaction (its MAC decides the address). Router ports get none. Returns the address, or
 * null when there is none to give; a taken address is IpAddressAlreadyAllocated (409).
 */
export async function allocateEui64(
  tx: Db,
  subnet: { id: string; network_id: string; ip_version: number; cidr: string },
  portId: string,
): Promise<string | null> {
  const port = await tx
    .selectFrom('ports')
    .select(['mac_address', 'device_owner'])
    .where('id', '=', portId)
    .executeTakeFirst();
  if (!port || ROUTER_INTERFACE_OWNERS_SNAT.includes(port.device_owner)) return null;
  const value = eui64(parseCidr(subnet.cidr)!, port.mac_address);
  if (value === null) return null;
  const ip = formatAddress({ version: 6, value });
  if (!(await allocateAddress(tx, subnet, value, portId))) {
    throw conflict(
      'IpAddressAlreadyAllocated',
      `IP address ${ip} already allocated in subnet ${subnet.id}`,
    );
  }
  return ip;
}
