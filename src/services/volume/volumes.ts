import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { VolumeRow } from '../../store/schema.js';
import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { first, type Query } from '../../http/query.js';
import { isoNow, isUuid } from '../../util.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { ImageService } from '../image/service.js';
import { VolumeRepo } from './volume.repo.js';
import { Quotas } from './quotas.js';
import {
  afterMarker,
  listedProject,
  markerNotFound,
  parsePaging,
  sortExpr,
  type Paging,
} from './listing.js';
import {
  AVAILABILITY_ZONE,
  DEFAULT_TYPE_NAME,
  DELETABLE,
  invalidInput,
  optText,
  parseMetadata,
  parseSize,
  VOLUME_DELETE_REFUSED,
  type Volume,
} from './model.js';

const VOLUME_SORT_KEYS = [
  'id',
  'name',
  'size',
  'status',
  'created_at',
  'updated_at',
  'availability_zone',
  'bootable',
] as const;

/** Glance fields Cinder copies into volume_image_metadata (cinder/volume/flows/manager). */
const IMAGE_FIELDS = [
  'checksum',
  'container_format',
  'disk_format',
  'min_disk',
  'min_ram',
  'size',
] as const;

export function volumeNotFound(id: string): NotFound {
  return new NotFound(`Volume ${id} could not be found.`);
}

/** Cinder volumes: records, the delete rules and the state machine; the bytes are the tasks' job. */
export class VolumeService {
  readonly repo: VolumeRepo;
  readonly quotas: Quotas;

  constructor(
    private readonly db: Db,
    private readonly tasks: TaskRunner,
    private readonly images: ImageService,
  ) {
    this.repo = new VolumeRepo(db);
    this.quotas = new Quotas(db);
  }

  /** Cinder's default volume type, created once. */
  async defaultType(): Promise<{ id: string; name: string }> {
    const found = await this.db
      .selectFrom('volume_types')
      .select(['id', 'name'])
      .where('name', '=', DEFAULT_TYPE_NAME)
      .executeTakeFirst();
    if (found) return found;
    const row = {
      id: randomUUID(),
      name: DEFAULT_TYPE_NAME,
      description: 'Default Volume Type',
      is_public: 1,
      extra_specs: '{}',
      created_at: isoNow(),
    };
    await this.db
      .insertInto('volume_types')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .execute();
    return this.defaultType();
  }

  async get(ctx: RequestContext, id: string, ex: Db = this.db): Promise<Volume> {
    const volume = isUuid(id) ? await this.repo.findVolume(id.toLowerCase(), ex) : undefined;
    if (!volume || (!ctx.isAdmin && volume.row.project_id !== ctx.projectId))
      throw volumeNotFound(id);
    return volume;
  }

  async list(ctx: RequestContext, q: Query): Promise<{ volumes: Volume[]; paging: Paging }> {
    const paging = parsePaging(q, VOLUME_SORT_KEYS);
    let select = this.db.selectFrom('volumes').selectAll('volumes');
    const project = listedProject(ctx, q);
    if (project !== null) select = select.where('volumes.project_id', '=', project);
    for (const key of ['name', 'status', 'availability_zone'] as const) {
      const value = first(q, key) ?? (key === 'name' ? first(q, 'display_name') : undefined);
      if (value !== undefined) select = select.where(`volumes.${key}`, '=', value);
    }
    const bootable = first(q, 'bootable');
    if (bootable !== undefined)
      select = select.where(
        'volumes.bootable',
        '=',
        ['true', '1', 'True'].includes(bootable) ? 1 : 0,
      );
    const metadata = first(q, 'metadata');
    if (metadata !== undefined) {
      let wanted: Record<string, string>;
      try {
        wanted = parseMetadata(JSON.parse(metadata.replaceAll("'", '"')) as unknown);
      } catch {
        throw invalidInput(`Invalid metadata filter: ${metadata}`);
      }
      for (const [key, value] of Object.entries(wanted)) {
        select = select.where((eb) =>
          eb.exists(
            eb
              .selectFrom('volume_metadata')
              .select('volume_metadata.key')
              .whereRef('volume_metadata.volume_id', '=', 'volumes.id')
              .where('volume_metadata.key', '=', key)
              .where('volume_metadata.value', '=', value),
          ),
        );
      }
    }
    if (paging.marker !== undefined) {
      const marker = isUuid(paging.marker)
        ? await this.repo.findVolume(paging.marker.toLowerCase())
        : undefined;
      if (!marker || (!ctx.isAdmin && marker.row.project_id !== ctx.projectId))
        throw markerNotFound(paging.marker);
      select = select.where(
        afterMarker('volumes', paging.sort, marker.row as unknown as Record<string, unknown>),
      );
    }
    for (const [key, dir] of paging.sort) select = select.orderBy(sortExpr('volumes', key), dir);
    const rows =
      paging.limit === 0 ? [] : await select.limit(paging.limit).offset(paging.offset).execute();
    return { volumes: await this.repo.hydrateVolumes(rows), paging };
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

  /** POST /volumes: the record now (`creating`), the disk by a task. */
  async create(ctx: RequestContext, body: Record<string, unknown>): Promise<Volume> {
    if (!ctx.projectId) throw new Forbidden('A project-scoped token is required.');
    const snapshotId = optText(body.snapshot_id, 'snapshot_id');
    const sourceId = optText(body.source_volid, 'source_volid');
    const imageRef = optText(body.imageRef, 'imageRef');
    if ([snapshotId, sourceId, imageRef].filter(Boolean).length > 1) {
      throw invalidInput('Only one of snapshot_id, source_volid and imageRef may be given.');
    }
    const requested =
      body.size === undefined || body.size === null ? undefined : parseSize(body.size);
    const type = await this.resolveType(body.volume_type);
    const az = optText(body.availability_zone, 'availability_zone');
    if (az && az !== AVAILABILITY_ZONE) throw invalidInput(`Availability zone '${az}' is invalid.`);

    const now = isoNow();
    const row: VolumeRow = {
      id: randomUUID(),
      project_id: ctx.projectId,
      user_id: ctx.userId,
      name: optText(body.name ?? body.display_name, 'name') ?? null,
      description:
        optText(body.description ?? body.display_description, 'description', 65535) ?? null,
      size: requested ?? 0,
      status: 'creating',
      volume_type_id: type.id,
      availability_zone: AVAILABILITY_ZONE,
      bootable: 0,
      snapshot_id: null,
      source_volid: null,
      image_id: null,
      head_layer: null,
      created_at: now,
      updated_at: null,
    };
    const volume: Volume = { row, metadata: parseMetadata(body.metadata), imageMetadata: {} };
    let payload: Record<string, unknown> = {};
    if (imageRef && requested === undefined)
      throw invalidInput("Volume size '' must be an integer and greater than 0");

    await this.db.transaction().execute(async (trx) => {
      if (imageRef) {
        // Read in the transaction that enqueues the task: an image delete either comes first
        // (the image is gone) or after, and then sees the task and keeps the file.
        payload = await this.fromImage(ctx, imageRef, volume, trx);
      } else if (snapshotId) {
        const snap = await trx
          .selectFrom('snapshots')
          .selectAll()
          .where('id', '=', isUuid(snapshotId) ? snapshotId.toLowerCase() : '')
          .executeTakeFirst();
        if (!snap || (!ctx.isAdmin && snap.project_id !== ctx.projectId))
          throw new NotFound(`Snapshot ${snapshotId} could not be found.`);
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
        payload = { snapshotId: snap.id };
      } else if (sourceId) {
        const source = await this.get(ctx, sourceId, trx);
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
        throw invalidInput(
          `Volume size '${String(body.size)}' must be an integer and greater than 0`,
        );
      }
      await this.quotas.check(trx, ctx.projectId!, { volumes: 1, gigabytes: row.size });
      await trx.insertInto('volumes').values(row).execute();
      await this.repo.setVolumeMetadata(trx, 'volume_metadata', row.id, volume.metadata);
      await this.repo.setVolumeMetadata(trx, 'volume_image_metadata', row.id, volume.imageMetadata);
      await this.tasks.enqueue(trx, 'volume.create', row.id, payload);
    });
    this.tasks.kick();
    return volume;
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
    const sizeBytes = volume.row.size * 1024 ** 3;
    const imageBytes = r.virtual_size ?? r.size ?? 0;
    if (imageBytes > sizeBytes) {
      throw invalidInput(
        `Size of specified image ${Math.ceil(imageBytes / 1024 ** 3)}GB is larger than volume size ${volume.row.size}GB.`,
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

  private async resolveType(value: unknown): Promise<{ id: string; name: string }> {
    if (value === undefined || value === null) return this.defaultType();
    const name = optText(value, 'volume_type')!;
    const found = await this.db
      .selectFrom('volume_types')
      .select(['id', 'name'])
      .where((eb) => eb.or([eb('name', '=', name), eb('id', '=', name)]))
      .executeTakeFirst();
    if (!found) throw new NotFound(`Volume type with name ${name} could not be found.`);
    return found;
  }

  async update(ctx: RequestContext, id: string, body: Record<string, unknown>): Promise<Volume> {
    return this.db.transaction().execute(async (trx) => {
      const volume = await this.get(ctx, id, trx);
      const patch: Partial<VolumeRow> = { updated_at: isoNow() };
      if ('name' in body || 'display_name' in body)
        patch.name = optText(body.name ?? body.display_name, 'name') ?? null;
      if ('description' in body || 'display_description' in body) {
        patch.description =
          optText(body.description ?? body.display_description, 'description', 65535) ?? null;
      }
      await trx.updateTable('volumes').set(patch).where('id', '=', volume.row.id).execute();
      if (body.metadata !== undefined) {
        volume.metadata = parseMetadata(body.metadata);
        await this.repo.setVolumeMetadata(trx, 'volume_metadata', volume.row.id, volume.metadata);
      }
      return { ...volume, row: { ...volume.row, ...patch } };
    });
  }

  /**
   * DELETE /volumes/{id}: refused (Cinder's 400) while the volume has snapshots, unless cascade.
   * The check and the move to `deleting` are one transaction, so a snapshot created
   * concurrently either lands before (and blocks the delete) or is refused afterwards.
   */
  async delete(
    ctx: RequestContext,
    id: string,
    opts: { cascade: boolean; force: boolean },
  ): Promise<void> {
    if (opts.force && !ctx.isAdmin)
      throw new Forbidden("Policy doesn't allow volume:force_delete to be performed.");
    await this.db.transaction().execute(async (trx) => {
      const volume = await this.get(ctx, id, trx);
      const snapshots = await trx
        .selectFrom('snapshots')
        .select(['id', 'status', 'project_id'])
        .where('volume_id', '=', volume.row.id)
        .execute();
      // Force (admin) skips the status rule, never the snapshot rule.
      if (!opts.force && !DELETABLE.includes(volume.row.status))
        throw new BadRequest(VOLUME_DELETE_REFUSED);
      if (snapshots.length > 0 && !opts.cascade) throw new BadRequest(VOLUME_DELETE_REFUSED);
      if (opts.cascade) {
        if (snapshots.some((s) => !['available', 'error', 'deleting'].includes(s.status))) {
          throw new BadRequest(
            'Invalid volume: Snapshot status must be available or error or deleting for cascade delete.',
          );
        }
        if (!ctx.isAdmin && snapshots.some((s) => s.project_id !== ctx.projectId)) {
          throw new BadRequest(
            'Invalid volume: Unable to delete volume with snapshots owned by other projects.',
          );
        }
        await trx
          .updateTable('snapshots')
          .set({ status: 'deleting', updated_at: isoNow() })
          .where('volume_id', '=', volume.row.id)
          .execute();
      }
      await trx
        .updateTable('volumes')
        .set({ status: 'deleting', updated_at: isoNow() })
        .where('id', '=', volume.row.id)
        .execute();
      await this.tasks.enqueue(trx, 'volume.delete', volume.row.id);
    });
    this.tasks.kick();
  }
}
