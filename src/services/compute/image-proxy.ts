import type { RequestContext } from '../../context.js';
import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import type { ImageService } from '../image/service.js';
import type { ImageFilters, ListQuery } from '../image/list-query.js';
import type { Image } from '../image/model.js';
import type { PatchOp } from '../image/patch.js';

/** Nova's default `metadata_items` quota, which its image metadata API checks (common.py). */
const METADATA_ITEMS = 128;
/** Glance's api_limit_max: a proxy page is never longer. */
const MAX_PAGE = 1000;

/** GET /images[/detail] after Nova's _get_filters: Glance's names, the server already an id. */
export interface ImageProxyQuery {
  name?: string;
  /** Lower-cased, as Nova sends it to Glance. */
  status?: string;
  changesSince?: string;
  minRam?: number;
  minDisk?: number;
  /** `server` (instance_uuid), `type` (image_type) and `property-<name>`: extra properties. */
  properties: Map<string, string>;
  /** 0 or absent: every image (Nova drops a falsy limit before asking Glance). */
  limit?: number;
  marker?: string;
}

const notFound = (): NotFound => new NotFound('Image not found.');

/**
 * Nova's image proxy (nova/api/openstack/compute/images.py, image_metadata.py): Glance's images
 * as Nova's glance.API sees them, read and written through ImageService with the caller's rights.
 */
export class ImageProxy {
  constructor(private readonly images: ImageService) {}

  async list(ctx: RequestContext, q: ImageProxyQuery): Promise<Image[]> {
    const filters: ImageFilters = {
      match: {},
      equal: {},
      ints: {},
      osHidden: false,
      times: [],
      tags: [],
      properties: q.properties,
    };
    if (q.name !== undefined) filters.match.name = { eq: q.name };
    if (q.status !== undefined) filters.match.status = { eq: q.status };
    if (q.minRam !== undefined) filters.ints.min_ram = q.minRam;
    if (q.minDisk !== undefined) filters.ints.min_disk = q.minDisk;
    if (q.changesSince !== undefined) {
      const at = new Date(q.changesSince);
      if (Number.isNaN(at.getTime()))
        throw new BadRequest(
          `Invalid updated_at filter: gte:${q.changesSince}. Use <gt|gte|eq|neq|lt|lte>:<ISO 8601 time>.`,
        );
      filters.times.push({ column: 'updated_at', op: 'gte', at: at.toISOString() });
    }
    const query: ListQuery = {
      limit: q.limit ? Math.min(q.limit, MAX_PAGE) : MAX_PAGE,
      marker: q.marker,
      sort: [
        ['created_at', 'desc'],
        ['id', 'desc'],
      ],
      visibility: undefined,
      memberStatus: 'accepted',
      filters,
    };
    return (await this.images.list(ctx, query)).images;
  }

  async get(ctx: RequestContext, id: string): Promise<Image> {
    try {
      return await this.images.get(ctx, id);
    } catch (err) {
      if (err instanceof NotFound) throw notFound();
      throw err;
    }
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    try {
      await this.images.delete(ctx, id);
    } catch (err) {
      if (err instanceof NotFound) throw notFound();
      if (err instanceof Forbidden) throw new Forbidden('You are not allowed to delete the image.');
      throw err;
    }
  }

  /** The image's own properties (Nova's `metadata`): Glance's extra properties. */
  async metadata(ctx: RequestContext, id: string): Promise<Record<string, string>> {
    return { ...(await this.get(ctx, id)).properties };
  }

  /** POST (merge) or PUT (`replace`: the given items are all the image keeps). */
  async setMetadata(
    ctx: RequestContext,
    id: string,
    items: ReadonlyMap<string, string>,
    replace: boolean,
  ): Promise<Record<string, string>> {
    const image = await this.get(ctx, id);
    const next = new Map(replace ? [] : Object.entries(image.properties));
    for (const [k, v] of items) next.set(k, v);
    if (next.size > METADATA_ITEMS) throw new Forbidden('Image metadata limit exceeded');
    const ops: PatchOp[] = [];
    for (const k of Object.keys(image.properties))
      if (!next.has(k)) ops.push({ op: 'remove', name: k });
    for (const [k, v] of items) ops.push({ op: 'add', name: k, value: v });
    const saved = await this.update(ctx, id, ops);
    return replace ? Object.fromEntries(items) : { ...saved.properties };
  }

  async deleteMetadataItem(ctx: RequestContext, id: string, key: string): Promise<void> {
    const image = await this.get(ctx, id);
    if (!Object.hasOwn(image.properties, key)) throw new NotFound('Invalid metadata key');
    await this.update(ctx, id, [{ op: 'remove', name: key }]);
  }

  private async update(ctx: RequestContext, id: string, ops: PatchOp[]): Promise<Image> {
    try {
      return await this.images.update(ctx, id, ops, false);
    } catch (err) {
      if (err instanceof NotFound) throw notFound();
      if (err instanceof Forbidden) throw new Forbidden(`Not authorized for image ${id}.`);
      throw err;
    }
  }
}
