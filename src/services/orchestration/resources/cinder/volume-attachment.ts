import { DomainError, NotFound } from '../../../../errors.js';
import { HeatFault } from '../../errors.js';
import { UpdateReplace } from '../heat/support.js';
import { waitUntil } from '../nova/wait.js';
import type { Props, ResourceContext, ResourceType } from '../types.js';

const device = (p: Props): string | null =>
  typeof p.mountpoint === 'string' && p.mountpoint !== '' ? p.mountpoint : null;

/** nova.py attach_volume: Nova's refusal inside Heat's text (as novaclient prints it). */
async function attach(rc: ResourceContext, p: Props): Promise<string> {
  const server = String(p.instance_uuid);
  const volume = String(p.volume_id);
  try {
    const bdm = await rc.services.compute.serverVolumes.attach(
      rc.ctx,
      server,
      { volumeId: volume, device: device(p), tag: null, deleteOnTermination: false },
      false,
    );
    return bdm.volume_id ?? volume;
  } catch (err) {
    if (err instanceof DomainError && !(err instanceof HeatFault) && err.status < 500)
      throw new HeatFault(
        'Error',
        `Failed to attach volume ${volume} to server ${server} - ${err.message} (HTTP ${err.status}) (Request-ID: ${rc.ctx.requestId})`,
      );
    throw err;
  }
}

/** cinder.py check_attach_volume_complete. */
async function attached(rc: ResourceContext, volumeId: string): Promise<boolean> {
  const vol = await rc.services.volumes.getVolume(rc.ctx, volumeId);
  const status = vol.row.status;
  if (['available', 'attaching', 'reserved'].includes(status)) return false;
  if (status !== 'in-use')
    throw new HeatFault(
      'ResourceUnknownStatus',
      `Volume attachment failed - Unknown status ${status} due to "Unknown"`,
    );
  return true;
}

/** nova.py detach_volume: gone, refused (400) or not found all count as done. */
async function detach(rc: ResourceContext, server: string, volume: string): Promise<void> {
  await rc.services.compute.serverVolumes
    .detach(rc.ctx, server, volume, false)
    .catch((err: unknown) => {
      if (err instanceof NotFound) return;
      if (err instanceof DomainError && (err.status === 400 || err.status === 409)) return;
      throw new HeatFault('Error', `Could not detach attachment ${volume} from server ${server}.`);
    });
}

/** cinder.py check_detach_volume_complete. */
async function detached(rc: ResourceContext, volumeId: string, server: string): Promise<boolean> {
  let vol;
  try {
    vol = await rc.services.volumes.getVolume(rc.ctx, volumeId);
  } catch (err) {
    if (err instanceof NotFound) return true;
    throw err;
  }
  if (!vol.attachments.some((a) => a.instance_uuid === server && a.attach_status !== 'detached'))
    if (vol.row.status !== 'detaching') return true;
  if (['in-use', 'detaching', 'reserved'].includes(vol.row.status)) return false;
  if (!['available', 'deleting'].includes(vol.row.status))
    throw new HeatFault(
      'ResourceUnknownStatus',
      `Volume detachment failed - Unknown status ${vol.row.status} due to "Unknown"`,
    );
  return true;
}

/**
 * OS::Cinder::VolumeAttachment (cinder/volume.py CinderVolumeAttachment): Nova's
 * os-volume_attachments; the physical id is the attachment's id, which Nova makes the volume's.
 */
export const VOLUME_ATTACHMENT: ResourceType = {
  type: 'OS::Cinder::VolumeAttachment',
  description:
    'Resource for associating volume to instance.\n\nResource for associating existing volume to instance. Also, the location where the volume is exposed on the instance can be specified.',
  properties: {
    instance_uuid: {
      type: 'string',
      description: 'The ID of the server to which the volume attaches.',
      required: true,
      updateAllowed: true,
    },
    volume_id: {
      type: 'string',
      description: 'The ID of the volume to be attached.',
      required: true,
      updateAllowed: true,
      constraints: [{ kind: 'custom_constraint', name: 'cinder.volume' }],
    },
    mountpoint: {
      type: 'string',
      description:
        'The location where the volume is exposed on the instance. This assignment may not be honored and it is advised that the path /dev/disk/by-id/virtio-<VolumeId> be used instead.',
      updateAllowed: true,
    },
  },
  attributes: {},

  create: attach,

  async checkCreateComplete(rc, _id, props) {
    return attached(rc, String(props.volume_id));
  },

  /**
   * Heat detaches and attaches again. A new volume would be a new attachment id, which the
   * engine keeps by replacing the resource.
   */
  needsReplace(_next, _prev, changed) {
    return changed.includes('volume_id');
  },

  async update(rc, _id, next, prev, changed) {
    if (changed.includes('volume_id')) throw new UpdateReplace(rc.resourceName);
    const volume = String(prev.volume_id);
    await detach(rc, String(prev.instance_uuid), volume);
    await waitUntil(rc, () => detached(rc, volume, String(prev.instance_uuid)));
    await attach(rc, next);
    await waitUntil(rc, () => attached(rc, volume));
  },

  async delete(rc, id, props) {
    await detach(rc, String(props.instance_uuid), id);
  },

  async checkDeleteComplete(rc, id) {
    const vol = await rc.services.volumes.getVolume(rc.ctx, id).catch((err: unknown) => {
      if (err instanceof NotFound) return undefined;
      throw err;
    });
    if (!vol) return true;
    const server = vol.attachments[0]?.instance_uuid ?? '';
    return detached(rc, id, server);
  },

  async attribute() {
    return null;
  },
};
