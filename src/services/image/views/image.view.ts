import type { ImagePage } from '../service.js';
import { isoSeconds } from '../../../util.js';
import type { Image } from '../model.js';

/** The v2 image record: every base key (null when unset) and each extra property at top level. */
export function imageView(image: Image): Record<string, unknown> {
  const r = image.row;
  return {
    ...image.properties,
    id: r.id,
    name: r.name,
    status: r.status,
    visibility: r.visibility,
    protected: r.protected === 1,
    os_hidden: r.os_hidden === 1,
    checksum: r.checksum,
    os_hash_algo: r.os_hash_algo,
    os_hash_value: r.os_hash_value,
    owner: r.owner,
    size: r.size,
    virtual_size: r.virtual_size,
    container_format: r.container_format,
    disk_format: r.disk_format,
    min_disk: r.min_disk,
    min_ram: r.min_ram,
    tags: image.tags,
    created_at: isoSeconds(r.created_at),
    updated_at: isoSeconds(r.updated_at),
    self: `/v2/images/${r.id}`,
    file: `/v2/images/${r.id}/file`,
    schema: '/v2/schemas/image',
  };
}

/**
 * GET /v2/images: the page, `first` (the query without its marker) and, when the page came back
 * full, `next` (the query with the last id as the marker). `search` is the request's query
 * string as the client sent it.
 */
export function imagesView(page: ImagePage, search: string): Record<string, unknown> {
  const params = new URLSearchParams(search);
  params.delete('marker');
  const rest = params.toString();
  const body: Record<string, unknown> = {
    images: page.images.map(imageView),
    first: rest ? `/v2/images?${rest}` : '/v2/images',
    schema: '/v2/schemas/images',
  };
  if (page.nextMarker) {
    params.append('marker', page.nextMarker);
    body.next = `/v2/images?${params.toString()}`;
  }
  return body;
}
