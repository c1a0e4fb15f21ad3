import { randomBytes } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { PortRow } from '../../store/network-schema.js';
import { conflict, type NeutronFault } from './errors.js';

/**
 * Port MAC addresses: OpenStack's base MAC, unique per network (the table's unique key on
 * network and MAC backs the check).
 */

/** OpenStack's base MAC, fa:16:3e, and three random octets. */
export function randomMac(): string {
  const tail = [...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0'));
  return ['fa', '16', '3e', ...tail].join(':');
}

export function macInUse(mac: string, networkId: string): NeutronFault {
  return conflict(
    'MacAddressInUse',
    `Unable to complete operation for network ${networkId}. The mac address ${mac} is in use.`,
  );
}

export async function macTaken(tx: Db, networkId: string, mac: string): Promise<boolean> {
  const row = await tx
    .selectFrom('ports')
    .select('id')
    .where('network_id', '=', networkId)
    .where('mac_address', '=', mac)
    .executeTakeFirst();
  return row !== undefined;
}

/** A MAC change (_check_mac_update_allowed): not for network-owned or bound ports. */
export async function newMac(tx: Db, row: PortRow, owner: string, wanted: string): Promise<string> {
  const mac = wanted.toLowerCase();
  if (mac === row.mac_address) return mac;
  if (owner.startsWith('network:')) {
    throw conflict(
      'UnsupportedPortDeviceOwner',
      `Operation mac address update is not supported for device_owner ${owner} on port ${row.id}.`,
    );
  }
  if (!['unbound', 'binding_failed'].includes(row.binding_vif_type)) {
    throw conflict(
      'PortBound',
      `Unable to complete operation on port ${row.id}, port is already bound, port type: ${row.binding_vif_type}, old_mac ${row.mac_address}, new_mac ${mac}.`,
    );
  }
  if (await macTaken(tx, row.network_id, mac)) throw macInUse(mac, row.network_id);
  return mac;
}
