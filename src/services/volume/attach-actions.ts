import type { Db } from '../../store/db.js';
import type { VolumeAttachmentRow } from '../../store/schema.js';
import { BadRequest, Conflict } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow, isUuid } from '../../util.js';
import type { Volumes } from './volumes.js';
import { invalidInput, invalidVolume } from './errors.js';
import { moveVolume, type VolumeStatus } from './states.js';
import type { Attachment, AttachInput, Volume } from './types.js';
import { finishDetach, newAttachmentRow, saveAttachment } from './attachment-rows.js';

function nova409(serverId: string): Conflict {
  return new Conflict(`Detach volume from instance ${serverId} using the Compute API`);
}

/**
 * The old attach flow's actions (os-reserve, os-attach, os-detach, ...). Every status change
 * is a conditional move in the transaction that writes the attachment rows, so two racing
 * attaches cannot both win.
 */
export class AttachActions {
  constructor(
    private readonly db: Db,
    private readonly volumes: Volumes,
  ) {}

  /** os-reserve: available -> attaching (cinder/volume/api.py reserve_volume). */
  async reserve(ctx: RequestContext, id: string): Promise<void> {
    const volume = await this.volumes.get(ctx, id);
    if (!(await moveVolume(this.db, volume.row.id, 'attaching', { from: ['available'] })))
      throw invalidVolume(
        `Volume status must be available to reserve, but the status is ${await this.statusOf(volume)}.`,
      );
  }

  /** os-unreserve: attaching -> in-use or available by its attachments; otherwise nothing. */
  async unreserve(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const volume = await this.volumes.get(ctx, id, trx);
      const to = volume.attachments.length > 0 ? 'in-use' : 'available';
      await moveVolume(trx, volume.row.id, to, { from: ['attaching'] });
    });
  }

  /** os-begin_detaching: in-use (attached) -> detaching. */
  async beginDetaching(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const volume = await this.volumes.get(ctx, id, trx);
      const attached = volume.attachments.some((a) => a.attach_status === 'attached');
      if (!attached || !(await moveVolume(trx, volume.row.id, 'detaching', { from: ['in-use'] })))
        throw invalidVolume(
          "Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.",
        );
    });
  }

  /** os-roll_detaching: detaching -> in-use; any other status is left as it is. */
  async rollDetaching(ctx: RequestContext, id: string): Promise<void> {
    const volume = await this.volumes.get(ctx, id);
    await moveVolume(this.db, volume.row.id, 'in-use', { from: ['detaching'] });
  }

  /** os-attach: records an attachment and makes the volume in-use (the manager's attach_volume). */
  async attach(ctx: RequestContext, id: string, input: AttachInput): Promise<Attachment> {
    return this.db.transaction().execute(async (trx) => {
      const volume = await this.volumes.get(ctx, id, trx);
      if (volume.row.status === 'maintenance')
        throw invalidVolume('The volume cannot be attached in maintenance mode.');
      const same = volume.attachments.find((a) =>
        input.instanceUuid
          ? a.instance_uuid === input.instanceUuid
          : a.attached_host === input.hostName,
      );
      if (same && same.attach_status === 'attached') {
        await moveVolume(trx, volume.row.id, 'in-use');
        return same;
      }
      if (volume.metadata.readonly === 'True' && input.mode !== 'ro')
        throw new BadRequest(
          `Error attaching volume - InvalidVolumeAttachMode: Invalid attaching mode '${input.mode}' for volume ${volume.row.id}.`,
        );
      const refused = (reason: string) =>
        new BadRequest(`Error attaching volume - InvalidVolume: Invalid volume: ${reason}`);
      if (volume.row.status === 'in-use')
        throw refused('volume is already attached and multiple attachments are not enabled');
      const from: VolumeStatus[] = ['available', 'reserved', 'attaching'];
      if (!(await moveVolume(trx, volume.row.id, 'in-use', { from })))
        throw refused(
          `Volume status must be ${from.join(' or ')} to attach, but current status is: ${volume.row.status}.`,
        );
      const now = isoNow();
      const row: VolumeAttachmentRow = same
        ? { ...same, updated_at: now }
        : newAttachmentRow(volume, input.instanceUuid, 'attached', now);
      Object.assign(row, {
        attached_host: input.hostName,
        mountpoint: input.mountpoint,
        attach_mode: input.mode,
        attach_status: 'attached',
        attach_time: now,
      });
      await saveAttachment(trx, row, !same);
      return row;
    });
  }

  /** os-detach: removes the named attachment, or the only one; available when none is left. */
  async detach(ctx: RequestContext, id: string, attachmentId: string | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const volume = await this.volumes.get(ctx, id, trx);
      let attachment: Attachment | undefined;
      if (attachmentId) {
        attachment = await trx
          .selectFrom('volume_attachments')
          .selectAll()
          .where('id', '=', isUuid(attachmentId) ? attachmentId.toLowerCase() : '')
          .executeTakeFirst();
        if (!attachment) throw nova409('');
        if (attachment.volume_id !== volume.row.id)
          throw invalidInput('Mismatched volume and attachment');
      } else if (volume.attachments.length === 1) {
        attachment = volume.attachments[0];
      } else if (volume.attachments.length > 1) {
        throw nova409('');
      }
      if (volume.row.status === 'maintenance')
        throw invalidVolume('The volume cannot be detached in maintenance mode.');
      await finishDetach(trx, volume, attachment?.id);
    });
  }

  private async statusOf(volume: Volume): Promise<string> {
    const row = await this.db
      .selectFrom('volumes')
      .select('status')
      .where('id', '=', volume.row.id)
      .executeTakeFirst();
    return row?.status ?? volume.row.status;
  }
}
