import { Readable } from 'node:stream';
import type { RequestContext } from '../../context.js';
import { Forbidden } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { ImageService } from '../image/service.js';
import type { VolumeService } from '../volume/service.js';
import { recordAction, withEvent } from './instance-actions.js';
import type { Server } from './server-model.js';

/** Base image properties a snapshot must not inherit (nova/compute/utils.py). */
const NON_INHERITABLE = new Set([
  'cinder_encryption_key_id',
  'cinder_encryption_key_deletion_policy',
  'img_signature',
  'img_signature_hash_method',
  'img_signature_key_type',
  'img_signature_certificate_uuid',
  'cache_in_nova',
  'bittorrent',
]);

/**
 * The snapshot image's properties as Nova builds them: the base image's (less the ones that
 * must not pass on), what the server's system metadata holds, then the user's metadata, which
 * wins.
 */
export function snapshotProperties(
  server: Server,
  own: Record<string, string>,
  user: Record<string, string>,
): Map<string, string> {
  const props = new Map<string, string>();
  for (const [k, v] of Object.entries(server.image?.properties ?? {})) {
    if (!NON_INHERITABLE.has(k) && !k.startsWith('os_glance')) props.set(k, v);
  }
  if (server.image) props.set('base_image_ref', server.image.id);
  for (const [k, v] of Object.entries(server.systemMetadata)) props.set(k, v);
  for (const [k, v] of Object.entries(own)) props.set(k, v);
  for (const [k, v] of Object.entries(user)) props.set(k, v);
  return props;
}

export interface SnapshotDeps {
  db: Db;
  tasks: TaskRunner;
  images: ImageService;
  volumes: VolumeService;
  /** The compute host's name, for the events of the work done in the API. */
  host: string;
  load(ctx: RequestContext, id: string): Promise<Server>;
}

/**
 * A volume-backed server (nova `snapshot_volume_backed`), synchronously: Cinder's snapshot
 * quota checked for all the volumes first, then a forced Cinder snapshot of each attached
 * volume, named `snapshot for <image name>` (event `api_snapshot_instance`), and a 0-byte
 * active image whose `block_device_mapping` says how to make the volumes again. The mappings
 * have Nova's image-mapping keys: those `snapshot_from_bdm` copies, the rest null.
 */
export async function snapshotVolumeBacked(
  d: SnapshotDeps,
  ctx: RequestContext,
  server: Server,
  name: string,
  metadata: Record<string, string>,
): Promise<string> {
  const volumeBdms = server.bdms.filter(
    (b) => b.destination_type === 'volume' && b.volume_id !== null,
  );
  if (volumeBdms.length > 0) {
    const { limits, usage } = await d.volumes.absoluteLimits(ctx);
    if (limits.snapshots > -1 && volumeBdms.length + usage.snapshots > limits.snapshots)
      throw new Forbidden('Quota exceeded for resources: snapshots');
  }
  await d.db.transaction().execute((tx) => recordAction(tx, ctx, server.row.id, 'createImage'));
  const mappings = await withEvent(
    d.db,
    server.row.id,
    'createImage',
    'api_snapshot_instance',
    d.host,
    async () => {
      const out: Record<string, unknown>[] = [];
      for (const b of volumeBdms) {
        const volume = await d.volumes.getVolume(ctx, b.volume_id!);
        const snap = await d.volumes.createSnapshot(ctx, {
          volumeId: volume.row.id,
          name: `snapshot for ${name}`,
          description: volume.row.description,
          metadata: {},
          force: true,
        });
        out.push({
          source_type: 'snapshot',
          destination_type: 'volume',
          snapshot_id: snap.row.id,
          boot_index: b.boot_index,
          delete_on_termination: b.delete_on_termination === 1,
          volume_size: b.volume_size ?? volume.row.size,
          device_name: b.device_name,
          disk_bus: b.disk_bus,
          device_type: b.device_type,
          ...IMAGE_MAPPING_NULLS,
        });
      }
      return out;
    },
  );
  const props = snapshotProperties(server, {}, metadata);
  for (const k of ['block_device_mapping', 'bdm_v2', 'root_device_name']) props.delete(k);
  props.set('root_device_name', server.row.root_device_name);
  if (mappings.length > 0) {
    props.set('block_device_mapping', JSON.stringify(mappings));
    props.set('bdm_v2', 'True');
  }
  const image = await d.images.create(ctx, {
    name,
    visibility: ctx.projectId === server.row.project_id ? 'private' : 'shared',
    min_ram: server.image?.min_ram ?? 0,
    min_disk: Math.max(server.image?.min_disk ?? 0, server.flavor.disk),
    disk_format: 'qcow2',
    container_format: 'bare',
    properties: props,
  });
  // Nova's "force activate": an empty upload, so the image is active at once with size 0.
  await d.images.data.upload(ctx, image.row.id, Readable.from([]));
  return image.row.id;
}

/** BlockDeviceDict's fields with no value, as get_image_mapping leaves them. */
const IMAGE_MAPPING_NULLS = {
  guest_format: null,
  volume_id: null,
  image_id: null,
  no_device: null,
  tag: null,
  volume_type: null,
  encrypted: null,
  encryption_secret_uuid: null,
  encryption_format: null,
  encryption_options: null,
};
