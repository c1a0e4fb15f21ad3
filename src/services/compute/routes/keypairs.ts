import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest } from '../../../errors.js';
import { first, type Query } from '../../../http/query.js';
import { versionBelow, type Microversion } from '../../../http/microversion.js';
import type { KeyPair, KeyPairs } from '../keypairs.js';

type Params = { name: string };

/** The fields every view has; `type` from 2.2. */
function base(kp: KeyPair, mv: Microversion): Record<string, unknown> {
  const view: Record<string, unknown> = {
    name: kp.name,
    public_key: kp.public_key,
    fingerprint: kp.fingerprint,
  };
  if (!versionBelow(mv, [2, 2])) view.type = kp.type;
  return view;
}

/** os-keypairs: 200/202 up to 2.1, 201/204 from 2.2; each list entry wrapped in {"keypair": ...}. */
export function keypairRoutes(app: FastifyInstance, keypairs: KeyPairs): void {
  const userOf = (req: FastifyRequest): string =>
    keypairs.owner(req.ctx, req.computeMv, first(req.query as Query, 'user_id'));

  app.post('/os-keypairs', async (req, reply) => {
    const body = (req.body as Record<string, unknown> | undefined)?.keypair;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequest(
        `Invalid input for field/attribute keypair. Value: ${JSON.stringify(body ?? null)}. 'keypair' is a required property`,
      );
    }
    const { keypair, privateKey } = await keypairs.create(
      req.ctx,
      body as Record<string, unknown>,
      req.computeMv,
    );
    const view = {
      ...base(keypair, req.computeMv),
      user_id: keypair.user_id,
      ...(privateKey ? { private_key: privateKey } : {}),
    };
    return reply.code(versionBelow(req.computeMv, [2, 2]) ? 200 : 201).send({ keypair: view });
  });

  app.get('/os-keypairs', async (req) => {
    const q = req.query as Query;
    const paged = !versionBelow(req.computeMv, [2, 35]);
    const found = await keypairs.list(
      userOf(req),
      paged ? { limit: first(q, 'limit'), marker: first(q, 'marker') } : {},
    );
    return { keypairs: found.map((kp) => ({ keypair: base(kp, req.computeMv) })) };
  });

  app.get<{ Params: Params }>('/os-keypairs/:name', async (req) => {
    const kp = await keypairs.get(userOf(req), req.params.name);
    return {
      keypair: {
        ...base(kp, req.computeMv),
        user_id: kp.user_id,
        id: kp.id,
        created_at: kp.created_at.replace(/Z$/, ''),
        updated_at: null,
        deleted_at: null,
        deleted: false,
      },
    };
  });

  app.delete<{ Params: Params }>('/os-keypairs/:name', async (req, reply) => {
    await keypairs.remove(userOf(req), req.params.name);
    return reply.code(versionBelow(req.computeMv, [2, 2]) ? 202 : 204).send();
  });
}
