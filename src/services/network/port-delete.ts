import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { PortRow } from '../../store/network-schema.js';
import { conflict } from './errors.js';
import { disassociatePort } from './floating-ips.js';
import { releasePort } from './ipam.js';
import { ROUTER_INTERFACE_OWNERS } from './device-owners.js';
import { revisionFailed } from './standard.js';

/** Owners whose ports the port API may not delete while the owner exists. */
const ROUTER_OWNERS = [...ROUTER_INTERFACE_OWNERS, 'network:router_gateway'];

export async function exists(
  tx: Db,
  table: 'routers' | 'floatingips',
  id: string,
): Promise<boolean> {
  const row = await tx.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/**
 * Deletes a port: not one a router or floating IP owns while its owner exists
 * (ServicePortInUse); a floating IP on it is disassociated in the same transaction, unless it
 * is another project's and the caller no admin (FipAssociated).
 */
export async function deletePort(
  tx: Db,
  ctx: RequestContext,
  row: PortRow,
  ifMatch: number | undefined,
): Promise<void> {
  if (ifMatch !== undefined && ifMatch !== row.revision_number) {
    throw revisionFailed(ifMatch, row.revision_number);
  }
  const fipPort = row.device_owner === 'network:floatingip';
  if (fipPort || ROUTER_OWNERS.includes(row.device_owner)) {
    if (await exists(tx, fipPort ? 'floatingips' : 'routers', row.device_id)) {
      throw conflict(
        'ServicePortInUse',
        `Port ${row.id} cannot be deleted directly via the port API: has device owner ${row.device_owner}.`,
      );
    }
  }
  const fips = await tx
    .selectFrom('floatingips')
    .select('project_id')
    .where('fixed_port_id', '=', row.id)
    .execute();
  if (!ctx.isAdmin && fips.some((f) => f.project_id !== ctx.projectId)) {
    throw conflict(
      'FipAssociated',
      `Unable to complete the operation on port "${row.id}" because the port still has an associated floating IP.`,
    );
  }
  if (fips.length > 0) await disassociatePort(tx, row.id);
  await releasePort(tx, row.id);
  await tx.deleteFrom('port_security_groups').where('port_id', '=', row.id).execute();
  await tx.deleteFrom('network_tags').where('resource_id', '=', row.id).execute();
  await tx.deleteFrom('router_ports').where('port_id', '=', row.id).execute();
  await tx.deleteFrom('ports').where('id', '=', row.id).execute();
}
