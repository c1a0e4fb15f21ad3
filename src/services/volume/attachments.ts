import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { VolumeAttachmentRow } from '../../store/schema.js';
import { BadRequest, Conflict } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow, isUuid } from '../../util.js';
import type { Volumes } from './volumes.js';
import { attachmentNotFound, invalidInput, invalidVolume } from './errors.js';
import { moveVolume, type VolumeStatus } from './states.js';
import type {
  Attachment,
  AttachmentCreate,
  AttachmentFilters,
  AttachInput,
  ListScope,
  Volume,
} from './types.js';
import { listedProject } from './listing.js';

/**
 * The volume status its remaining attachments give (cinder/db/api.py
 * _get_statuses_from_attachments): the alphabetically first attach status wins.
 */
function statusFrom(attachments: readonly Attachment[]): VolumeStatus {
  const first = attachments.map((a) => a.attach_status).sort()[0];
  if (first === undefined) return 'available';
  if (first === 'attached') return 'in-use';
  return first as VolumeStatus;
}

function nova409(serverId: string): Conflict {
  return new Conflict(`Detach volume from instance ${serverId} using the Compute API`);
}

/**
 * Attaching a volume to a server or host: the old actions (os-reserve, os-attach, os-detach,
 * ...) and the attachments API of 3.27+. Every status change is a conditional move in the
 * transaction that writes the attachment rows, so two racing attaches cannot both win.
 */
export class Attachments {
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
        : this.newRow(volume, input.instanceUuid, 'attached', now);
      Object.assign(row, {
        attached_host: input.hostName,
        mountpoint: input.mountpoint,
        attach_mode: input.mode,
        attach_status: 'attached',
        attach_time: now,
      });
      await this.save(trx, row, !same);
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
      await this.finishDetach(trx, volume, attachment?.id);
    });
  }

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
      const row = this.newRow(volume, input.instanceUuid, 'reserved', isoNow());
      row.attach_mode = input.mode;
      await this.save(trx, row, true);
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
      return this.finishDetach(trx, volume, row.id);
    });
  }

  /** Removes an attachment and moves the volume to what the rest give (volume_detached). */
  private async finishDetach(
    trx: Db,
    volume: Volume,
    attachmentId: string | undefined,
  ): Promise<Attachment[]> {
    if (attachmentId)
      await trx.deleteFrom('volume_attachments').where('id', '=', attachmentId).execute();
    const left = volume.attachments.filter((a) => a.id !== attachmentId);
    const to = statusFrom(left);
    // An upload keeps its status until it ends; the task restores it.
    if (!(left.length === 0 && volume.row.status === 'uploading'))
      await moveVolume(trx, volume.row.id, to);
    return left;
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
    await this.save(trx, row, false);
  }

  private newRow(
    volume: Volume,
    instanceUuid: string | null,
    status: string,
    now: string,
  ): VolumeAttachmentRow {
    return {
      id: randomUUID(),
      volume_id: volume.row.id,
      project_id: volume.row.project_id,
      instance_uuid: instanceUuid,
      attached_host: null,
      mountpoint: null,
      attach_mode: 'null',
      attach_status: status,
      connector: null,
      attach_time: null,
      created_at: now,
      updated_at: null,
    };
  }

  private async save(trx: Db, row: VolumeAttachmentRow, insert: boolean): Promise<void> {
    if (insert) await trx.insertInto('volume_attachments').values(row).execute();
    else await trx.updateTable('volume_attachments').set(row).where('id', '=', row.id).execute();
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
