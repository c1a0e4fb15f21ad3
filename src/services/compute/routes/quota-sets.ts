import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest } from '../../../errors.js';
import { boolFromString } from '../../../http/input.js';
import type { QuotaResource, QuotaSet } from '../quotas.js';
import type { ComputeService } from '../service.js';
import { quotaSetView } from '../views/quota.view.js';
import { boundedInt, firstOf, parseBody, parseQuery, since } from './parse.js';
import {
  QUOTA_QUERY,
  QUOTA_SET_UPDATE,
  type QuotaQuery,
  type QuotaValues,
} from './quotas.schemas.js';

type Params = { id: string };

/**
 * The limits a body sets, once its schema (of the request's microversion) let only known
 * resources through; digit strings become numbers, checked against Nova's bounds.
 */
export function quotaLimits(values: QuotaValues): Partial<QuotaSet> {
  const limits: Partial<QuotaSet> = {};
  for (const [name, value] of Object.entries(values)) {
    if (name === 'force' || typeof value === 'boolean') continue;
    limits[name as QuotaResource] = boundedInt(name, value, -1, 0x7fffffff);
  }
  return limits;
}

/** The user a request names inside the project (user_id), if any. */
function userOf(req: FastifyRequest): string | undefined {
  const q = parseQuery(since(req.computeMv, QUOTA_QUERY), req.query) as QuotaQuery;
  return firstOf(q.user_id) || undefined;
}

/** os-quota-sets/{project}: show, detail, defaults, update (admins), delete (admins). */
export function quotaSetRoutes(app: FastifyInstance, compute: ComputeService): void {
  app.get<{ Params: Params }>('/os-quota-sets/:id', async (req) => {
    const set = await compute.quotaSet(req.ctx, req.params.id, userOf(req));
    return quotaSetView(req.params.id, set, req.computeMv);
  });

  app.get<{ Params: Params }>('/os-quota-sets/:id/detail', async (req) => {
    const detail = await compute.quotaDetail(req.ctx, req.params.id, userOf(req));
    return quotaSetView(req.params.id, detail, req.computeMv);
  });

  app.get<{ Params: Params }>('/os-quota-sets/:id/defaults', async (req) => {
    const set = await compute.quotaDefaults(req.ctx, req.params.id);
    return quotaSetView(req.params.id, set, req.computeMv);
  });

  app.put<{ Params: Params }>('/os-quota-sets/:id', async (req) => {
    const userId = userOf(req);
    const body = parseBody(since(req.computeMv, QUOTA_SET_UPDATE), req.body) as {
      quota_set: QuotaValues;
    };
    const values = body.quota_set;
    // nova-network's quota: accepted by the schema before 2.36, refused by the handler.
    if (Object.hasOwn(values, 'networks'))
      throw new BadRequest('The networks quota has been removed');
    // Nova reads `force` leniently (bool_from_string): a word it does not know is false.
    const force = values.force === undefined ? false : boolFromString(values.force) === true;
    const set = await compute.updateQuotaSet(
      req.ctx,
      req.params.id,
      userId,
      quotaLimits(values),
      force,
    );
    // Nova answers an update without the id.
    return quotaSetView(undefined, set, req.computeMv);
  });

  app.delete<{ Params: Params }>('/os-quota-sets/:id', async (req, reply) => {
    await compute.deleteQuotaSet(req.ctx, req.params.id, userOf(req));
    return reply.code(202).send();
  });
}
