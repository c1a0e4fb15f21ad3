import type { Db } from '../../store/db.js';
import { NeutronFault } from './errors.js';
import { formatAddress, parseAddress } from './ip.js';
import { release } from './ipam.js';
import {
  autoAddress,
  autoAddresses,
  resolve,
  subnetsOf,
  take,
  type FixedIpRequest,
  type PortForIps,
} from './port-ips.js';
import { ROUTER_INTERFACE_OWNERS_SNAT } from './device-owners.js';

/** An address a port holds. */
interface Held {
  subnet_id: string;
  ip_address: string;
  ip_key: string;
}

async function heldBy(tx: Db, portId: string): Promise<Held[]> {
  return tx
    .selectFrom('ip_allocations')
    .select(['subnet_id', 'ip_address', 'ip_key'])
    .where('port_id', '=', portId)
    .orderBy('ip_key')
    .execute();
}

/**
 * A fixed_ips update (_get_changed_ips_for_port): an address asked for again is kept, a
 * subnet asked for without an address keeps the port's address there, and only the rest is
 * released or allocated. Auto-address (EUI-64) addresses stay unless their subnet is asked
 * with another address. `refuseV4Change` is the rule for router interface ports: any IPv4
 * address added or released is refused. Returns whether any address changed.
 */
export async function updateFixedIps(
  tx: Db,
  port: PortForIps,
  requests: FixedIpRequest[],
  refuseV4Change: boolean,
): Promise<boolean> {
  const original = await heldBy(tx, port.id);
  const subnets = await subnetsOf(tx, port.network_id);
  const byIp = new Map(original.map((o) => [o.ip_address, o]));
  // Addresses as the allocations print them, so that `2001:DB8::5` finds `2001:db8::5`.
  const canonical = requests.map((r) => {
    const a = r.ip_address === undefined ? null : parseAddress(r.ip_address);
    return a ? { ...r, ip_address: formatAddress(a) } : r;
  });
  const add: FixedIpRequest[] = [];
  const kept: Held[] = [];
  for (const r of canonical) {
    if (r.ip_address === undefined) continue;
    const o = byIp.get(r.ip_address);
    if (o) {
      byIp.delete(r.ip_address);
      kept.push(o);
    } else add.push(r);
  }
  const bySubnet = new Map<string, Held[]>();
  for (const o of byIp.values())
    bySubnet.set(o.subnet_id, [...(bySubnet.get(o.subnet_id) ?? []), o]);
  for (const r of canonical) {
    if (r.ip_address !== undefined) continue;
    const o = r.subnet_id === undefined ? undefined : bySubnet.get(r.subnet_id)?.pop();
    if (o) kept.push(o);
    else add.push(r);
  }
  const remove: Held[] = [];
  for (const o of [...bySubnet.values()].flat()) {
    const s = subnets.find((x) => x.id === o.subnet_id);
    const auto =
      s !== undefined &&
      autoAddress(s) &&
      !ROUTER_INTERFACE_OWNERS_SNAT.includes(port.device_owner);
    (auto ? kept : remove).push(o);
  }
  if (refuseV4Change) {
    const v4 = (ip: string | undefined, subnetId: string | undefined): boolean =>
      ip !== undefined
        ? parseAddress(ip)?.version === 4
        : subnets.find((s) => s.id === subnetId)?.ip_version === 4;
    if (
      [
        ...remove.map((o) => v4(o.ip_address, o.subnet_id)),
        ...add.map((r) => v4(r.ip_address, r.subnet_id)),
      ].some(Boolean)
    )
      throw new NeutronFault(
        400,
        'BadRequest',
        `Bad ports request: IP updates for port ${port.id} are not allowed.`,
      );
  }
  const wanted = await resolve(tx, port, subnets, add);
  for (const o of remove) await release(tx, o.subnet_id, o.ip_key);
  const handled = new Set(
    [...wanted, ...kept, ...remove].map((w) => ('subnet' in w ? w.subnet.id : w.subnet_id)),
  );
  await take(tx, port, [...wanted, ...autoAddresses(port, subnets, handled)]);
  return add.length > 0 || remove.length > 0;
}
