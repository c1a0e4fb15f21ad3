import { versionBelow, type Microversion } from '../../../http/microversion.js';
import type { ServerInterface } from '../server-interfaces.js';

/** An interface attachment (nova attach_interfaces.py): the port's fields; `tag` from 2.70. */
export function interfaceView(i: ServerInterface, mv: Microversion): Record<string, unknown> {
  const v: Record<string, unknown> = {
    net_id: i.network_id,
    port_id: i.port_id,
    mac_addr: i.mac_address,
    port_state: i.status,
    fixed_ips: i.fixed_ips.map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })),
  };
  if (!versionBelow(mv, [2, 70])) v.tag = i.tag;
  return v;
}
