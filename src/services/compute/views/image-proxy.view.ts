import { isoSeconds } from '../../../util.js';
import type { Image } from '../../image/model.js';

/** Where the links point: the public base URL, and Glance's root for the `alternate` link. */
export interface ImageLinkBase {
  base: string;
  glance: string;
}

/** Glance's status as Nova's image view words it (views/images.py _get_status). */
const STATUS = new Map([
  ['active', 'ACTIVE'],
  ['queued', 'SAVING'],
  ['saving', 'SAVING'],
  ['deleted', 'DELETED'],
  ['pending_delete', 'DELETED'],
  ['killed', 'ERROR'],
]);
const PROGRESS = new Map([
  ['queued', 25],
  ['saving', 50],
  ['active', 100],
]);
/** oslo's bool_from_string true words, for auto_disk_config. */
const TRUE_WORDS = new Set(['1', 't', 'true', 'on', 'y', 'yes']);

const computeLinks = (b: ImageLinkBase, kind: string, id: string) => [
  { rel: 'self', href: `${b.base}/compute/v2.1/${kind}/${id}` },
  { rel: 'bookmark', href: `${b.base}/compute/${kind}/${id}` },
];

function imageLinks(b: ImageLinkBase, id: string): Record<string, string>[] {
  return [
    ...computeLinks(b, 'images', id),
    { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${b.glance}/images/${id}` },
  ];
}

/** GET /images: id, name, links. */
export function imageSummaryView(image: Image, b: ImageLinkBase): Record<string, unknown> {
  return { id: image.row.id, name: image.row.name, links: imageLinks(b, image.row.id) };
}

/** GET /images/{id} and /images/detail. */
export function imageProxyView(image: Image, b: ImageLinkBase): Record<string, unknown> {
  const r = image.row;
  const metadata = { ...image.properties };
  const view: Record<string, unknown> = {
    id: r.id,
    name: r.name,
    minRam: r.min_ram,
    minDisk: r.min_disk,
    metadata,
    created: isoSeconds(r.created_at),
    updated: isoSeconds(r.updated_at),
    status: STATUS.get(r.status) ?? 'UNKNOWN',
    progress: PROGRESS.get(r.status) ?? 0,
    // Nova's glance layer turns a size Glance does not know yet into 0.
    'OS-EXT-IMG-SIZE:size': r.size ?? 0,
    links: imageLinks(b, r.id),
  };
  const server = Object.hasOwn(metadata, 'instance_uuid') ? metadata.instance_uuid : undefined;
  if (server !== undefined) view.server = { id: server, links: computeLinks(b, 'servers', server) };
  const diskConfig = Object.hasOwn(metadata, 'auto_disk_config')
    ? metadata.auto_disk_config
    : undefined;
  if (diskConfig !== undefined)
    view['OS-DCF:diskConfig'] = TRUE_WORDS.has(diskConfig.trim().toLowerCase()) ? 'AUTO' : 'MANUAL';
  return view;
}

/** `images_links` when the page is as long as the limit asked (Nova's _get_collection_links). */
export function imagesNextLink(
  b: ImageLinkBase,
  path: string,
  params: URLSearchParams,
  pageSize: number,
  images: Image[],
): { rel: string; href: string }[] | undefined {
  const last = images[images.length - 1];
  if (!last || pageSize === 0 || images.length !== pageSize) return undefined;
  const next = new URLSearchParams();
  const keys = [...new Set(params.keys())].filter((k) => k !== 'marker').sort();
  for (const k of keys) next.append(k, params.getAll(k).at(-1)!);
  next.append('marker', last.row.id);
  return [{ rel: 'next', href: `${b.base}/compute/v2.1/${path}?${next.toString()}` }];
}
