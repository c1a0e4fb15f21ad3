import type { FastifyInstance } from 'fastify';
import { BadRequest, Forbidden, NotFound } from '../../../errors.js';
import { isJsonObject } from '../../../http/input.js';
import type { Query } from '../../../http/query.js';
import { parse, type Static } from '../../../http/schema.js';
import type { ImageService } from '../service.js';
import { noProto, WRITABLE, type NewImage } from '../model.js';
import { schemaViolation } from '../errors.js';
import { imagesView, imageView } from '../views/image.view.js';
import { ImageBody, ListImagesQuery } from './images.schemas.js';
import { parseListQuery } from './list-params.js';
import { parsePatch } from './patch-body.js';

const imageViolation = schemaViolation('image');

/** Glance refuses these before it validates (RequestDeserializer._check_allowed)... */
const DISALLOWED = ['direct_url', 'self', 'file', 'schema', 'stores'];
/** ...and these after (ImageFactory: read-only), along with locations. */
const READ_ONLY = [
  'created_at',
  'updated_at',
  'status',
  'checksum',
  'size',
  'virtual_size',
  'os_hash_algo',
  'os_hash_value',
  'locations',
];
const BASE: ReadonlySet<string> = new Set(['id', ...WRITABLE, ...READ_ONLY]);

function readOnly(key: string): Forbidden {
  return new Forbidden(`Attribute '${key}' is read-only.`);
}

/** POST /v2/images body -> the typed fields of a new image. */
function newImage(body: unknown): NewImage {
  if (body === undefined || body === null) throw new BadRequest('Body expected in request.');
  const fields = isJsonObject(body) ? { ...body } : body;
  if (isJsonObject(fields)) {
    // OSC 6.0 sends the SDK's attribute names when it creates an image without data.
    for (const [from, to] of [
      ['is_protected', 'protected'],
      ['owner_id', 'owner'],
    ] as const) {
      if (Object.hasOwn(fields, from) && !Object.hasOwn(fields, to)) fields[to] = fields[from];
      delete fields[from];
    }
    for (const key of DISALLOWED) if (Object.hasOwn(fields, key)) throw readOnly(key);
  }
  const b: Static<typeof ImageBody> = parse(ImageBody, fields, imageViolation);
  for (const key of READ_ONLY) if (Object.hasOwn(b, key)) throw readOnly(key);
  const properties = noProto<string>();
  for (const [key, value] of Object.entries(b)) {
    if (!BASE.has(key)) properties[key] = value as string;
  }
  return {
    id: b.id,
    name: b.name,
    visibility: b.visibility,
    protected: b.protected,
    os_hidden: b.os_hidden,
    container_format: b.container_format as string | null | undefined,
    disk_format: b.disk_format as string | null | undefined,
    min_disk: b.min_disk,
    min_ram: b.min_ram,
    tags: b.tags,
    owner: b.owner,
    properties,
  };
}

/** /v2/images and /v2/images/{id}. */
export function imageRoutes(
  app: FastifyInstance,
  images: ImageService,
  baseUrl: () => string,
): void {
  app.post('/v2/images', async (req, reply) => {
    const image = await images.create(req.ctx, newImage(req.body));
    return reply
      .code(201)
      .header('location', `${baseUrl()}/image/v2/images/${image.row.id}`)
      .send(imageView(image));
  });

  app.get('/v2/images', async (req) => {
    const [path, search = ''] = req.url.split('?', 2) as [string, string?];
    // The router ignores trailing slashes, but `/v2/images/` is an image with an empty id.
    if (path.endsWith('/')) throw new NotFound('The resource could not be found.');
    const query: Query = parse(ListImagesQuery, req.query, imageViolation);
    const page = await images.list(req.ctx, parseListQuery(query));
    return imagesView(page, search);
  });

  app.get<{ Params: { id: string } }>('/v2/images/:id', async (req) =>
    imageView(await images.get(req.ctx, req.params.id)),
  );

  app.patch<{ Params: { id: string } }>('/v2/images/:id', async (req) => {
    const { ops, v20 } = parsePatch(req.headers['content-type'], req.body);
    return imageView(await images.update(req.ctx, req.params.id, ops, v20));
  });

  app.delete<{ Params: { id: string } }>('/v2/images/:id', async (req, reply) => {
    await images.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
