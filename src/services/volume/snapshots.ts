import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { SnapshotRow } from '../../store/schema.js';
import { BadRequest, NotFound } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { first, type Query } from '../../http/query.js';
import { isoNow, isUuid } from '../../util.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { VolumeService } from './volumes.js';
import {
  afterMarker,
  listedProject,
  markerNotFound,
  parsePaging,
  sortExpr,
  type Paging,
} from './listing.js';
import {
  optText,
  parseBool,
  parseMetadata,
  SNAPSHOT_DELETE_REFUSED,
  type Snapshot,
} from './model.js';

const SNAPSHOT_SORT_KEYS = [
  'id',
  'name',
  'status',
  'size',
  'created_at',
  'updated_at',
  'volume_id',
] as const;

export function snapshotNotFound(id: string): NotFound {
  return new NotFound(`Snapshot ${id} could not be found.`);
}

/** Cinder volume snapshots: O(1) copy-on-write layers, made by a task. */
export class SnapshotService {
  constructor(
    private readonly db: Db,
    private readonly tasks: TaskRunner,
    private readonly volumes: VolumeService,
  ) {}

  async get(ctx: RequestContext, id: string, ex: Db = this.db): Promise<Snapshot> {
    const snap = isUuid(id)
      ? await this.volumes.repo.findSnapshot(id.toLowerCase(), ex)
      : undefined;
    if (!snap || (!ctx.isAdmin && snap.row.project_id !== ctx.projectId))
      throw snapshotNotFound(id);
    return snap;
  }

  async list(ctx: RequestContext, q: Query): Promise<{ snapshots: Snapshot[]; paging: Paging }> {
    const paging = parsePaging(q, SNAPSHOT_SORT_KEYS);
    let select = this.db.selectFrom('snapshots').selectAll('snapshots');
    const project = listedProject(ctx, q);
    if (project !== null) select = select.where('snapshots.project_id', '=', project);
    for (const key of ['name', 'status', 'volume_id'] as const) {
      const value = first(q, key) ?? (key === 'name' ? first(q, 'display_name') : undefined);
      if (value !== undefined) select = select.where(`snapshots.${key}`, '=', value);
    }
    if (paging.marker !== undefined) {
      const marker = isUuid(paging.marker)
        ? await this.volumes.repo.findSnapshot(paging.marker.toLowerCase())
        : undefined;
      if (!marker || (!ctx.isAdmin && marker.row.project_id !== ctx.projectId))
        throw markerNotFound(paging.marker);
      select = select.where(
        afterMarker('snapshots', paging.sort, marker.row as unknown as Record<string, unknown>),
      );
    }
    for (const [key, dir] of paging.sort) select = select.orderBy(sortExpr('snapshots', key), dir);
    const rows =
      paging.limit === 0 ? [] : await select.limit(paging.limit).offset(paging.offset).execute();
    return { snapshots: await this.volumes.repo.hydrateSnapshots(rows), paging };
  }

  /**
   * POST /snapshots: `creating` at once, `available` when the task has sealed the volume's head.
   * The volume's status is checked in the transaction that inserts the row, so a snapshot never
   * attaches to a volume that is being deleted.
   */
  async create(
    ctx: RequestContext,
    body: Record<string, unknown>,
    microversion: [number, number],
  ): Promise<Snapshot> {
    const volumeId = body.volume_id;
    if (volumeId === null) throw new NotFound('Volume None could not be found.');
    if (typeof volumeId !== 'string' || volumeId === '') {
      throw new BadRequest(
        `Invalid input for field/attribute snapshot. Value: ${JSON.stringify(body)}. 'volume_id' is a required property`,
      );
    }
    let force = body.force === undefined ? false : parseBool(body.force, 'force');
    const at366 = microversion[0] > 3 || (microversion[0] === 3 && microversion[1] >= 66);
    if (at366) {
      if (body.force !== undefined && !force) {
        throw new BadRequest(
          "Invalid input received: Since microversion 3.66 the 'force' flag is invalid for this request. For backward compatability, however, when the 'force' flag is passed with a value evaluating to True, it is silently ignored.",
        );
      }
      force = true;
    }
    const snapshot = await this.db.transaction().execute(async (trx) => {
      const volume = await this.volumes.get(ctx, volumeId, trx);
      const allowed = force ? ['available', 'in-use'] : ['available'];
      if (!allowed.includes(volume.row.status)) {
        throw new BadRequest(
          `Invalid volume: Volume ${volume.row.id} status must be ${allowed.join(' or ')}, but current status is: ${volume.row.status}.`,
        );
      }
      await this.volumes.quotas.check(trx, volume.row.project_id, {
        snapshots: 1,
        gigabytes: volume.row.size,
      });
      const row: SnapshotRow = {
        id: randomUUID(),
        project_id: volume.row.project_id,
        user_id: ctx.userId,
        volume_id: volume.row.id,
        name: optText(body.name ?? body.display_name, 'name') ?? null,
        description:
          optText(body.description ?? body.display_description, 'description', 65535) ?? null,
        size: volume.row.size,
        status: 'creating',
        layer: null,
        created_at: isoNow(),
        updated_at: null,
      };
      const metadata = parseMetadata(body.metadata);
      await trx.insertInto('snapshots').values(row).execute();
      await this.volumes.repo.setSnapshotMetadata(trx, row.id, metadata);
      await this.tasks.enqueue(trx, 'snapshot.create', row.id);
      return { row, metadata };
    });
    this.tasks.kick();
    return snapshot;
  }

  async update(ctx: RequestContext, id: string, body: Record<string, unknown>): Promise<Snapshot> {
    return this.db.transaction().execute(async (trx) => {
      const snap = await this.get(ctx, id, trx);
      const patch: Partial<SnapshotRow> = { updated_at: isoNow() };
      if ('name' in body || 'display_name' in body)
        patch.name = optText(body.name ?? body.display_name, 'name') ?? null;
      if ('description' in body || 'display_description' in body) {
        patch.description =
          optText(body.description ?? body.display_description, 'description', 65535) ?? null;
      }
      await trx.updateTable('snapshots').set(patch).where('id', '=', snap.row.id).execute();
      return { ...snap, row: { ...snap.row, ...patch } };
    });
  }

  /** DELETE /snapshots/{id}: the record goes; the layer stays while a volume still builds on it. */
  async delete(ctx: RequestContext, id: string, force = false): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const snap = await this.get(ctx, id, trx);
      if (!force && !['available', 'error'].includes(snap.row.status))
        throw new BadRequest(SNAPSHOT_DELETE_REFUSED);
      await trx
        .updateTable('snapshots')
        .set({ status: 'deleting', updated_at: isoNow() })
        .where('id', '=', snap.row.id)
        .execute();
      await this.tasks.enqueue(trx, 'snapshot.delete', snap.row.id);
    });
    this.tasks.kick();
  }
}
