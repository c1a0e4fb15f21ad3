import { NotFound } from '../../../../errors.js';
import { isUuid } from '../../../../util.js';
import { HeatFault, entityNotFound } from '../../errors.js';
import type { ResourceContext } from '../types.js';

/**
 * server_network_mixin.py internal ports: a `networks` entry with a subnet and no port gets a
 * port Heat makes itself (`<resource>-port-<n>`, the subnet and fixed_ip as its address, the
 * server's security groups), remembered in the resource data and deleted with the server.
 */

const KEY = 'internal_ports';

const stored = (rc: ResourceContext): Array<{ id: string }> => {
  const raw = rc.data.get(KEY);
  if (raw === undefined) return [];
  try {
    return JSON.parse(raw) as Array<{ id: string }>;
  } catch {
    return [];
  }
};

/** neutron.py get_secgroup_uuids: ids as they are, names within the project. */
async function groupIds(rc: ResourceContext, groups: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const g of groups) {
    if (isUuid(g)) {
      out.push(g);
      continue;
    }
    const found = await rc.services.network.computePorts.resolveGroup(rc.ctx, g);
    if (found === 'ambiguous')
      throw new HeatFault(
        'PhysicalResourceNameAmbiguity',
        `Multiple physical resources were found with name (${g}).`,
      );
    if (found === undefined) throw entityNotFound('Resource', g);
    out.push(found);
  }
  return out;
}

export async function createInternalPort(
  rc: ResourceContext,
  index: number,
  networkId: string,
  subnetId: string,
  fixedIp: string | null,
  securityGroups: string[],
): Promise<string> {
  const groups = securityGroups.length > 0 ? await groupIds(rc, securityGroups) : undefined;
  const port = await rc.services.network.ports.create(rc.ctx, rc.ctx.projectId ?? '', {
    name: `${rc.resourceName}-port-${index}`,
    network_id: networkId,
    fixed_ips: [{ subnet_id: subnetId, ...(fixedIp !== null ? { ip_address: fixedIp } : {}) }],
    ...(groups ? { security_groups: groups } : {}),
  });
  await rc.data.set(KEY, JSON.stringify([...stored(rc), { id: port.id }]));
  return port.id;
}

/** `_delete_internal_ports`: each one, already gone or not. */
export async function deleteInternalPorts(rc: ResourceContext): Promise<void> {
  const ports = stored(rc);
  for (const p of ports)
    await rc.services.network.ports.delete(rc.ctx, p.id).catch((err: unknown) => {
      if (!(err instanceof NotFound) && (err as { status?: number }).status !== 404) throw err;
    });
  if (ports.length > 0) await rc.data.set(KEY, '[]');
}

/** `_delete_internal_port`: one port an update no longer wants, and its record. */
export async function deleteInternalPort(rc: ResourceContext, portId: string): Promise<void> {
  const ports = stored(rc);
  if (!ports.some((p) => p.id === portId)) return;
  await rc.services.network.ports.delete(rc.ctx, portId).catch((err: unknown) => {
    if (!(err instanceof NotFound) && (err as { status?: number }).status !== 404) throw err;
  });
  await rc.data.set(KEY, JSON.stringify(ports.filter((p) => p.id !== portId)));
}
