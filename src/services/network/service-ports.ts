import type { Db } from '../../store/db.js';
import type { NetworkRow } from '../../store/network-schema.js';
import { NeutronFault } from './errors.js';
import { releasePort } from './ipam.js';
import type { FixedIpRequest, Ports } from './ports.js';

/**
 * The ports routers and floating IPs own (`network:router_interface`, `network:router_gateway`,
 * `network:floatingip`): written and removed inside the owner's transaction, so an owner never
 * exists without its port, nor a port without its owner.
 */
export interface ServicePortInput {
  projectId: string;
  deviceId: string;
  deviceOwner: string;
  /** What DevStack shows once its agents have wired the port: ACTIVE, or N/A for FIP ports. */
  status: string;
  fixedIps?: FixedIpRequest[];
}

export async function insertServicePort(
  tx: Db,
  ports: Ports,
  network: NetworkRow,
  input: ServicePortInput,
): Promise<string> {
  const id = await ports.insert(tx, network, input.projectId, {
    name: '',
    admin_state_up: true,
    device_id: input.deviceId,
    device_owner: input.deviceOwner,
    fixed_ips: input.fixedIps,
  });
  await tx.updateTable('ports').set({ status: input.status }).where('id', '=', id).execute();
  return id;
}

/** Removes a port with its addresses, groups, tags and router membership. */
export async function deleteServicePort(tx: Db, portId: string): Promise<void> {
  await releasePort(tx, portId);
  await tx.deleteFrom('port_security_groups').where('port_id', '=', portId).execute();
  await tx.deleteFrom('network_tags').where('resource_id', '=', portId).execute();
  await tx.deleteFrom('router_ports').where('port_id', '=', portId).execute();
  await tx.deleteFrom('ports').where('id', '=', portId).execute();
}

/** The addresses a port holds, in allocation order. */
export async function portAddresses(
  tx: Db,
  portId: string,
): Promise<{ subnet_id: string; ip_address: string }[]> {
  return tx
    .selectFrom('ip_allocations')
    .select(['subnet_id', 'ip_address'])
    .where('port_id', '=', portId)
    .orderBy('ip_key')
    .execute();
}

/** neutron_lib BadRequest: "Bad <resource> request: <msg>." */
export function badResourceRequest(resource: string, msg: string): NeutronFault {
  return new NeutronFault(400, 'BadRequest', `Bad ${resource} request: ${msg}.`);
}

/** PolicyNotAuthorized with the rule Neutron builds: each term ANDed onto the last. */
export function policyRefused(action: string, terms: string[]): NeutronFault {
  let rule = `rule:${action}`;
  for (const t of terms) rule = `(${rule} and ${t})`;
  return new NeutronFault(403, 'PolicyNotAuthorized', `${rule} is disallowed by policy`);
}
