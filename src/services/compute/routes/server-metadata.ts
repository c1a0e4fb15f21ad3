import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../../errors.js';
import { Type } from '../../../http/schema.js';
import type { ComputeService } from '../service.js';
import { parseBody } from './parse.js';

type Params = { id: string };
type KeyParams = { id: string; key: string };

// nova/api/validation/parameter_types.py `metadata` and schemas/server_metadata.py (Zed).
const KEY = Type.String({ pattern: '^[a-zA-Z0-9-_:. ]{1,255}$' });
const VALUE = Type.String({ maxLength: 255 });
const METADATA = Type.Record(KEY, VALUE, { additionalProperties: false });
const ALL = Type.Object({ metadata: METADATA }, { additionalProperties: false });
const ONE = Type.Object(
  {
    meta: Type.Record(KEY, VALUE, {
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
    }),
  },
  { additionalProperties: false },
);

const asObject = (m: ReadonlyMap<string, string>) =>
  Object.fromEntries(m) as Record<string, string>;
const asMap = (o: Record<string, string>) => new Map(Object.entries(o));

/** /servers/{id}/metadata and /servers/{id}/metadata/{key}. */
export function serverMetadataRoutes(app: FastifyInstance, compute: ComputeService): void {
  const md = compute.serverMetadata;

  app.get<{ Params: Params }>('/servers/:id/metadata', async (req) => ({
    metadata: asObject(await md.list(req.ctx, req.params.id)),
  }));

  // POST merges, PUT replaces the whole set. The body is checked first, as Nova's decorator does.
  for (const [method, replace] of [
    ['POST', false],
    ['PUT', true],
  ] as const) {
    app.route<{ Params: Params }>({
      method,
      url: '/servers/:id/metadata',
      handler: async (req) => {
        const { metadata } = parseBody(ALL, req.body);
        const next = await md.update(req.ctx, req.params.id, asMap(metadata), replace);
        return { metadata: asObject(next) };
      },
    });
  }

  app.get<{ Params: KeyParams }>('/servers/:id/metadata/:key', async (req) => {
    const value = await md.get(req.ctx, req.params.id, req.params.key);
    return { meta: { [req.params.key]: value } };
  });

  app.put<{ Params: KeyParams }>('/servers/:id/metadata/:key', async (req) => {
    const { meta } = parseBody(ONE, req.body);
    if (!Object.hasOwn(meta, req.params.key)) throw new BadRequest('Request body and URI mismatch');
    await md.update(req.ctx, req.params.id, asMap(meta), false);
    return { meta };
  });

  app.delete<{ Params: KeyParams }>('/servers/:id/metadata/:key', async (req, reply) => {
    await md.remove(req.ctx, req.params.id, req.params.key);
    return reply.code(204).send();
  });
}
