import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { VolumeRow } from '../../store/schema.js';
import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow, isUuid } from '../../util.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { ImageService } from '../image/service.js';
import type { VolumeRepo } from './volume.repo.js';
import type { Quotas } from './quotas.js';
import type { VolumeTypes } from './volume-types.js';
import type { Volumes } from './volumes.js';
import { invalidInput, snapshotNotFound } from './errors.js';
import { AVAILABILITY_ZONE, GiB, type Volume, type VolumeCreate } from './types.js';

/** Glance fields Cinder copies into volume_image_metadata (cinder/volume/flows/manager). */
const IMAGE_FIELDS = [
  'checksum',
  'container_format',
  'disk_format',
  'min_disk',
  'min_ram',
  'size',
] as const;

/** Cinder's text for a missing or bad size (the route checked its type already). */
export function badSize(shown: string): BadRequest {
  return invalidInput(`Volume size '${shown}' must be an integer and greater than 0`);
}

/** POST /volumes: the record now (`creating`), the disk by a task. */
export class VolumeCreator {
  constructor(
    private readonly db: Db,
    private readonly repo: VolumeRepo,
    private readonly tasks: TaskRunner,
    private readonly images: ImageService,
    private readonly volumes: Volumes,
    private readonly types: VolumeTypes,
    private readonly quotas: Quotas,
  ) {}

  async create(ctx: RequestContext, input: VolumeCreate): Promise<Volume> {
    if (!ctx.projectId) throw new Forbidden('A project-scoped token is required.');
    const projectId = ctx.projectId;
    const { snapshotId, sourceVolid: sourceId, imageRef, size: requested } = input;
    if ([snapshotId, sourceId, imageRef].filter(Boolean).length > 1) {
      throw invalidInput('Only one of snapshot_id, source_volid and imageRef may be given.');
    }
    const type = await this.types.resolve(input.volumeType);
    const az = input.availabilityZone;
    if (az && az !== AVAILABILITY_ZONE) throw invalidInput(`Availability zone '${az}' is invalid.`);
    if (imageRef && requested === undefined) throw badSize('');

    const row: VolumeRow = {
      id: randomUUID(),
      project_id: projectId,
      user_id: ctx.userId,
      name: input.name,
      description: input.description,
      size: requested ?? 0,
      status: 'creating',
      volume_type_id: type.id,
      availability_zone: AVAILABILITY_ZONE,
      bootable: 0,
      snapshot_id: null,
      source_volid: null,
      image_id: null,
      head_layer: null,
      created_at: isoNow(),
      updated_at: null,
    };
    const volume: Volume = {
      row,
      metadata: input.metadata,
      imageMetadata: {},
      typeName: type.name,
      attachments: [],
    };
    let payload: Record<string, unknown> = {};

    await this.db.transaction().execute(async (trx) => {
      if (imageRef) {
        // Read in the transaction that enqueues the task: an image delete either comes first
        // (the image is gone) or after, and then sees the task and keeps the file.
        payload = await this.fromImage(ctx, imageRef, volume, trx);
      } else if (snapshotId) {
        payload = await this.fromSnapshot(ctx, snapshotId, volume, requested, trx);
      } else if (sourceId) {
        const source = await this.volumes.get(ctx, sourceId, trx);
        if (!['available', 'in-use'].includes(source.row.status)) {
          throw new BadRequest(
            `Invalid volume: Unable to clone volumes that are in ${source.row.status} state`,
          );
        }
        row.size = requested ?? source.row.size;
        if (row.size < source.row.size) {
          throw invalidInput(
            `Volume size '${row.size}'GB cannot be smaller than original volume size  ${source.row.size}GB. They must be >= original volume size.`,
          );
        }
        row.source_volid = source.row.id;
        row.bootable = source.row.bootable;
        volume.imageMetadata = { ...source.imageMetadata };
        payload = { sourceVolumeId: source.row.id };
      } else if (requested === undefined) {
        throw badSize('None');
      }
      await this.quotas.check(trx, projectId, { volumes: 1, gigabytes: row.size });
      await trx.insertInto('volumes').values(row).execute();
      await this.repo.setVolumeMetadata(trx, 'volume_metadata', row.id, volume.metadata);
      await this.repo.setVolumeMetadata(trx, 'volume_image_metadata', row.id, volume.imageMetadata);
      await this.tasks.enqueue(trx, 'volume.create', row.id, payload);
    });
    this.tasks.kick();
    return volume;
  }

  private async fromSnapshot(
    ctx: RequestContext,
    snapshotId: string,
    volume: Volume,
    requested: number | undefined,
    trx: Db,
  ): Promise<Record<string, unknown>> {
    const row = volume.row;
    const snap = await trx
      .selectFrom('snapshots')
      .selectAll()
      .where('id', '=', isUuid(snapshotId) ? snapshotId.toLowerCase() : '')
      .executeTakeFirst();
    if (!snap || (!ctx.isAdmin && snap.project_id !== ctx.projectId))
      throw snapshotNotFound(snapshotId);
    if (snap.status !== 'available')
      throw new BadRequest(
        `Invalid snapshot: Originating snapshot status must be one of 'available' values`,
      );
    row.size = requested ?? snap.size;
    if (row.size < snap.size) {
      throw invalidInput(
        `Volume size '${row.size}'GB cannot be smaller than the snapshot size ${snap.size}GB. They must be >= original snapshot size.`,
      );
    }
    row.snapshot_id = snap.id;
    const source = await this.repo.findVolume(snap.volume_id, trx);
    row.bootable = source?.row.bootable ?? 0;
    volume.imageMetadata = { ...(source?.imageMetadata ?? {}) };
    return { snapshotId: snap.id };
  }

  private async fromImage(
    ctx: RequestContext,
    imageRef: string,
    volume: Volume,
    ex: Db,
  ): Promise<Record<string, unknown>> {
    let image;
    try {
      image = await this.images.get(ctx, imageRef, ex);
    } catch (err) {
      if (err instanceof NotFound)
        throw invalidInput(`Invalid image identifier or unable to access requested image.`);
      throw err;
    }
    const r = image.row;
    if (r.status !== 'active' || !r.file_id) throw invalidInput(`Image ${r.id} is not active.`);
    if (r.disk_format !== 'raw' && r.disk_format !== 'qcow2') {
      throw invalidInput(
        `Image ${r.id} has disk format ${r.disk_format}; volumes are made from raw or qcow2 images.`,
      );
    }
    const imageBytes = r.virtual_size ?? r.size ?? 0;
    if (imageBytes > volume.row.size * GiB) {
      throw invalidInput(
        `Size of specified image ${Math.ceil(imageBytes / GiB)}GB is larger than volume size ${volume.row.size}GB.`,
      );
    }
    if (r.min_disk > volume.row.size)
      throw invalidInput(
        `Volume size ${volume.row.size}GB cannot be smaller than the image minDisk size ${r.min_disk}GB.`,
      );
    volume.row.image_id = r.id;
    volume.row.bootable = 1;
    volume.imageMetadata = { ...image.properties, image_id: r.id, image_name: r.name ?? '' };
    for (const f of IMAGE_FIELDS) if (r[f] !== null) volume.imageMetadata[f] = String(r[f]);
    return { imageId: r.id, imageFile: r.file_id, imageFormat: r.disk_format };
  }
}
