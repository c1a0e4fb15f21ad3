import type { RequestContext } from '../../context.js';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../errors.js';
import { NeutronFault } from '../network/errors.js';
import type { NetworkService } from '../network/service.js';
import type { VolumeService } from '../volume/service.js';
import type { BdmRequest, NetworkRequest } from './server-model.js';

/**
 * A network request after the API checked it: the build task makes or binds the port.
 * `auto`: the network is the project's auto-allocated topology, made at build (Nova's
 * get-me-a-network).
 */
export type ResolvedNic =
  | { kind: 'network'; networkId: string; fixedIp?: string; tag?: string }
  | { kind: 'port'; portId: string; tag?: string }
  | { kind: 'auto' };

const isNeutronNotFound = (err: unknown): boolean =>
  err instanceof NotFound || (err instanceof NeutronFault && err.status === 404);

/**
 * Nova's `_check_requested_networks` and neutron API `validate_networks`: every named network
 * and port exists and may be used, a port is free, and "auto" or nothing picks the one network
 * the project has.
 */
export async function resolveNetworks(
  ctx: RequestContext,
  network: NetworkService,
  requested: 'auto' | 'none' | NetworkRequest[] | undefined,
  maxCount: number,
): Promise<ResolvedNic[]> {
  if (requested === 'none') return [];
  if (requested === 'auto' || requested === undefined || requested.length === 0) {
    const available = await network.computePorts.available(ctx);
    if (available.length > 1)
      throw new Conflict('Multiple possible networks found, use a Network ID to be more specific.');
    if (available.length === 1) return [{ kind: 'network', networkId: available[0]!.id }];
    // Before 2.37 a server without networks simply has none.
    return requested === 'auto' ? [{ kind: 'auto' }] : [];
  }
  const nics: ResolvedNic[] = [];
  for (const r of requested) {
    if (r.port !== undefined) {
      if (maxCount > 1)
        throw new BadRequest(
          'Unable to launch multiple instances with a single configured port ID. Please launch your instance one by one with different ports.',
        );
      let port;
      try {
        port = await network.ports.get(ctx, r.port);
      } catch (err) {
        if (isNeutronNotFound(err)) throw new BadRequest(`Port id ${r.port} could not be found.`);
        throw err;
      }
      if (port.device_id !== '') throw new Conflict(`Port ${r.port} is still in use.`);
      nics.push({ kind: 'port', portId: port.id, ...(r.tag !== undefined ? { tag: r.tag } : {}) });
      continue;
    }
    const id = r.uuid ?? '';
    let row;
    try {
      row = await network.networks.row(ctx, id);
    } catch (err) {
      if (isNeutronNotFound(err)) throw new BadRequest(`Network ${id} could not be found.`);
      throw err;
    }
    const subnets = await network.computePorts.subnetCount(row.id);
    if (subnets === 0)
      throw new BadRequest(`Network ${row.id} requires a subnet in order to boot instances on.`);
    if (row.external === 1 && row.shared !== 1 && !ctx.isAdmin)
      throw new Forbidden(`It is not allowed to create an interface on external network ${id}`);
    nics.push({
      kind: 'network',
      networkId: row.id,
      ...(r.fixedIp !== undefined ? { fixedIp: r.fixedIp } : {}),
      ...(r.tag !== undefined ? { tag: r.tag } : {}),
    });
  }
  return nics;
}

/** Security group names or ids to ids, as neutronclient finds them for Nova. */
export async function resolveGroups(
  ctx: RequestContext,
  network: NetworkService,
  names: string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const found = await network.computePorts.resolveGroup(ctx, name);
    if (found === 'ambiguous')
      throw new Conflict(
        `Multiple security_group matches found for name '${name}', use an ID to be more specific.`,
      );
    if (found === undefined)
      throw new BadRequest(`Unable to find security_group with name or id '${name}'`);
    if (!ids.includes(found)) ids.push(found);
  }
  return ids;
}

export const BOOT_SEQUENCE_INVALID =
  'Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.';

/**
 * Nova's block device mapping checks at the API (`_validate_bdm`): sources exist and are
 * usable, sizes are given where Nova needs them, and there is one boot device.
 */
export async function checkBdms(
  ctx: RequestContext,
  volumes: VolumeService,
  bdms: BdmRequest[],
  hasImage: boolean,
): Promise<void> {
  const boots = bdms.filter((b) => b.bootIndex === 0);
  if (boots.length > 1 || (!hasImage && boots.length === 0))
    throw new BadRequest(BOOT_SEQUENCE_INVALID);
  for (const b of bdms) {
    if (b.destinationType === 'local' && b.sourceType !== 'image' && b.sourceType !== 'blank')
      throw new BadRequest(
        'Block Device Mapping is Invalid: Mapping image to local is not supported.',
      );
    if (b.sourceType === 'image' && b.destinationType === 'volume' && !b.volumeSize)
      throw new BadRequest(
        "Images with destination_type 'volume' need to have a non-zero size specified",
      );
    if (b.sourceType === 'blank' && b.destinationType === 'volume' && !b.volumeSize)
      throw new BadRequest(
        'Block Device Mapping is Invalid: You specified more local devices than the limit allows',
      );
    if (b.sourceType === 'volume') {
      const volume = await volumes.getVolume(ctx, b.uuid ?? '').catch((err: unknown) => {
        if (err instanceof NotFound)
          throw new BadRequest(
            `Block Device Mapping is Invalid: failed to get volume ${b.uuid ?? ''}.`,
          );
        throw err;
      });
      if (volume.row.status !== 'available')
        throw new BadRequest(
          `Invalid volume: volume '${volume.row.id}' status must be 'available'. Currently in '${volume.row.status}'`,
        );
      // Nova's _get_bdm_image_metadata: the root volume must be bootable.
      if (b.bootIndex === 0 && volume.row.bootable === 0)
        throw new BadRequest(`Block Device ${volume.row.id} is not bootable.`);
    }
    if (b.sourceType === 'snapshot') {
      // Only that it exists, as Nova's _validate_bdm: a snapshot still being made (a
      // volume-backed server's snapshot just taken) is waited for by the build.
      await volumes.getSnapshot(ctx, b.uuid ?? '').catch((err: unknown) => {
        if (err instanceof NotFound)
          throw new BadRequest(
            `Block Device Mapping is Invalid: failed to get snapshot ${b.uuid ?? ''}.`,
          );
        throw err;
      });
    }
  }
}
