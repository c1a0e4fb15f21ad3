import type { Db } from '../../store/db.js';
import { BadRequest, Forbidden } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoCinder, isoNow } from '../../util.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { ImageService } from '../image/service.js';
import { invalidInput, optText, parseBool, parseSize, type Volume } from './model.js';
import type { VolumeService } from './volumes.js';

/** VolumeStatus values an admin may set with os-reset_status. */
const RESETTABLE = [
  'available',
  'error',
  'in-use',
  'creating',
  'deleting',
  'error_deleting',
  'attaching',
  'detaching',
  'maintenance',
  'reserved',
  'extending',
  'error_extending',
];

/** POST /volumes/{id}/action: the actions the workflow and Tempest use. */
export class VolumeActions {
  constructor(
    private readonly db: Db,
    private readonly tasks: TaskRunner,
    private readonly volumes: VolumeService,
    private readonly images: ImageService,
  ) {}

  /** Moves a volume from one of `from` to `to` in one conditional UPDATE, with Cinder's 400 if not. */
  private async move(
    ex: Db,
    volume: Volume,
    from: string[],
    to: string,
    what: string,
  ): Promise<void> {
    const res = await ex
      .updateTable('volumes')
      .set({ status: to, updated_at: isoNow() })
      .where('id', '=', volume.row.id)
      .where('status', 'in', from)
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) {
      throw new BadRequest(
        `Invalid volume: Volume status must be ${from.join(' or ')} to ${what}, but current status is: ${volume.row.status}.`,
      );
    }
  }

  async extend(ctx: RequestContext, id: string, body: Record<string, unknown>): Promise<void> {
    const newSize = parseSize(body.new_size);
    await this.db.transaction().execute(async (trx) => {
      const volume = await this.volumes.get(ctx, id, trx);
      if (newSize <= volume.row.size) {
        throw invalidInput(
          `New size for extend must be greater than current size. (current: ${volume.row.size}, extended: ${newSize}).`,
        );
      }
      await this.volumes.quotas.check(trx, volume.row.project_id, {
        gigabytes: newSize - volume.row.size,
      });
      await this.move(trx, volume, ['available'], 'extending', 'extend');
      await this.tasks.enqueue(trx, 'volume.extend', volume.row.id, { newSize });
    });
    this.tasks.kick();
  }

  async reserve(ctx: RequestContext, id: string): Promise<void> {
    const volume = await this.volumes.get(ctx, id);
    await this.move(this.db, volume, ['available'], 'attaching', 'reserve');
  }

  async unreserve(ctx: RequestContext, id: string): Promise<void> {
    const volume = await this.volumes.get(ctx, id);
    await this.db
      .updateTable('volumes')
      .set({ status: 'available', updated_at: isoNow() })
      .where('id', '=', volume.row.id)
      .where('status', '=', 'attaching')
      .execute();
  }

  async detach(ctx: RequestContext, id: string): Promise<void> {
    await this.volumes.get(ctx, id);
  }

  async setBootable(ctx: RequestContext, id: string, body: Record<string, unknown>): Promise<void> {
    const bootable = parseBool(body.bootable, 'bootable');
    const volume = await this.volumes.get(ctx, id);
    await this.db
      .updateTable('volumes')
      .set({ bootable: bootable ? 1 : 0, updated_at: isoNow() })
      .where('id', '=', volume.row.id)
      .execute();
  }

  async resetStatus(ctx: RequestContext, id: string, body: Record<string, unknown>): Promise<void> {
    if (!ctx.isAdmin)
      throw new Forbidden(
        "Policy doesn't allow volume_extension:volume_admin_actions:reset_status to be performed.",
      );
    const status = optText(body.status, 'status');
    if (status !== undefined && status !== null && !RESETTABLE.includes(status))
      throw invalidInput(`Invalid volume status: ${status}`);
    const volume = await this.volumes.get(ctx, id);
    if (status)
      await this.db
        .updateTable('volumes')
        .set({ status, updated_at: isoNow() })
        .where('id', '=', volume.row.id)
        .execute();
  }

  /**
   * os-volume_upload_image: a Glance image whose bytes are the volume's data. The image is
   * created queued now and filled by a task, as Cinder does; the volume is `uploading` meanwhile.
   */
  async uploadImage(
    ctx: RequestContext,
    id: string,
    body: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const name = optText(body.image_name, 'image_name');
    if (!name) throw invalidInput("'image_name' is a required property");
    const diskFormat = optText(body.disk_format, 'disk_format') ?? 'raw';
    if (diskFormat !== 'raw' && diskFormat !== 'qcow2')
      throw invalidInput(
        `Invalid disk-format '${diskFormat}' specified. Allowed disk-formats are raw, qcow2.`,
      );
    const containerFormat = optText(body.container_format, 'container_format') ?? 'bare';
    const force = body.force === undefined ? false : parseBool(body.force, 'force');
    const volume = await this.volumes.get(ctx, id);
    const from = force ? ['available', 'in-use'] : ['available'];
    if (!from.includes(volume.row.status)) {
      throw new BadRequest(
        `Invalid volume: Volume ${volume.row.id} status must be ${from.join(' or ')}, but current status is: ${volume.row.status}.`,
      );
    }
    const fields: Record<string, unknown> = {
      name,
      disk_format: diskFormat,
      container_format: containerFormat,
    };
    if (body.visibility !== undefined) fields.visibility = body.visibility;
    if (body.protected !== undefined) fields.protected = parseBool(body.protected, 'protected');
    const image = await this.images.create(ctx, fields);
    await this.db.transaction().execute(async (trx) => {
      await this.move(trx, volume, from, 'uploading', 'upload to an image');
      await this.tasks.enqueue(trx, 'volume.upload', volume.row.id, {
        imageId: image.row.id,
        diskFormat,
        previousStatus: volume.row.status,
      });
    });
    this.tasks.kick();
    return {
      id: volume.row.id,
      updated_at: isoCinder(isoNow()),
      status: 'uploading',
      display_description: volume.row.description,
      size: volume.row.size,
      volume_type: null,
      image_id: image.row.id,
      container_format: containerFormat,
      disk_format: diskFormat,
      image_name: name,
    };
  }
}
