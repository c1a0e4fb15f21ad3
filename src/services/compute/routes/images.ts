import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, NotFound } from '../../../errors.js';
import { versionBelow, type Microversion } from '../../../http/microversion.js';
import { queryInt } from '../../../http/input.js';
import { Type } from '../../../http/schema.js';
import type { ImageProxyQuery } from '../image-proxy.js';
import type { ComputeService } from '../service.js';
import {
  imageProxyView,
  imagesNextLink,
  imageSummaryView,
  type ImageLinkBase,
} from '../views/image-proxy.view.js';
import { parseBody, queryLists } from './parse.js';

type Params = { id: string };
type KeyParams = { id: string; key: string };

/** The proxy ends at 2.35, its metadata API at 2.38 (api_version_request.py). */
const IMAGES_MAX: Microversion = [2, 35];
const METADATA_MAX: Microversion = [2, 38];

/** parameter_types.metadata (schemas/image_metadata.py). */
const METADATA = Type.Record(
  Type.String({ pattern: '^[a-zA-Z0-9-_:. ]{1,255}$' }),
  Type.String({ maxLength: 255 }),
  { additionalProperties: false },
);
const METADATA_BODY = Type.Object({ metadata: METADATA }, { additionalProperties: false });
const META_BODY = Type.Object(
  {
    meta: Type.Record(
      Type.String({ pattern: '^[a-zA-Z0-9-_:. ]{1,255}$' }),
      Type.String({ maxLength: 255 }),
      { additionalProperties: false, minProperties: 1, maxProperties: 1 },
    ),
  },
  { additionalProperties: false },
);

/** Nova's SUPPORTED_FILTERS that are not extra properties. */
const PROPERTY_FILTERS = new Map([
  ['server', 'instance_uuid'],
  ['type', 'image_type'],
]);

function gate(req: FastifyRequest, max: Microversion): void {
  if (versionBelow(max, req.computeMv)) throw new NotFound('The resource could not be found.');
}

/** utils.validate_integer(value, name, min_value=0), as get_pagination_params reads it. */
function nonNegative(name: string, raw: string): number {
  const n = queryInt(raw);
  if (n === null) throw new BadRequest(`Invalid input received: ${name} must be an integer`);
  if (n < 0) throw new BadRequest(`Invalid input received: ${name} must be >= 0`);
  return n;
}

/** ImagesController._get_filters and get_pagination_params; webob's `get` is the last value. */
function proxyQueryOf(raw: unknown): { q: ImageProxyQuery; params: URLSearchParams } {
  const lists = queryLists(raw);
  const params = new URLSearchParams();
  const q: ImageProxyQuery = { properties: new Map() };
  for (const key of Object.keys(lists)) {
    const values = lists[key]!;
    for (const v of values) params.append(key, v);
    const value = values[values.length - 1]!;
    if (key === 'name') q.name = value;
    else if (key === 'status') q.status = value.toLowerCase();
    else if (key === 'changes-since') q.changesSince = value;
    else if (key === 'minRam') q.minRam = nonNegative(key, value);
    else if (key === 'minDisk') q.minDisk = nonNegative(key, value);
    else if (key === 'limit') q.limit = nonNegative(key, value);
    else if (key === 'marker') q.marker = value;
    else if (PROPERTY_FILTERS.has(key)) {
      // `server` may be a server's link: its last path segment is the id.
      const v = key === 'server' ? value.slice(value.lastIndexOf('/') + 1) : value;
      q.properties.set(PROPERTY_FILTERS.get(key)!, v);
    } else if (key.startsWith('property-')) q.properties.set(key.slice(9), value);
  }
  return { q, params };
}

/** /images, /images/detail, /images/{id} and its metadata: Nova's proxy of Glance. */
export function imageRoutes(
  app: FastifyInstance,
  compute: ComputeService,
  bases: () => ImageLinkBase,
): void {
  for (const detail of [false, true]) {
    const path = detail ? 'images/detail' : 'images';
    app.get(`/${path}`, async (req) => {
      gate(req, IMAGES_MAX);
      const { q, params } = proxyQueryOf(req.query);
      const images = await compute.images.list(req.ctx, q);
      const b = bases();
      const out: Record<string, unknown> = {
        images: images.map((i) => (detail ? imageProxyView(i, b) : imageSummaryView(i, b))),
      };
      const links = imagesNextLink(b, path, params, Math.min(q.limit ?? 1000, 1000), images);
      if (links) out.images_links = links;
      return out;
    });
  }

  app.get<{ Params: Params }>('/images/:id', async (req) => {
    gate(req, IMAGES_MAX);
    return { image: imageProxyView(await compute.images.get(req.ctx, req.params.id), bases()) };
  });

  app.delete<{ Params: Params }>('/images/:id', async (req, reply) => {
    gate(req, IMAGES_MAX);
    await compute.images.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  app.get<{ Params: Params }>('/images/:id/metadata', async (req) => {
    gate(req, METADATA_MAX);
    return { metadata: await compute.images.metadata(req.ctx, req.params.id) };
  });

  for (const method of ['POST', 'PUT'] as const) {
    app.route<{ Params: Params }>({
      method,
      url: '/images/:id/metadata',
      handler: async (req) => {
        gate(req, METADATA_MAX);
        const { metadata } = parseBody(METADATA_BODY, req.body);
        const items = new Map(Object.entries(metadata));
        const out = await compute.images.setMetadata(
          req.ctx,
          req.params.id,
          items,
          method === 'PUT',
        );
        return { metadata: out };
      },
    });
  }

  app.get<{ Params: KeyParams }>('/images/:id/metadata/:key', async (req) => {
    gate(req, METADATA_MAX);
    const metadata = await compute.images.metadata(req.ctx, req.params.id);
    if (!Object.hasOwn(metadata, req.params.key))
      throw new NotFound('The resource could not be found.');
    return { meta: { [req.params.key]: metadata[req.params.key] } };
  });

  app.put<{ Params: KeyParams }>('/images/:id/metadata/:key', async (req) => {
    gate(req, METADATA_MAX);
    const { meta } = parseBody(META_BODY, req.body);
    const key = req.params.key;
    if (!Object.hasOwn(meta, key)) throw new BadRequest('Request body and URI mismatch');
    await compute.images.setMetadata(req.ctx, req.params.id, new Map([[key, meta[key]!]]), false);
    return { meta: { [key]: meta[key] } };
  });

  app.delete<{ Params: KeyParams }>('/images/:id/metadata/:key', async (req, reply) => {
    gate(req, METADATA_MAX);
    await compute.images.deleteMetadataItem(req.ctx, req.params.id, req.params.key);
    return reply.code(204).send();
  });
}
