import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { VolumeRow } from '../../store/schema.js';
import { BadRequest, Forbidden } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow, isUuid } from '../../util.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { VolumeRepo } from './volume.repo.js';
import { afterMarkerRow, listedProject, sortExpr } from './listing.js';
import { invalidVolume, markerNotFound, volumeNotFound } from './errors.js';
import { moveSnapshot, moveVolume, type VolumeStatus } from './states.js';
import {
  DELETABLE,
  VOLUME_DELETE_REFUSED,
  type ListScope,
  type Paging,
  type Volume,
  type VolumeFilters,
  type VolumeUpdate,
} from './types.js';

/** Volume records: reads, update and the delete rules; the bytes are the tasks' job. */
export class Volumes {
  constructor(
    private readonly db: Db,
    private readonly repo: VolumeRepo,
    private readonly tasks: TaskRunner,
  ) {}

  async get(ctx: RequestContext, id: string, ex: Db = this.db): Promise<Volume> {
    const volume = isUuid(id) ? await this.repo.findVolume(id.toLowerCase(), ex) : undefined;
    if (!volume || (!ctx.isAdmin && volume.row.project_id !== ctx.projectId))
      throw volumeNotFound(id);
    return volume;
  }

  async list(
    ctx: RequestContext,
    scope: ListScope,
    filters: VolumeFilters,
    paging: Paging,
  ): Promise<Volume[]> {
    let select = this.db.selectFrom('volumes').selectAll('volumes');
    const project = listedProject(ctx, scope);
    if (project !== null) select = select.where('volumes.project_id', '=', project);
    if (filters.name !== undefined) select = select.where('volumes.name', '=', filters.name);
    if (filters.status !== undefined) select = select.where('volumes.status', '=', filters.status);
    if (filters.availabilityZone !== undefined)
      select = select.where('volumes.availability_zone', '=', filters.availabilityZone);
    if (filters.bootable !== undefined)
      select = select.where('volumes.bootable', '=', filters.bootable ? 1 : 0);
    const wanted = Object.entries(filters.metadata ?? {});
    if (wanted.length > 0) {
      // One subquery whatever the number of keys: no expression grows with the client's filter.
      select = select.where(
        sql<boolean>`(select count(*) from volume_metadata m, json_each(${JSON.stringify(
          Object.fromEntries(wanted),
        )}) j where m.volume_id = volumes.id and m.key = j.key and m.value = j.value) = ${wanted.length}`,
      );
    }
    if (paging.marker !== undefined) {
      const marker = isUuid(paging.marker)
        ? await this.repo.findVolume(paging.marker.toLowerCase())
        : undefined;
      if (!marker || (!ctx.isAdmin && marker.row.project_id !== ctx.projectId))
        throw markerNotFound(paging.marker);
      select = select.where(
        afterMarkerRow('volumes', paging, marker.row as unknown as Record<string, unknown>),
      );
    }
    for (const [key, dir] of paging.sort) select = select.orderBy(sortExpr('volumes', key), dir);
    if (paging.limit === 0) return [];
    const rows = await select.limit(paging.limit).offset(paging.offset).execute();
    return this.repo.hydrateVolumes(rows);
  }

  /** GET /volumes/summary: count and total size of the caller's volumes. */
  async summary(ctx: RequestContext): Promise<{ total_size: number; total_count: number }> {
    const row = await this.db
      .selectFrom('volumes')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('gb'),
      ])
      .where('project_id', '=', ctx.projectId ?? '')
      .executeTakeFirstOrThrow();
    return { total_size: Number(row.gb), total_count: Number(row.n) };
  }

  async update(ctx: RequestContext, id: string, input: VolumeUpdate): Promise<Volume> {
    return this.db.transaction().execute(async (trx) => {
      const volume = await this.get(ctx, id, trx);
      const patch: Partial<VolumeRow> = { updated_at: isoNow() };
      if (input.name !== undefined) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      await trx.updateTable('volumes').set(patch).where('id', '=', volume.row.id).execute();
      if (input.metadata !== undefined) {
        volume.metadata = input.metadata;
        await this.repo.setVolumeMetadata(trx, 'volume_metadata', volume.row.id, input.metadata);
      }
      return { ...volume, row: { ...volume.row, ...patch } };
    });
  }

  /**
   * DELETE /volumes/{id} (and os-force_delete): refused (Cinder's 400) while the volume has
   * snapshots, unless cascade, and while it is attached, even with force. The checks and the
   * move to `deleting` are one transaction, so a snapshot created concurrently either lands
   * before (and blocks the delete) or is refused afterwards.
   */
  async delete(
    ctx: RequestContext,
    id: string,
    opts: { cascade: boolean; force: boolean },
  ): Promise<void> {
    if (opts.force && !ctx.isAdmin)
      throw new Forbidden("Policy doesn't allow volume:force_delete to be performed.");
    // Cinder's text names the status rule only when it applies (build_or_str of None is '').
    const refused = opts.force
      ? invalidVolume(
          'Volume  must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.',
        )
      : new BadRequest(VOLUME_DELETE_REFUSED);
    await this.db.transaction().execute(async (trx) => {
      const volume = await this.get(ctx, id, trx);
      const snapshots = await trx
        .selectFrom('snapshots')
        .select(['id', 'status', 'project_id'])
        .where('volume_id', '=', volume.row.id)
        .execute();
      if (volume.attachments.some((a) => a.attach_status === 'attached')) throw refused;
      if (!opts.force && !DELETABLE.includes(volume.row.status)) throw refused;
      if (snapshots.length > 0 && !opts.cascade) throw refused;
      if (opts.cascade) {
        if (
          !opts.force &&
          snapshots.some((s) => !['available', 'error', 'deleting'].includes(s.status))
        ) {
          throw invalidVolume(
            'Snapshot status must be available or error or deleting for cascade delete.',
          );
        }
        if (!ctx.isAdmin && snapshots.some((s) => s.project_id !== ctx.projectId)) {
          throw invalidVolume('Unable to delete volume with snapshots owned by other projects.');
        }
        for (const s of snapshots) {
          if (s.status === 'deleting') continue;
          if (!(await moveSnapshot(trx, s.id, 'deleting')))
            throw invalidVolume('Failed to update snapshot.');
        }
      }
      // The status read above may be stale: the move itself is conditional.
      const from = opts.force ? undefined : (DELETABLE as VolumeStatus[]);
      if (!(await moveVolume(trx, volume.row.id, 'deleting', { from }))) throw refused;
      await trx.deleteFrom('volume_attachments').where('volume_id', '=', volume.row.id).execute();
      await this.tasks.enqueue(trx, 'volume.delete', volume.row.id);
    });
    this.tasks.kick();
  }
}
