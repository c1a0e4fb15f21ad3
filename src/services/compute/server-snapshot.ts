import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { userContext, type RequestContext } from '../../context.js';
import { NotFound } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { ImageService } from '../image/service.js';
import type { VolumeService } from '../volume/service.js';
import { recordAction, withEvent } from './instance-actions.js';
import type { Server } from './server-model.js';
import { advance, beginAction, refusal, type ActionRule } from './states.js';
import { loadServer, type ServerWorkDeps } from './server-work.js';

/** createImage is not refused for a lock (nova/compute/api.py has no check_instance_lock on it). */
export const CREATE_IMAGE: ActionRule = {
  method: 'createImage',
  vmStates: ['active', 'stopped', 'paused', 'suspended'],
  lockable: false,
};

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
function snapshotProperties(
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
  load(ctx: RequestContext, id: string, ex?: Db): Promise<Server>;
}

/**
 * POST /servers/{id}/action createImage: the image record is made first (queued), then the
 * server's task_state is set by a conditional update that also queues the work, so a second
 * snapshot while one runs gets Nova's 409 and its image is removed again.
 */
export async function createImage(
  d: SnapshotDeps,
  ctx: RequestContext,
  id: string,
  name: string,
  metadata: Record<string, string>,
): Promise<string> {
  const server = await d.load(ctx, id);
  const invalid = refusal(CREATE_IMAGE, server.row, ctx.isAdmin);
  if (invalid) throw invalid;
  const root = server.bdms.find((b) => b.boot_index === 0);
  if (root?.destination_type === 'volume')
    return snapshotVolumeBacked(d, ctx, server, name, metadata);
  const props = snapshotProperties(
    server,
    { instance_uuid: server.row.id, user_id: ctx.userId, image_type: 'snapshot' },
    metadata,
  );
  const image = await d.images.create(ctx, {
    name,
    visibility: ctx.projectId === server.row.project_id ? 'private' : 'shared',
    min_ram: server.image?.min_ram ?? 0,
    min_disk: Math.max(server.image?.min_disk ?? 0, server.flavor.disk),
    properties: props,
  });
  let started = false;
  let refused: Error | undefined;
  try {
    await d.db.transaction().execute(async (tx) => {
      if (!(await beginAction(tx, server.row, CREATE_IMAGE, 'image_snapshot_pending'))) {
        // Why, as of the request that won: read in this transaction, before the winner's task
        // can move the server on (its 409 names image_snapshot_pending, as Nova's does).
        const row = await tx
          .selectFrom('servers')
          .selectAll()
          .where('id', '=', server.row.id)
          .executeTakeFirst();
        refused =
          (row && refusal(CREATE_IMAGE, row, ctx.isAdmin)) ??
          new NotFound(`Instance ${id} could not be found.`);
        return;
      }
      await recordAction(tx, ctx, id, 'createImage');
      await d.tasks.enqueue(tx, 'server.snapshot', id, { roles: ctx.roles, imageId: image.row.id });
      started = true;
    });
  } finally {
    if (!started) await d.images.delete(ctx, image.row.id).catch(() => undefined);
  }
  if (refused) throw refused;
  d.tasks.kick();
  return image.row.id;
}

/**
 * A volume-backed server (nova `snapshot_volume_backed`), synchronously: a forced Cinder
 * snapshot of each attached volume, named `snapshot for <image name>`, and a 0-byte active
 * image whose `block_device_mapping` says how to make the volumes again.
 */
async function snapshotVolumeBacked(
  d: SnapshotDeps,
  ctx: RequestContext,
  server: Server,
  name: string,
  metadata: Record<string, string>,
): Promise<string> {
  await d.db.transaction().execute((tx) => recordAction(tx, ctx, server.row.id, 'createImage'));
  const mappings: Record<string, unknown>[] = [];
  for (const b of server.bdms) {
    if (b.destination_type !== 'volume' || b.volume_id === null) continue;
    const volume = await d.volumes.getVolume(ctx, b.volume_id);
    const snap = await d.volumes.createSnapshot(ctx, {
      volumeId: b.volume_id,
      name: `snapshot for ${name}`,
      description: volume.row.description,
      metadata: {},
      force: true,
    });
    mappings.push({
      source_type: 'snapshot',
      destination_type: 'volume',
      snapshot_id: snap.row.id,
      volume_id: null,
      image_id: null,
      boot_index: b.boot_index,
      delete_on_termination: b.delete_on_termination === 1,
      volume_size: b.volume_size ?? volume.row.size,
      device_name: b.device_name,
      disk_bus: b.disk_bus,
      device_type: b.device_type,
      guest_format: b.guest_format,
      no_device: null,
      tag: b.tag,
      volume_type: b.volume_type,
    });
  }
  const props = snapshotProperties(server, {}, metadata);
  for (const k of ['block_device_mapping', 'bdm_v2', 'root_device_name']) props.delete(k);
  props.set('root_device_name', server.row.root_device_name);
  props.set('block_device_mapping', JSON.stringify(mappings));
  props.set('bdm_v2', 'True');
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

/**
 * The compute side, as libvirt walks it: image_snapshot (the root disk sealed at this moment,
 * O(1), the guest moved onto a new head), image_pending_upload, image_uploading (the sealed
 * chain flattened into a qcow2 file and handed to Glance, which hashes it), then nothing. The
 * sealed layer is recorded before the upload, so a rerun uploads the same moment.
 */
export async function runSnapshot(
  d: ServerWorkDeps,
  id: string,
  imageId: string,
  roles: string[],
): Promise<void> {
  const server = await loadServer(d, id);
  if (!server) return;
  const ctx = userContext(server.row.project_id, server.row.user_id, roles);
  if (
    ![
      'image_snapshot_pending',
      'image_snapshot',
      'image_pending_upload',
      'image_uploading',
    ].includes(server.row.task_state ?? '')
  ) {
    await d.images.delete(ctx, imageId).catch(() => undefined);
    return;
  }
  await withEvent(d.db, id, 'createImage', 'compute_snapshot_instance', d.host.name, async () => {
    await advance(d.db, id, 'image_snapshot_pending', { task_state: 'image_snapshot' });
    let sealed = (
      await d.db
        .selectFrom('server_snapshots')
        .select('layer')
        .where('image_id', '=', imageId)
        .executeTakeFirst()
    )?.layer;
    if (!sealed) sealed = await sealRoot(d, server.row, imageId);
    await advance(d.db, id, 'image_snapshot', { task_state: 'image_pending_upload' });
    await d.images.update(
      ctx,
      imageId,
      [
        { op: 'add', name: 'disk_format', value: 'qcow2' },
        { op: 'add', name: 'container_format', value: 'bare' },
        { op: 'add', name: 'image_location', value: 'snapshot' },
        { op: 'add', name: 'image_state', value: 'available' },
        { op: 'add', name: 'owner_id', value: server.row.project_id },
      ],
      false,
    );
    await advance(d.db, id, 'image_pending_upload', { task_state: 'image_uploading' });
    await fsp.mkdir(d.tmpDir, { recursive: true });
    const tmp = path.join(d.tmpDir, `snapshot-${randomUUID()}`);
    try {
      await d.layers.convert(sealed, tmp, 'qcow2');
      await d.images.data.upload(ctx, imageId, { file: tmp });
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  });
  await d.db.deleteFrom('server_snapshots').where('image_id', '=', imageId).execute();
  await advance(d.db, id, 'image_uploading', { task_state: null });
}

/** Seals the root disk and commits the server's new head with the sealed layer's record. */
async function sealRoot(d: ServerWorkDeps, row: ServerRow, imageId: string): Promise<string> {
  if (!row.root_layer) throw new Error(`server ${row.id} has no local root disk`);
  const root = row.root_layer;
  return d.layers.creating(async () => {
    const disk = await d.driver.sealRootDisk(row.id, root);
    await d.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('servers')
        .set({ root_layer: disk.newHeadLayer })
        .where('id', '=', row.id)
        .execute();
      await tx
        .insertInto('server_snapshots')
        .values({
          image_id: imageId,
          server_id: row.id,
          layer: disk.sealedLayer,
          created_at: new Date().toISOString(),
        })
        .execute();
    });
    return disk.sealedLayer;
  });
}

/** Nova's delete_image_on_error and reverts_task_state: the image goes, the server is as it was. */
export async function failSnapshot(
  d: ServerWorkDeps,
  id: string,
  imageId: string,
  roles: string[],
): Promise<void> {
  const row = await d.rows.find(id);
  const ctx = userContext(row?.project_id ?? '', row?.user_id ?? '', roles);
  const image = await d.images.get(ctx, imageId).catch(() => undefined);
  if (image && image.row.status !== 'active')
    await d.images.delete(ctx, imageId).catch(() => undefined);
  await d.db.deleteFrom('server_snapshots').where('image_id', '=', imageId).execute();
  await d.db
    .updateTable('servers')
    .set({ task_state: null })
    .where('id', '=', id)
    .where('task_state', 'in', [
      'image_snapshot_pending',
      'image_snapshot',
      'image_pending_upload',
      'image_uploading',
    ])
    .execute();
}
