import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound } from '../../../errors.js';
import { versionBelow } from '../../../http/microversion.js';
import { Type } from '../../../http/schema.js';
import type { ComputeService } from '../service.js';
import { MAX_TAG_LENGTH, MAX_TAGS } from '../server-tags.js';
import { parseBody } from './parse.js';

type Params = { id: string };
type TagParams = { id: string; tag: string };

// nova/api/openstack/compute/schemas/server_tags.py (Zed).
const TAG = Type.String({ minLength: 1, maxLength: MAX_TAG_LENGTH, pattern: '^[^,/]*$' });
const UPDATE_ALL = Type.Object(
  { tags: Type.Array(TAG, { maxItems: MAX_TAGS }) },
  { additionalProperties: false },
);
const UPDATE_ONE = Type.Null();

/** The API exists from 2.26; below it Nova has no such route. */
function requireTags(req: FastifyRequest): void {
  if (versionBelow(req.computeMv, [2, 26])) throw new NotFound('The resource could not be found.');
}

/** /servers/{id}/tags and /servers/{id}/tags/{tag} (2.26+). */
export function serverTagRoutes(
  app: FastifyInstance,
  compute: ComputeService,
  baseUrl: () => string,
): void {
  const tags = compute.serverTags;

  app.get<{ Params: Params }>('/servers/:id/tags', async (req) => {
    requireTags(req);
    return { tags: await tags.list(req.ctx, req.params.id) };
  });

  app.put<{ Params: Params }>('/servers/:id/tags', async (req) => {
    requireTags(req);
    const body = parseBody(UPDATE_ALL, req.body);
    return { tags: await tags.replace(req.ctx, req.params.id, body.tags) };
  });

  app.delete<{ Params: Params }>('/servers/:id/tags', async (req, reply) => {
    requireTags(req);
    await tags.removeAll(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  app.get<{ Params: TagParams }>('/servers/:id/tags/:tag', async (req, reply) => {
    requireTags(req);
    await tags.has(req.ctx, req.params.id, req.params.tag);
    return reply.code(204).send();
  });

  // 201 with the tag's URL when added, 204 when the server had it.
  app.put<{ Params: TagParams }>('/servers/:id/tags/:tag', async (req, reply) => {
    requireTags(req);
    parseBody(UPDATE_ONE, req.body);
    const { id, tag } = req.params;
    if (!(await tags.add(req.ctx, id, tag))) return reply.code(204).send();
    const href = `${baseUrl()}/compute/v2.1/servers/${encodeURIComponent(id)}/tags/${encodeURIComponent(tag)}`;
    return reply.code(201).header('location', href).send();
  });

  app.delete<{ Params: TagParams }>('/servers/:id/tags/:tag', async (req, reply) => {
    requireTags(req);
    await tags.remove(req.ctx, req.params.id, req.params.tag);
    return reply.code(204).send();
  });
}
