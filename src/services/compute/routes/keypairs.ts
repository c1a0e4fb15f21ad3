import type { FastifyInstance } from 'fastify';
import { versionBelow, type Microversion } from '../../../http/microversion.js';
import { queryInt } from '../../../http/input.js';
import type { Static } from '../../../http/schema.js';
import type { ComputeService } from '../service.js';
import { createdKeyPairView, keyPairListView, keyPairView } from '../views/keypair.view.js';
import {
  CREATE,
  INDEX_QUERY,
  ONE_QUERY,
  type CreateV210,
  type KeypairQuery,
} from './keypairs.schemas.js';
import { firstOf, parseBody, parseQuery, since } from './parse.js';

type Params = { name: string };

/** Nova's CONF.api.max_limit: no page is longer. */
const MAX_LIMIT = 1000;

/** The user a request names (user_id, read from 2.10; empty means the caller, as in Nova). */
function userOf(q: KeypairQuery, mv: Microversion): string | undefined {
  return versionBelow(mv, [2, 10]) ? undefined : firstOf(q.user_id) || undefined;
}

/** os-keypairs: 200/202 up to 2.1, 201/204 from 2.2. */
export function keypairRoutes(app: FastifyInstance, compute: ComputeService): void {
  app.post('/os-keypairs', async (req, reply) => {
    const mv = req.computeMv;
    const { keypair: body } = parseBody(since(mv, CREATE), req.body) as Static<typeof CreateV210>;
    const { keypair, privateKey } = await compute.createKeyPair(req.ctx, {
      name: body.name,
      type: body.type ?? 'ssh',
      publicKey: body.public_key,
      userId: body.user_id,
    });
    return reply
      .code(versionBelow(mv, [2, 2]) ? 200 : 201)
      .send(createdKeyPairView(keypair, privateKey, mv));
  });

  app.get('/os-keypairs', async (req) => {
    const mv = req.computeMv;
    const q = parseQuery(since(mv, INDEX_QUERY), req.query) as KeypairQuery;
    const paged = !versionBelow(mv, [2, 35]);
    const limit = paged && q.limit ? queryInt(q.limit[0]!) : null;
    const found = await compute.listKeyPairs(req.ctx, userOf(q, mv), {
      // Before 2.35 Nova lists them all; from 2.35 a page is at most max_limit long.
      limit: paged ? Math.min(limit ?? MAX_LIMIT, MAX_LIMIT) : undefined,
      marker: paged ? firstOf(q.marker) : undefined,
    });
    return keyPairListView(found, mv);
  });

  app.get<{ Params: Params }>('/os-keypairs/:name', async (req) => {
    const q = parseQuery(since(req.computeMv, ONE_QUERY), req.query) as KeypairQuery;
    const kp = await compute.getKeyPair(req.ctx, userOf(q, req.computeMv), req.params.name);
    return keyPairView(kp, req.computeMv);
  });

  app.delete<{ Params: Params }>('/os-keypairs/:name', async (req, reply) => {
    const q = parseQuery(since(req.computeMv, ONE_QUERY), req.query) as KeypairQuery;
    await compute.deleteKeyPair(req.ctx, userOf(q, req.computeMv), req.params.name);
    return reply.code(versionBelow(req.computeMv, [2, 2]) ? 202 : 204).send();
  });
}
