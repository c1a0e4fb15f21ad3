import type { FastifyInstance } from 'fastify';
import { isJsonObject } from '../../../http/input.js';
import { pyRepr, pyStr } from '../../../http/pyrepr.js';
import { invalidInput, NeutronFault } from '../errors.js';
import type { NetworkService } from '../service.js';
import { TAGGABLE, type TaggableCollection } from '../tags.js';

type Params = { id: string };
type TagParams = { id: string; tag: string };

/** neutron/extensions/tagging.py MAX_TAG_LEN. */
const MAX_TAG_LEN = 255;

/** validate_string(tag, 255): the reason a tag is refused, or undefined. */
function tagReason(tag: unknown): string | undefined {
  if (typeof tag !== 'string') return `'${pyStr(tag)}' is not a valid string`;
  // Python counts code points, not UTF-16 units.
  if ([...tag].length > MAX_TAG_LEN) {
    return `'${pyStr(tag)}' exceeds maximum length of ${MAX_TAG_LEN}`;
  }
  return undefined;
}

function checkTag(tag: string): string {
  const reason = tagReason(tag);
  if (reason) throw invalidInput(reason);
  return tag;
}

/** Python's == between list items: True == 1, 1 == 1.0; other values by their repr. */
function equalityKey(v: unknown): string {
  if (typeof v === 'boolean') return `n:${Number(v)}`;
  if (typeof v === 'number') return `n:${v}`;
  return `r:${pyRepr(v)}`;
}

/**
 * validate_tags: `{"tags": [...]}`, a list of unique strings of at most 255 characters.
 * Duplicates are reported before the strings are checked, as neutron_lib does.
 */
function parseTagsBody(body: unknown): string[] {
  if (!isJsonObject(body) || !Object.hasOwn(body, 'tags')) {
    throw invalidInput('Invalid tags body');
  }
  const tags = body.tags;
  if (!Array.isArray(tags)) throw invalidInput(`'${pyStr(tags)}' is not a list`);
  const seen = new Set<string>();
  const dups = new Map<string, unknown>();
  for (const t of tags) {
    const key = equalityKey(t);
    if (seen.has(key) && !dups.has(key)) dups.set(key, t);
    seen.add(key);
  }
  if (dups.size > 0) {
    const list = [...dups.values()].map((d) => pyStr(d)).join(', ');
    throw invalidInput(`Duplicate items in the list: '${list}'`);
  }
  for (const t of tags) {
    const reason = tagReason(t);
    if (reason) throw invalidInput(reason);
  }
  return tags as string[];
}

/**
 * /v2.0/<collection>/<id>/tags[/<tag>] for every taggable collection (standard-attr-tag):
 * GET 200 list, PUT 200 replace, DELETE 204 all; one tag: GET 204, PUT 201, DELETE 204.
 */
export function tagRoutes(app: FastifyInstance, network: NetworkService): void {
  for (const collection of Object.keys(TAGGABLE) as TaggableCollection[]) {
    const base = `/v2.0/${collection}/:id/tags`;

    app.get<{ Params: Params }>(base, async (req) => ({
      tags: await network.tags.list(req.ctx, collection, req.params.id),
    }));

    app.put<{ Params: Params }>(base, async (req) => {
      const tags = parseTagsBody(req.body);
      await network.tags.replace(req.ctx, collection, req.params.id, tags);
      return { tags };
    });

    app.delete<{ Params: Params }>(base, async (req, reply) => {
      await network.tags.remove(req.ctx, collection, req.params.id, null);
      return reply.code(204).send();
    });

    app.post(base, async () => {
      throw new NeutronFault(404, 'HTTPNotFound', 'not supported');
    });

    app.get<{ Params: TagParams }>(`${base}/:tag`, async (req, reply) => {
      const tag = checkTag(req.params.tag);
      await network.tags.check(req.ctx, collection, req.params.id, tag);
      return reply.code(204).send();
    });

    // The body is ignored: Tempest sends the JSON string "{}".
    app.put<{ Params: TagParams }>(`${base}/:tag`, async (req, reply) => {
      const tag = checkTag(req.params.tag);
      await network.tags.add(req.ctx, collection, req.params.id, tag);
      return reply.code(201).send();
    });

    app.delete<{ Params: TagParams }>(`${base}/:tag`, async (req, reply) => {
      const tag = checkTag(req.params.tag);
      await network.tags.remove(req.ctx, collection, req.params.id, tag);
      return reply.code(204).send();
    });
  }
}
