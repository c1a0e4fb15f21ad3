import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../store/db.js';
import type { ImageRow } from '../../store/schema.js';
import { BadRequest, Conflict, Forbidden, NotFound, OverLimit, RangeNotSatisfiable } from '../../errors.js';
import type { RequestContext } from '../../http/context.js';
import type { Query } from '../../http/query.js';
import { isoNow, isUuid } from '../../util.js';
import { ImageFileStore, SizeLimitExceeded, StorageFailure, type StoredFile } from '../../blocks/image-files.js';
import { virtualSize } from '../../blocks/qcow2.js';
import { ImageRepo } from './image.repo.js';
import { assertCanModify, assertCanWrite, canSee, visibleCondition } from './access.js';
import { parseListQuery, sortExpr, sortValue } from './list-query.js';
import { applyPatch, type PatchOp } from './patch.js';
import {
  canTransition,
  checkBaseValue,
  checkExtra,
  checkPropertyQuota,
  checkTag,
  READ_ONLY,
  TAG_QUOTA,
  WRITABLE,
  type Image,
} from './model.js';
import { ImageMembers } from './members.js';

/** Glance's image_size_cap default: 1 TiB. */
const IMAGE_SIZE_CAP = 1024 ** 4;

export interface ImagePage {
  images: Image[];
  /** Set when the page came back full: the marker of the next page. */
  nextMarker: string | undefined;
}

export interface ImageData {
  stream: Readable;
  length: number;
  checksum: string | null;
  range?: { start: number; end: number; total: number };
}

function transitionError(from: string, to: string): Conflict {
  return new Conflict(`Image status transition from ${from} to ${to} is not allowed`);
}

/** Glance v2: image records, their data, tags and the status machine. */
export class ImageService {
  readonly repo: ImageRepo;
  readonly members: ImageMembers;

  constructor(
    private readonly db: Db,
    private readonly files: ImageFileStore,
    /** Image files other stores still read (volumes backed by an image), by file id. */
    private readonly filesInUse: () => Promise<Set<string>> = async () => new Set(),
  ) {
    this.repo = new ImageRepo(db);
    this.members = new ImageMembers(db, (ctx, id, ex) => this.get(ctx, id, ex));
  }

  /**
   * After a restart: an upload that was cut off leaves its image `saving` with no committed file.
   * It goes back to `queued` (what Glance does when an upload fails), and files that no image
   * points at are removed.
   */
  async recover(): Promise<void> {
    await this.db.updateTable('images').set({ status: 'queued', updated_at: isoNow() }).where('status', '=', 'saving').execute();
    const rows = await this.db.selectFrom('images').select('file_id').where('file_id', 'is not', null).execute();
    await this.files.sweep(new Set([...rows.map((r) => r.file_id!), ...(await this.filesInUse())]));
  }

  async create(ctx: RequestContext, body: Record<string, unknown>): Promise<Image> {
    assertCanWrite(ctx, 'add_image');
    const now = isoNow();
    const row: ImageRow = {
      id: randomUUID(),
      name: null,
      status: 'queued',
      visibility: 'shared',
      protected: 0,
      os_hidden: 0,
      checksum: null,
      os_hash_algo: null,
      os_hash_value: null,
      owner: ctx.projectId,
      size: null,
      virtual_size: null,
      container_format: null,
      disk_format: null,
      min_disk: 0,
      min_ram: 0,
      file_id: null,
      created_at: now,
      updated_at: now,
    };
    const image: Image = { row, properties: {}, tags: [] };
    for (const [key, value] of Object.entries(body)) {
      if (key === 'id') {
        if (typeof value !== 'string' || !isUuid(value)) {
          throw new BadRequest(`Provided object does not match schema 'image': ${JSON.stringify(value)} does not match uuid pattern`);
        }
        row.id = value.toLowerCase();
      } else if ((READ_ONLY as readonly string[]).includes(key)) {
        throw new Forbidden(`Attribute '${key}' is read-only.`);
      } else if ((WRITABLE as readonly string[]).includes(key)) {
        const v = checkBaseValue(key, value);
        if (key === 'tags') image.tags = v as string[];
        else if (key === 'owner') {
          if (!ctx.isAdmin && v !== ctx.projectId) throw new Forbidden(`You are not permitted to create images owned by '${String(v)}'.`);
          row.owner = v as string | null;
        } else if (key === 'protected' || key === 'os_hidden') row[key] = v ? 1 : 0;
        else if (key === 'min_disk' || key === 'min_ram') row[key] = v as number;
        else (row as unknown as Record<string, unknown>)[key] = v;
      } else {
        image.properties[key] = checkExtra(key, value);
      }
    }
    if (row.visibility === 'public' && !ctx.isAdmin) {
      throw new Forbidden('You are not authorized to complete publicize_image action.');
    }
    checkPropertyQuota(image.properties);
    try {
      await this.repo.insert(image);
    } catch (err) {
      if ((await this.repo.find(row.id)) !== undefined) throw new Conflict(`An image with identifier ${row.id} already exists`);
      throw err;
    }
    return image;
  }

  /** An image the caller may see; anything else, including a malformed id, is a 404. */
  async get(ctx: RequestContext, id: string, ex: Db = this.db): Promise<Image> {
    const image = isUuid(id) ? await this.repo.find(id.toLowerCase(), ex) : undefined;
    if (!image || !canSee(ctx, image.row, await this.members.isMember(ctx, image.row, ex))) {
      throw new NotFound(`No image found with ID ${id}`);
    }
    return image;
  }

  async list(ctx: RequestContext, query: Query): Promise<ImagePage> {
    const q = parseListQuery(query);
    let select = this.db.selectFrom('images').selectAll('images').where(visibleCondition(ctx, q.visibility, q.memberStatus));
    for (const c of q.conditions) select = select.where(c);

    if (q.marker !== undefined) {
      const row = isUuid(q.marker) ? await this.repo.findRow(q.marker.toLowerCase()) : undefined;
      const marker = row && { row };
      if (!marker || !canSee(ctx, marker.row, await this.members.isMember(ctx, marker.row))) {
        throw new BadRequest(`Marker ${q.marker} could not be found.`);
      }
      // Keyset pagination: rows strictly after the marker in the requested order. With one
      // direction throughout it is a row-value comparison, which SQLite runs as an index range.
      const dir = q.sort[0]![1];
      if (q.sort.every(([, d]) => d === dir)) {
        const keys = sql.join(q.sort.map(([k]) => sortExpr(k)));
        const values = sql.join(q.sort.map(([k]) => sortValue(marker.row, k)));
        select = select.where(sql<SqlBool>`(${keys}) ${sql.raw(dir === 'asc' ? '>' : '<')} (${values})`);
      } else select = select.where((eb) =>
        eb.or(
          q.sort.map(([key, dir], i) =>
            eb.and([
              ...q.sort.slice(0, i).map(([k]) => eb(sortExpr(k), '=', sortValue(marker.row, k))),
              eb(sortExpr(key), dir === 'asc' ? '>' : '<', sortValue(marker.row, key)),
            ]),
          ),
        ),
      );
    }
    for (const [key, dir] of q.sort) select = select.orderBy(sortExpr(key), dir);
    const rows = q.limit === 0 ? [] : await select.limit(q.limit).execute();
    const images = await this.repo.hydrate(rows);
    const last = rows[rows.length - 1];
    return { images, nextMarker: rows.length === q.limit && last ? last.id : undefined };
  }

  async update(ctx: RequestContext, id: string, ops: PatchOp[], v20: boolean): Promise<Image> {
    return this.db.transaction().execute(async (trx) => {
      const image = await this.get(ctx, id, trx);
      assertCanModify(ctx, image.row, 'modify_image');
      const next = applyPatch(ctx, image, ops, v20);
      for (const f of ['container_format', 'disk_format'] as const) {
        if (next.row[f] !== image.row[f] && image.row.status !== 'queued') {
          throw new Forbidden(`Attribute ${f} can be only replaced for a queued image.`);
        }
      }
      checkPropertyQuota(next.properties);
      if (next.tags.length > TAG_QUOTA) {
        throw new OverLimit(`Maximum number of tags exceeded. Attempted: ${next.tags.length}, Maximum: ${TAG_QUOTA}`);
      }
      next.row.updated_at = isoNow();
      await this.repo.save(next, trx);
      return next;
    });
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    let image: Image;
    try {
      image = await this.get(ctx, id);
    } catch (err) {
      if (err instanceof NotFound) throw new NotFound(`Failed to find image ${id} to delete`);
      throw err;
    }
    assertCanModify(ctx, image.row, 'delete_image');
    if (image.row.protected) throw new Forbidden(`Image ${image.row.id} is protected and cannot be deleted.`);
    // The row goes first: a crash before the file is removed leaves an orphan the next start sweeps.
    const res = await this.db.deleteFrom('images').where('id', '=', image.row.id).where('protected', '=', 0).executeTakeFirst();
    if (res.numDeletedRows === 0n) throw new NotFound(`Failed to find image ${id} to delete`);
    if (image.row.file_id && !(await this.filesInUse()).has(image.row.file_id)) await this.files.remove(image.row.file_id);
  }

  async addTag(ctx: RequestContext, id: string, tag: string): Promise<void> {
    checkTag(tag);
    await this.db.transaction().execute(async (trx) => {
      const image = await this.get(ctx, id, trx);
      assertCanModify(ctx, image.row, 'modify_image');
      if (image.tags.includes(tag)) return;
      if (image.tags.length >= TAG_QUOTA) {
        throw new OverLimit(`Maximum number of tags exceeded. Attempted: ${image.tags.length + 1}, Maximum: ${TAG_QUOTA}`);
      }
      await trx.insertInto('image_tags').values({ image_id: image.row.id, value: tag }).execute();
      await trx.updateTable('images').set({ updated_at: isoNow() }).where('id', '=', image.row.id).execute();
    });
  }

  async removeTag(ctx: RequestContext, id: string, tag: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const image = await this.get(ctx, id, trx);
      assertCanModify(ctx, image.row, 'modify_image');
      if (!image.tags.includes(tag)) throw new NotFound(`Tag ${tag} not found`);
      await trx.deleteFrom('image_tags').where('image_id', '=', image.row.id).where('value', '=', tag).execute();
      await trx.updateTable('images').set({ updated_at: isoNow() }).where('id', '=', image.row.id).execute();
    });
  }

  /** POST .../actions/deactivate and .../reactivate. */
  async setActive(ctx: RequestContext, id: string, active: boolean): Promise<void> {
    const image = await this.get(ctx, id);
    assertCanModify(ctx, image.row, active ? 'reactivate' : 'deactivate');
    const target = active ? 'active' : 'deactivated';
    if (image.row.status === target) return;
    const from = active ? 'deactivated' : 'active';
    if (image.row.status !== from) {
      throw new BadRequest(`Not allowed to ${active ? 'reactivate' : 'deactivate'} image in status '${image.row.status}'`);
    }
    await this.moveStatus(image.row.id, from, target);
  }

  /** Conditional status change: fails with Glance's 409 if another request moved it first. */
  private async moveStatus(id: string, from: string, to: string, extra: Partial<ImageRow> = {}): Promise<void> {
    if (!canTransition(from, to)) throw transitionError(from, to);
    const res = await this.db
      .updateTable('images')
      .set({ ...extra, status: to, updated_at: isoNow() })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) {
      const now = await this.db.selectFrom('images').select('status').where('id', '=', id).executeTakeFirst();
      if (!now) throw new NotFound(`No image found with ID ${id}`);
      throw transitionError(now.status, to);
    }
  }

  /**
   * PUT /v2/images/{id}/file: queued -> saving -> active. The bytes are hashed (md5 and sha512)
   * as they are written; the image becomes active only once the file is complete and synced.
   * When the client fails (disconnects, sends the wrong size, too much data) the image goes back
   * to queued, as Glance's `_restore` does, so the upload can be retried. When the store fails
   * (disk full, I/O error) the image is killed: its data cannot be trusted.
   */
  async upload(ctx: RequestContext, id: string, data: Readable, expectedSize?: number): Promise<void> {
    const image = await this.get(ctx, id);
    assertCanModify(ctx, image.row, 'upload_image');
    const missing = (['disk_format', 'container_format'] as const).filter((f) => image.row[f] === null);
    if (missing.length > 0) {
      throw new BadRequest(
        missing.length === 2
          ? 'Properties disk_format, container_format must be set prior to saving data.'
          : `Property ${missing[0]} must be set prior to saving data.`,
      );
    }
    await this.moveStatus(image.row.id, image.row.status, 'saving');

    let stored: StoredFile;
    try {
      stored = await this.files.write(data, { maxSize: IMAGE_SIZE_CAP });
    } catch (err) {
      if (err instanceof StorageFailure) {
        await this.moveStatus(image.row.id, 'saving', 'killed').catch(() => undefined);
        if (err.cause.code === 'ENOSPC') throw new OverLimit('Image storage media is full.');
        throw err;
      }
      await this.restoreQueued(image.row.id);
      if (err instanceof SizeLimitExceeded) throw new OverLimit(`Image exceeds the storage quota: ${err.message}`);
      throw err;
    }
    if (expectedSize !== undefined && expectedSize !== stored.size) {
      await this.files.remove(stored.fileId);
      await this.restoreQueued(image.row.id);
      throw new BadRequest(`Image size ${stored.size} does not match the expected size ${expectedSize}.`);
    }
    try {
      await this.moveStatus(image.row.id, 'saving', 'active', {
        file_id: stored.fileId,
        size: stored.size,
        virtual_size: virtualSize(image.row.disk_format, stored.head, stored.size),
        checksum: stored.md5,
        os_hash_algo: 'sha512',
        os_hash_value: stored.sha512,
      });
    } catch (err) {
      // Deleted while uploading: the bytes have no owner any more.
      await this.files.remove(stored.fileId);
      if (err instanceof NotFound) {
        throw new Conflict(`Image ${id} could not be found after upload. The image may have been deleted during the upload.`);
      }
      throw err;
    }
  }

  private async restoreQueued(id: string): Promise<void> {
    await this.db
      .updateTable('images')
      .set({ status: 'queued', updated_at: isoNow() })
      .where('id', '=', id)
      .where('status', '=', 'saving')
      .execute();
  }

  /** GET /v2/images/{id}/file; null when the image has no data (Glance answers 204). */
  async download(ctx: RequestContext, id: string, range?: { start?: number; end?: number }): Promise<ImageData | null> {
    const image = await this.get(ctx, id);
    const row = image.row;
    if (row.status === 'deactivated' && !ctx.isAdmin) {
      throw new Forbidden('The requested image has been deactivated. Image data download is forbidden.');
    }
    if (!row.file_id || row.size === null) return null;
    if (!range) return { stream: this.files.read(row.file_id), length: row.size, checksum: row.checksum };
    const total = row.size;
    const start = range.start ?? Math.max(0, total - (range.end ?? 0));
    const end = range.start === undefined ? total - 1 : Math.min(range.end ?? total - 1, total - 1);
    if (start >= total || start > end) {
      throw new RangeNotSatisfiable(`Requested range not satisfiable: bytes */${total}`);
    }
    return {
      stream: this.files.read(row.file_id, { start, end }),
      length: end - start + 1,
      checksum: row.checksum,
      range: { start, end, total },
    };
  }
}
