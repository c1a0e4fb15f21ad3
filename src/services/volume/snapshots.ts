import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { SnapshotRow } from '../../store/schema.js';
import { BadRequest, Forbidden } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow, isUuid } from '../../util.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { VolumeRepo } from './volume.repo.js';
import type { Volumes } from './volumes.js';
import type { Quotas } from './quotas.js';
import { afterMarkerRow, listedProject, sortExpr } from './listing.js';
import { invalidInput, markerNotFound, snapshotNotFound } from './errors.js';
import { moveSnapshot, type SnapshotStatus } from './states.js';
import {
  SNAPSHOT_DELETE_REFUSED,
  type ListScope,
  type Paging,
  type Snapshot,
  type SnapshotCreate,
  type SnapshotFilters,
  type SnapshotUpdate,
} from './types.js';

/** Statuses an admin may set with a snapshot's os-reset_status. */
const SNAPSHOT_RESETTABLE: readonly SnapshotStatus[] = [
  'available',
  'error',
  'creating',
  'deleting',
  'error_deleting',
];

/** Cinder volume snapshots: O(1) copy-on-write layers, made by a task. */
export class Snapshots {
  constructor(
    private readonly db: Db,
    private readonly repo: VolumeRepo,
    private readonly tasks: TaskRunner,
    private readonly volumes: Volumes,
    private readonly quotas: Quotas,
  ) {}

  async get(ctx: RequestContext, id: string, ex: Db = this.db): Promise<Snapshot> {
    const snap = isUuid(id) ? await this.repo.findSnapshot(id.toLowerCase(), ex) : undefined;
    if (!snap || (!ctx.isAdmin && snap.row.project_id !== ctx.projectId))
      throw snapshotNotFound(id);
    return snap;
  }

  async list(
    ctx: RequestContext,
    scope: ListScope,
    filters: SnapshotFilters,
    paging: Paging,
  ): Promise<Snapshot[]> {
    let select = this.db.selectFrom('snapshots').selectAll('snapshots');
    const project = listedProject(ctx, scope);
    if (project !== null) select = select.where('snapshots.project_id', '=', project);
    if (filters.name !== undefined) select = select.where('snapshots.name', '=', filters.name);
    if (filters.status !== undefined)
      select = select.where('snapshots.status', '=', filters.status);
    if (filters.volumeId !== undefined)
      select = select.where('snapshots.volume_id', '=', filters.volumeId);
    if (paging.marker !== undefined) {
      const marker = isUuid(paging.marker)
        ? await this.repo.findSnapshot(paging.marker.toLowerCase())
        : undefined;
      if (!marker || (!ctx.isAdmin && marker.row.project_id !== ctx.projectId))
        throw markerNotFound(paging.marker);
      select = select.where(
        afterMarkerRow('snapshots', paging, marker.row as unknown as Record<string, unknown>),
      );
    }
    for (const [key, dir] of paging.sort) select = select.orderBy(sortExpr('snapshots', key), dir);
    if (paging.limit === 0) return [];
    const rows = await select.limit(paging.limit).offset(paging.offset).execute();
    return this.repo.hydrateSnapshots(rows);
  }

  /**
   * POST /snapshots: `creating` at once, `available` when the task has sealed the volume's head.
   * The volume's status is checked in the transaction that inserts the row, so a snapshot never
   * attaches to a volume that is being deleted.
   */
  async create(ctx: RequestContext, input: SnapshotCreate): Promise<Snapshot> {
    const snapshot = await this.db.transaction().execute(async (trx) => {
      const volume = await this.volumes.get(ctx, input.volumeId, trx);
      const allowed = input.force ? ['available', 'in-use'] : ['available'];
      if (!allowed.includes(volume.row.status)) {
        throw new BadRequest(
          `Invalid volume: Volume ${volume.row.id} status must be ${allowed.join(' or ')}, but current status is: ${volume.row.status}.`,
        );
      }
      await this.quotas.check(trx, volume.row.project_id, {
        snapshots: 1,
        gigabytes: volume.row.size,
      });
      const row: SnapshotRow = {
        id: randomUUID(),
        project_id: volume.row.project_id,
        user_id: ctx.userId,
        volume_id: volume.row.id,
        name: input.name,
        description: input.description,
        size: volume.row.size,
        status: 'creating',
        layer: null,
        created_at: isoNow(),
        updated_at: null,
      };
      await trx.insertInto('snapshots').values(row).execute();
      await this.repo.setSnapshotMetadata(trx, row.id, input.metadata);
      await this.tasks.enqueue(trx, 'snapshot.create', row.id);
      return { row, metadata: input.metadata };
    });
    this.tasks.kick();
    return snapshot;
  }

  async update(ctx: RequestContext, id: string, input: SnapshotUpdate): Promise<Snapshot> {
    return this.db.transaction().execute(async (trx) => {
      const snap = await this.get(ctx, id, trx);
      const patch: Partial<SnapshotRow> = { updated_at: isoNow() };
      if (input.name !== undefined) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      await trx.updateTable('snapshots').set(patch).where('id', '=', snap.row.id).execute();
      return { ...snap, row: { ...snap.row, ...patch } };
    });
  }

  /** DELETE /snapshots/{id} and os-force_delete: the layer stays while a volume builds on it. */
  async delete(ctx: RequestContext, id: string, force = false): Promise<void> {
    if (force) requireSnapshotAdmin(ctx);
    await this.db.transaction().execute(async (trx) => {
      const snap = await this.get(ctx, id, trx);
      const from: SnapshotStatus[] | undefined = force ? undefined : ['available', 'error'];
      if (!(await moveSnapshot(trx, snap.row.id, 'deleting', { from })))
        throw new BadRequest(SNAPSHOT_DELETE_REFUSED);
      await this.tasks.enqueue(trx, 'snapshot.delete', snap.row.id);
    });
    this.tasks.kick();
  }

  /** os-reset_status (admin): the one write that ignores the transition table. */
  async resetStatus(ctx: RequestContext, id: string, status: string): Promise<void> {
    requireSnapshotAdmin(ctx);
    const snap = await this.get(ctx, id);
    if (!(SNAPSHOT_RESETTABLE as readonly string[]).includes(status))
      throw invalidInput(`Invalid snapshot status: ${status}`);
    await this.db
      .updateTable('snapshots')
      .set({ status, updated_at: isoNow() })
      .where('id', '=', snap.row.id)
      .execute();
  }
}

export function requireSnapshotAdmin(ctx: RequestContext): void {
  if (!ctx.isAdmin)
    throw new Forbidden(
      "Policy doesn't allow volume_extension:snapshot_admin_actions to be performed.",
    );
}
