import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { ImageRow } from '../../store/schema.js';
import { BadRequest, Conflict, Forbidden, NotFound, OverLimit } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { pyRepr } from '../../http/pyrepr.js';
import { isoNow, isUuid } from '../../util.js';
import type { ImageFileStore } from '../../blocks/image-files.js';
import { ImageRepo } from './image.repo.js';
import { assertCanModify, assertCanWrite, canSee, visibleCondition } from './access.js';
import { pageClauses, type ListQuery } from './list-query.js';
import { applyPatch, setBase, type PatchOp } from './patch.js';
import {
  checkBaseValue,
  checkExtra,
  checkPropertyQuota,
  noProto,
  TAG_QUOTA,
  UUID_PATTERN,
  WRITABLE,
  type Image,
  type NewImage,
} from './model.js';
import { ImageMembers } from './members.js';
import { ImageTags } from './tags.js';
import { ImageDataService } from './image-data.js';
import { moveStatus } from './status.js';

function ownEntries(record: Record<string, string> | undefined): Array<[string, string]> {
  return record === undefined ? [] : Object.entries(record);
}

export interface ImagePage {
  images: Image[];
  /** Set when the page came back full: the marker of the next page. */
  nextMarker: string | undefined;
}

/** Glance v2: image records, their data, tags and the status machine. */
export class ImageService {
  private readonly repo: ImageRepo;
  private readonly tags: ImageTags;
  readonly members: ImageMembers;
  /** The image data: upload and download. */
  readonly data: ImageDataService;

  constructor(
    private readonly db: Db,
    private readonly files: ImageFileStore,
    /** Image files other stores still read (volumes backed by an image), by file id. */
    private readonly filesInUse: () => Promise<Set<string>> = async () => new Set(),
  ) {
    this.repo = new ImageRepo(db);
    this.members = new ImageMembers(db, (ctx, id, ex) => this.get(ctx, id, ex));
    this.tags = new ImageTags(db, (ctx, id, ex) => this.get(ctx, id, ex));
    this.data = new ImageDataService(db, files, (ctx, id) => this.get(ctx, id));
  }

  /**
   * After a restart: an upload that was cut off leaves its image `saving` with no committed file.
   * It goes back to `queued` (what Glance does when an upload fails), and files that no image
   * points at are removed.
   */
  async recover(): Promise<void> {
    await this.db
      .updateTable('images')
      .set({ status: 'queued', updated_at: isoNow() })
      .where('status', '=', 'saving')
      .execute();
    const rows = await this.db
      .selectFrom('images')
      .select('file_id')
      .where('file_id', 'is not', null)
      .execute();
    await this.files.sweep(new Set([...rows.map((r) => r.file_id!), ...(await this.filesInUse())]));
  }

  /** Image files no layer reads any more: removed unless an image row has them or they are `pinned`. */
  async releaseFiles(fileIds: string[], pinned: Set<string>): Promise<void> {
    if (fileIds.length === 0) return;
    const rows = await this.db
      .selectFrom('images')
      .select('file_id')
      .where('file_id', 'in', fileIds)
      .execute();
    const keep = new Set([...rows.map((r) => r.file_id), ...pinned]);
    for (const id of fileIds) if (!keep.has(id)) await this.files.remove(id);
  }

  /**
   * A new queued image (Glance's ImageFactory): the caller's project owns it unless an admin
   * names another; only an admin publishes. Every value is checked here too, so callers that
   * are not HTTP (Cinder's upload-to-image) get Glance's rules and texts.
   */
  async create(ctx: RequestContext, input: NewImage): Promise<Image> {
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
    const image: Image = { row, properties: noProto(), tags: [] };
    if (input.id !== undefined) {
      if (!isUuid(input.id))
        throw new BadRequest(
          `Provided object does not match schema 'image': ${pyRepr(input.id)} does not match '${UUID_PATTERN}'`,
        );
      row.id = input.id.toLowerCase();
    }
    for (const key of WRITABLE) {
      if (input[key] === undefined) continue;
      setBase(ctx, image, key, checkBaseValue(key, input[key]), 'create');
    }
    const extra = input.properties instanceof Map ? input.properties : ownEntries(input.properties);
    for (const [name, value] of extra) image.properties[name] = checkExtra(name, value);
    checkPropertyQuota(image.properties);
    try {
      await this.repo.insert(image);
    } catch (err) {
      if ((await this.repo.find(row.id)) !== undefined)
        throw new Conflict(`An image with identifier ${row.id} already exists`);
      throw err;
    }
    return image;
  }

  /** An image the caller may see; anything else, including a malformed id, is a 404. */
  async get(ctx: RequestContext, id: string, ex: Db = this.db): Promise<Image> {
    const image = isUuid(id) ? await this.repo.find(id.toLowerCase(), ex) : undefined;
    if (!image || !(await this.canSee(ctx, image.row, ex))) {
      throw new NotFound(`No image found with ID ${id}`);
    }
    return image;
  }

  async list(ctx: RequestContext, q: ListQuery): Promise<ImagePage> {
    let marker: ImageRow | undefined;
    if (q.marker !== undefined) {
      marker = isUuid(q.marker) ? await this.repo.findRow(q.marker.toLowerCase()) : undefined;
      if (!marker || !(await this.canSee(ctx, marker)))
        throw new BadRequest(`Marker ${q.marker} could not be found.`);
    }
    if (q.limit === 0) return { images: [], nextMarker: undefined };
    const images = await this.repo.page(
      pageClauses(q, visibleCondition(ctx, q.visibility, q.memberStatus), marker),
    );
    const last = images[images.length - 1];
    return { images, nextMarker: images.length === q.limit && last ? last.row.id : undefined };
  }

  /** canSee, asking about membership only when the answer depends on it. */
  private async canSee(ctx: RequestContext, row: ImageRow, ex: Db = this.db): Promise<boolean> {
    return canSee(ctx, row, false) || canSee(ctx, row, await this.members.isMember(ctx, row, ex));
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
        throw new OverLimit(
          `Maximum number of tags exceeded. Attempted: ${next.tags.length}, Maximum: ${TAG_QUOTA}`,
        );
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
    if (image.row.protected)
      throw new Forbidden(`Image ${image.row.id} is protected and cannot be deleted.`);
    // The row goes first: a crash before the file is removed leaves an orphan the next start sweeps.
    const res = await this.db
      .deleteFrom('images')
      .where('id', '=', image.row.id)
      .where('protected', '=', 0)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw new NotFound(`Failed to find image ${id} to delete`);
    if (image.row.file_id && !(await this.filesInUse()).has(image.row.file_id))
      await this.files.remove(image.row.file_id);
  }

  addTag(ctx: RequestContext, id: string, tag: string): Promise<void> {
    return this.tags.add(ctx, id, tag);
  }

  removeTag(ctx: RequestContext, id: string, tag: string): Promise<void> {
    return this.tags.remove(ctx, id, tag);
  }

  /** POST .../actions/deactivate and .../reactivate. */
  async setActive(ctx: RequestContext, id: string, active: boolean): Promise<void> {
    const image = await this.get(ctx, id);
    assertCanModify(ctx, image.row, active ? 'reactivate' : 'deactivate');
    const target = active ? 'active' : 'deactivated';
    if (image.row.status === target) return;
    const from = active ? 'deactivated' : 'active';
    if (image.row.status !== from) {
      throw new BadRequest(
        `Not allowed to ${active ? 'reactivate' : 'deactivate'} image in status '${image.row.status}'`,
      );
    }
    await moveStatus(this.db, image.row.id, from, target);
  }
}
