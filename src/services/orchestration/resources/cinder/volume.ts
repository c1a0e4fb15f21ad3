import { NotFound } from '../../../../errors.js';
import { pyStr } from '../../../../http/pyrepr.js';
import { volumeView } from '../../../volume/views/volume.view.js';
import { HeatFault } from '../../errors.js';
import { findImage } from '../nova/finders.js';
import { waitUntil } from '../nova/wait.js';
import { UpdateReplace } from '../heat/support.js';
import type { Props, ResourceType } from '../types.js';
import { VOLUME_ATTRIBUTES, VOLUME_PROPERTIES } from './volume-schema.js';
import {
  cinderError,
  jsonDumps,
  metadataOf,
  str,
  takeSnapshot,
  validateSources,
  volumeOrGone,
} from './volume-support.js';

/** OS::Cinder::Volume (heat/engine/resources/openstack/cinder/volume.py). */
export const VOLUME: ResourceType = {
  type: 'OS::Cinder::Volume',
  description:
    'A resource that implements Cinder volumes.\n\nCinder volume is a storage in the form of block devices. It can be used, for example, for providing storage to instance. Volume supports creation from snapshot, backup or image. Also volume can be created only by size.',
  properties: VOLUME_PROPERTIES,
  attributes: VOLUME_ATTRIBUTES,
  translations: [{ from: ['imageRef'], to: 'image' }],

  async validate(_rc, props) {
    validateSources(props);
  },

  async create(rc, props) {
    if (str(props.backup_id))
      throw new HeatFault(
        'EntityNotFound',
        `The Volume backup (${pyStr(props.backup_id)}) could not be found.`,
        404,
      );
    const image = str(props.image) ?? str(props.imageRef);
    const vol = await rc.services.volumes
      .createVolume(rc.ctx, {
        name: str(props.name) ?? rc.physicalName(),
        description: str(props.description) ?? rc.physicalName(),
        ...(typeof props.size === 'number' ? { size: props.size } : {}),
        ...(str(props.snapshot_id) ? { snapshotId: str(props.snapshot_id)! } : {}),
        ...(str(props.source_volid) ? { sourceVolid: str(props.source_volid)! } : {}),
        ...(image ? { imageRef: await findImage(rc.services, rc.ctx, image) } : {}),
        ...(str(props.volume_type) ? { volumeType: str(props.volume_type)! } : {}),
        ...(str(props.availability_zone)
          ? { availabilityZone: str(props.availability_zone)! }
          : {}),
        metadata: metadataOf(props.metadata),
      })
      .catch((err: unknown) => {
        throw cinderError(rc, err);
      });
    return vol.row.id;
  },

  /** volume_base.py check_create_complete, then read_only as volume.py sets it. */
  async checkCreateComplete(rc, id, props) {
    const vol = await rc.services.volumes.getVolume(rc.ctx, id);
    const status = vol.row.status;
    if (['creating', 'restoring-backup', 'downloading'].includes(status)) return false;
    if (status === 'error')
      throw new HeatFault('ResourceInError', 'Went to status error due to "Unknown"');
    if (status !== 'available')
      throw new HeatFault(
        'ResourceUnknownStatus',
        `Volume create failed - Unknown status ${status} due to "Unknown"`,
      );
    if (typeof props.read_only === 'boolean')
      await rc.services.volumes.setReadonly(rc.ctx, id, props.read_only);
    return true;
  },

  /** Heat retypes and restores backups in place; pocketstack's Cinder has neither, so a
   *  new volume_type or backup_id makes a new volume. */
  needsReplace(_next, _prev, changed) {
    return changed.includes('volume_type') || changed.includes('backup_id');
  },

  async update(rc, id, next, prev, changed) {
    const volumes = rc.services.volumes;
    if (VOLUME.needsReplace!(next, prev, changed)) throw new UpdateReplace(rc.resourceName);
    if (changed.includes('name') || changed.includes('description'))
      // volume.py: the new value, else the one before, else the physical name.
      await volumes.updateVolume(rc.ctx, id, {
        name: str(next.name) ?? str(prev.name) ?? rc.physicalName(),
        description: str(next.description) ?? str(prev.description) ?? rc.physicalName(),
      });
    if (changed.includes('metadata'))
      await volumes.setMetadata(rc.ctx, 'volume', id, metadataOf(next.metadata), true);
    if (changed.includes('size') && typeof next.size === 'number') {
      const vol = await volumes.getVolume(rc.ctx, id);
      if (next.size < vol.row.size)
        throw new HeatFault('NotSupported', 'Shrinking volume is not supported.');
      if (next.size > vol.row.size) {
        await volumes.extendVolume(rc.ctx, id, next.size).catch((err: unknown) => {
          throw new HeatFault(
            'Error',
            `Failed to extend volume ${id} - ${(cinderError(rc, err) as Error).message}`,
          );
        });
        await waitUntil(rc, async () => {
          const now = await volumes.getVolume(rc.ctx, id);
          if (now.row.status === 'extending') return false;
          if (now.row.status === 'available' || now.row.status === 'in-use') return true;
          throw new HeatFault(
            'ResourceUnknownStatus',
            `Volume resize failed - Unknown status ${now.row.status} due to "Unknown"`,
          );
        });
      }
    }
    if (changed.includes('read_only') && typeof next.read_only === 'boolean')
      await volumes.setReadonly(rc.ctx, id, next.read_only);
  },

  /** volume_base.py `_delete_volume`; after deletion_policy Snapshot the volume stays. */
  async delete(rc, id) {
    if (rc.data.get('deletion_snapshot_id') !== undefined) return;
    const vol = await volumeOrGone(rc, id);
    if (!vol) return;
    if (vol.row.status === 'in-use') throw new HeatFault('Error', 'Volume in use');
    if (vol.row.status === 'deleting') return;
    await rc.services.volumes
      .deleteVolume(rc.ctx, id, { cascade: false, force: false })
      .catch((err: unknown) => {
        if (err instanceof NotFound) return;
        throw cinderError(rc, err);
      });
  },

  async checkDeleteComplete(rc, id) {
    if (rc.data.get('deletion_snapshot_id') !== undefined) return true;
    const vol = await volumeOrGone(rc, id);
    if (!vol) return true;
    if (vol.row.status.toLowerCase() === 'error_deleting')
      throw new HeatFault('ResourceInError', `Went to status ${vol.row.status} due to "delete"`);
    return false;
  },

  /** volume.py `_resolve_attribute`: most as Python's str() of cinderclient's value. */
  async attribute(rc, id, name) {
    const vol = await rc.services.volumes.getVolume(rc.ctx, id);
    const view = volumeView(vol, rc.ctx, [3, 0], '');
    switch (name) {
      case 'metadata':
        return jsonDumps(vol.metadata);
      case 'metadata_values':
        return { ...vol.metadata };
      case 'display_name':
        return vol.row.name;
      case 'display_description':
        return vol.row.description;
      case 'attachments_list':
        return view.attachments;
      default:
        return Object.hasOwn(view, name) ? pyStr(view[name] ?? null) : 'None';
    }
  },

  async show(rc, id) {
    return volumeView(await rc.services.volumes.getVolume(rc.ctx, id), rc.ctx, [3, 0], '');
  },

  /** volume_base.py handle_check. */
  async check(rc, id) {
    const vol = await rc.services.volumes.getVolume(rc.ctx, id);
    if (!['available', 'in-use'].includes(vol.row.status))
      throw new HeatFault(
        'Error',
        `'status': expected '['available', 'in-use']', got '${vol.row.status}'`,
      );
  },

  /** Heat takes a backup; pocketstack's Cinder has none, so a volume snapshot stands in. */
  async snapshot(rc, id) {
    const snapshotId = await takeSnapshot(rc, id);
    await rc.data.set('snapshot_id', snapshotId);
    return { snapshot_id: snapshotId };
  },

  /** volume.py handle_delete_snapshot (a backup in Heat): the volume snapshot goes, waited for. */
  async deleteSnapshot(rc, data) {
    if (typeof data.snapshot_id !== 'string') return;
    const id = data.snapshot_id;
    try {
      await rc.services.volumes.deleteSnapshot(rc.ctx, id);
    } catch (err) {
      if (err instanceof NotFound) return;
      throw cinderError(rc, err);
    }
    await waitUntil(rc, () =>
      rc.services.volumes.getSnapshot(rc.ctx, id).then(
        () => false,
        (err: unknown) => {
          if (err instanceof NotFound) return true;
          throw err;
        },
      ),
    );
  },

  /** volume.py handle_restore: the same volume from the snapshot (Heat: from the backup). */
  restoreProperties(props, data) {
    const out: Props = {};
    for (const [k, v] of Object.entries(props))
      if (v !== null && v !== undefined && !['imageRef', 'image', 'source_volid'].includes(k))
        out[k] = v;
    out.snapshot_id = data.snapshot_id;
    return out;
  },

  /** deletion_policy Snapshot: the snapshot is taken and, as Cinder will not delete a volume
   *  with snapshots, the volume is left too (Heat's backup would let it go). */
  async snapshotForDeletion(rc, id) {
    await rc.data.set('deletion_snapshot_id', await takeSnapshot(rc, id));
  },
};
