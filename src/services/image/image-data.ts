import type { Readable } from 'node:stream';
import type { Db } from '../../store/db.js';
import {
  BadRequest,
  Conflict,
  Forbidden,
  NotFound,
  OverLimit,
  RangeNotSatisfiable,
} from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow } from '../../util.js';
import {
  SizeLimitExceeded,
  StorageFailure,
  type ImageFileStore,
  type StoredFile,
} from '../../blocks/image-files.js';
import { virtualSize } from '../../blocks/qcow2.js';
import { assertCanModify } from './access.js';
import type { Image } from './model.js';
import { moveStatus } from './status.js';

/** Glance's image_size_cap default: 1 TiB. */
const IMAGE_SIZE_CAP = 1024 ** 4;

export interface ImageData {
  stream: Readable;
  length: number;
  checksum: string | null;
  range?: { start: number; end: number; total: number };
}

/** PUT and GET /v2/images/{id}/file: the bytes of an image and the statuses they move. */
export class ImageDataService {
  constructor(
    private readonly db: Db,
    private readonly files: ImageFileStore,
    private readonly getImage: (ctx: RequestContext, id: string) => Promise<Image>,
  ) {}

  /**
   * PUT /v2/images/{id}/file: queued -> saving -> active. The bytes are hashed (md5 and sha512)
   * as they are written; the image becomes active only once the file is complete and synced.
   * When the client fails (disconnects, sends the wrong size, too much data) the image goes back
   * to queued, as Glance's `_restore` does, so the upload can be retried. When the store fails
   * (disk full, I/O error) the image is killed: its data cannot be trusted.
   * `data` is the request body, or `{ file }`: a finished file on the data directory's file
   * system, which is renamed into the store after one hashing read.
   */
  async upload(
    ctx: RequestContext,
    id: string,
    data: Readable | { file: string },
    expectedSize?: number,
  ): Promise<void> {
    const image = await this.getImage(ctx, id);
    assertCanModify(ctx, image.row, 'upload_image');
    const missing = (['disk_format', 'container_format'] as const).filter(
      (f) => image.row[f] === null,
    );
    if (missing.length > 0) {
      throw new BadRequest(
        missing.length === 2
          ? 'Properties disk_format, container_format must be set prior to saving data.'
          : `Property ${missing[0]} must be set prior to saving data.`,
      );
    }
    await moveStatus(this.db, image.row.id, image.row.status, 'saving');

    let stored: StoredFile;
    try {
      // A complete file of ours (a flattened volume) is adopted rather than copied.
      stored =
        'file' in data
          ? await this.files.adopt(data.file)
          : await this.files.write(data, { maxSize: IMAGE_SIZE_CAP });
    } catch (err) {
      if (err instanceof StorageFailure) {
        await moveStatus(this.db, image.row.id, 'saving', 'killed').catch(() => undefined);
        if (err.cause.code === 'ENOSPC') throw new OverLimit('Image storage media is full.');
        throw err;
      }
      await this.restoreQueued(image.row.id);
      if (err instanceof SizeLimitExceeded)
        throw new OverLimit(`Image exceeds the storage quota: ${err.message}`);
      throw err;
    }
    if (expectedSize !== undefined && expectedSize !== stored.size) {
      await this.files.remove(stored.fileId);
      await this.restoreQueued(image.row.id);
      throw new BadRequest(
        `Image size ${stored.size} does not match the expected size ${expectedSize}.`,
      );
    }
    try {
      await moveStatus(this.db, image.row.id, 'saving', 'active', {
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
        throw new Conflict(
          `Image ${id} could not be found after upload. The image may have been deleted during the upload.`,
        );
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
  async download(
    ctx: RequestContext,
    id: string,
    range?: { start?: number; end?: number },
  ): Promise<ImageData | null> {
    const image = await this.getImage(ctx, id);
    const row = image.row;
    if (row.status === 'deactivated' && !ctx.isAdmin) {
      throw new Forbidden(
        'The requested image has been deactivated. Image data download is forbidden.',
      );
    }
    if (!row.file_id || row.size === null) return null;
    if (!range)
      return { stream: this.files.read(row.file_id), length: row.size, checksum: row.checksum };
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
