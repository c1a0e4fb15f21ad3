import type { Db } from '../../store/db.js';
import type { VolumeAttachmentRow } from '../../store/schema.js';
import { Conflict } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow, isUuid } from '../../util.js';
import type { Volumes } from './volumes.js';
import { attachmentNotFound, invalidVolume } from './errors.js';
import { moveVolume, type VolumeStatus } from './states.js';
import type {
  Attachment,
  AttachmentCreate,
  AttachmentFilters,
  ListScope,
  Volume,
} from './types.js';
import { listedProject } from './listing.js';
import { finishDetach, newAttachmentRow, saveAttachment } from './attachment-rows.js';

/**
 * The attachments API of 3.27+ (cinder/volume/api.py attachment_*): the flow Nova uses. Status
 * changes are conditional moves in the transaction that writes the attachment row.
 */
export class Attachments {
  constructor(
    private readonly db: Db,
    private readonly volumes: Volumes,
  ) {}

  /** POST /attachments: reserves the volume; with a connector, connects it (attaching). */
  async create(ctx: RequestContext, input: AttachmentCreate): Promise<Attachment> {
    return this.db.transaction().execute(async (trx) => {
      const volume = await this.volumes.get(ctx, input.volumeId, trx);
      if (volume.row.status.includes('error'))
        throw invalidVolume(
          `Volume attachments can not be created if the volume is in an error state. The Volume ${volume.row.id} currently has a status of: ${volume.row.status} `,
        );
      const from: VolumeStatus[] = ['available'];
      if (!(await moveVolume(trx, volume.row.id, 'reserved', { from }))) {
        // The same server attaching again (a migration) may share the volume.
        const again =
          input.instanceUuid !== null &&
          ['in-use', 'reserved'].includes(volume.row.status) &&
          volume.attachments.some((a) => a.instance_uuid === input.instanceUuid);
        if (!again)
          throw invalidVolume(
            `Volume ${volume.row.id} status must be available or downloading to reserve, but the current status is ${volume.row.status}.`,
          );
      }
      const row = newAttachmentRow(volume, input.instanceUuid, 'reserved', isoNow());
      row.attach_mode = input.mode;
      await saveAttachment(trx, row, true);
      if (input.connector) await this.connect(trx, volume, row, input.connector);
      return row;
    });
  }

  async get(ctx: RequestContext, id: string, ex: Db = this.db): Promise<Attachment> {
    const row = isUuid(id)
      ? await ex
          .selectFrom('volume_attachments')
          .selectAll()
          .where('id', '=', id.toLowerCase())
          .executeTakeFirst()
      : undefined;
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) throw attachmentNotFound(id);
    return row;
  }

  async list(
    ctx: RequestContext,
    scope: ListScope,
    filters: AttachmentFilters,
    page: { limit: number; offset: number },
  ): Promise<Attachment[]> {
    let select = this.db.selectFrom('volume_attachments').selectAll();
    const project = listedProject(ctx, scope);
    if (project !== null) select = select.where('project_id', '=', project);
    if (filters.volumeId !== undefined) select = select.where('volume_id', '=', filters.volumeId);
    if (filters.status !== undefined) select = select.where('attach_status', '=', filters.status);
    if (filters.instanceId !== undefined)
      select = select.where('instance_uuid', '=', filters.instanceId);
    if (page.limit === 0) return [];
    return select
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
  }

  /** PUT /attachments/{id}: the connector arrives; the attachment and volume are attaching. */
  async update(
    ctx: RequestContext,
    id: string,
    connector: Record<string, unknown>,
  ): Promise<Attachment> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.get(ctx, id, trx);
      const volume = await this.volumes.get(ctx, row.volume_id, trx);
      if (volume.row.status.includes('error'))
        throw new Conflict(
          `Resource conflict: Volume attachments can not be updated if the volume is in an error state. The Volume ${volume.row.id} currently has a status of: ${volume.row.status} `,
        );
      await this.connect(trx, volume, row, connector);
      return row;
    });
  }

  /** os-complete (3.44): the attachment is attached and the volume in-use. */
  async complete(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.get(ctx, id, trx);
      const volume = await this.volumes.get(ctx, row.volume_id, trx);
      const from: VolumeStatus[] = ['reserved', 'attaching', 'in-use'];
      if (!(await moveVolume(trx, volume.row.id, 'in-use', { from })))
        throw invalidVolume(
          `Volume status must be ${from.join(' or ')} to complete an attachment, but current status is: ${volume.row.status}.`,
        );
      await trx
        .updateTable('volume_attachments')
        .set({ attach_status: 'attached', updated_at: isoNow() })
        .where('id', '=', row.id)
        .execute();
    });
  }

  /** DELETE /attachments/{id}: the attachments left on the volume. */
  async delete(ctx: RequestContext, id: string): Promise<Attachment[]> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.get(ctx, id, trx);
      const volume = await this.volumes.get(ctx, row.volume_id, trx);
      return finishDetach(trx, volume, row.id);
    });
  }

  private async connect(
    trx: Db,
    volume: Volume,
    row: VolumeAttachmentRow,
    connector: Record<string, unknown>,
  ): Promise<void> {
    const from: VolumeStatus[] = ['reserved', 'attaching', 'in-use'];
    if (!(await moveVolume(trx, volume.row.id, 'attaching', { from })))
      throw invalidVolume(
        `Volume status must be ${from.join(' or ')} to attach, but current status is: ${volume.row.status}.`,
      );
    const connectorMode = connector.mode === 'ro' ? 'ro' : 'rw';
    const now = isoNow();
    Object.assign(row, {
      attach_mode: row.attach_mode === 'null' ? connectorMode : row.attach_mode,
      attach_status: 'attaching',
      attached_host: typeof connector.host === 'string' ? connector.host : '',
      mountpoint: typeof connector.mountpoint === 'string' ? connector.mountpoint : 'na',
      connector: JSON.stringify(connector),
      attach_time: now,
      updated_at: now,
    });
    await saveAttachment(trx, row, false);
  }
}
