import type { Db } from '../../store/db.js';
import { BadRequest, Forbidden } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow } from '../../util.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { NewImage } from '../image/model.js';
import type { ImageService } from '../image/service.js';
import type { Quotas } from './quotas.js';
import type { Volumes } from './volumes.js';
import { invalidInput, invalidVolume } from './errors.js';
import { moveVolume, type VolumeStatus } from './states.js';
import type { UploadImage, Volume } from './types.js';

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

/** Cinder's text for an action refused by the volume's status. */
export function wrongStatus(from: readonly string[], what: string, current: string): BadRequest {
  return invalidVolume(
    `Volume status must be ${from.join(' or ')} to ${what}, but current status is: ${current}.`,
  );
}

/** POST /volumes/{id}/action: extend, bootable, reset, upload to image. */
export class VolumeActions {
  constructor(
    private readonly db: Db,
    private readonly tasks: TaskRunner,
    private readonly volumes: Volumes,
    private readonly images: ImageService,
    private readonly quotas: Quotas,
  ) {}

  async extend(ctx: RequestContext, id: string, newSize: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const volume = await this.volumes.get(ctx, id, trx);
      if (newSize <= volume.row.size) {
        throw invalidInput(
          `New size for extend must be greater than current size. (current: ${volume.row.size}, extended: ${newSize}).`,
        );
      }
      await this.quotas.check(trx, volume.row.project_id, {
        gigabytes: newSize - volume.row.size,
      });
      if (!(await moveVolume(trx, volume.row.id, 'extending', { from: ['available'] })))
        throw wrongStatus(['available'], 'extend', volume.row.status);
      await this.tasks.enqueue(trx, 'volume.extend', volume.row.id, { newSize });
    });
    this.tasks.kick();
  }

  async setBootable(ctx: RequestContext, id: string, bootable: boolean): Promise<void> {
    const volume = await this.volumes.get(ctx, id);
    await this.db
      .updateTable('volumes')
      .set({ bootable: bootable ? 1 : 0, updated_at: isoNow() })
      .where('id', '=', volume.row.id)
      .execute();
  }

  /**
   * os-update_readonly_flag: Cinder keeps it in the admin metadata and shows it among the
   * volume's metadata as "True"/"False"; here it is that metadata key.
   */
  async setReadonly(ctx: RequestContext, id: string, readonly: boolean): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const volume = await this.volumes.get(ctx, id, trx);
      if (volume.row.status !== 'available')
        throw invalidVolume(
          `Volume ${volume.row.id} status must be available to update readonly flag, but current status is: ${volume.row.status}.`,
        );
      await trx
        .insertInto('volume_metadata')
        .values({ volume_id: volume.row.id, key: 'readonly', value: readonly ? 'True' : 'False' })
        .onConflict((oc) =>
          oc.columns(['volume_id', 'key']).doUpdateSet({ value: readonly ? 'True' : 'False' }),
        )
        .execute();
    });
  }

  /** os-reset_status (admin): the one status write that ignores the transition table. */
  async resetStatus(ctx: RequestContext, id: string, status: string | undefined): Promise<void> {
    if (!ctx.isAdmin)
      throw new Forbidden(
        "Policy doesn't allow volume_extension:volume_admin_actions:reset_status to be performed.",
      );
    if (status !== undefined && !RESETTABLE.includes(status))
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
    input: UploadImage,
  ): Promise<{ volume: Volume; imageId: string }> {
    const volume = await this.volumes.get(ctx, id);
    const from: VolumeStatus[] = input.force ? ['available', 'in-use'] : ['available'];
    const refused = () =>
      invalidVolume(
        `Volume ${volume.row.id} status must be ${from.join(' or ')}, but current status is: ${volume.row.status}.`,
      );
    if (!from.includes(volume.row.status as VolumeStatus)) throw refused();
    const fields: NewImage = {
      name: input.imageName,
      disk_format: input.diskFormat,
      container_format: input.containerFormat,
    };
    if (input.visibility !== undefined) fields.visibility = input.visibility;
    if (input.protected !== undefined) fields.protected = input.protected;
    const image = await this.images.create(ctx, fields);
    await this.db.transaction().execute(async (trx) => {
      if (!(await moveVolume(trx, volume.row.id, 'uploading', { from }))) throw refused();
      await this.tasks.enqueue(trx, 'volume.upload', volume.row.id, {
        imageId: image.row.id,
        diskFormat: input.diskFormat,
        previousStatus: volume.row.status,
      });
    });
    this.tasks.kick();
    return { volume, imageId: image.row.id };
  }
}
