import type { FastifyInstance } from 'fastify';
import { parse, Type } from '../../../http/schema.js';
import { boolFromString, isJsonObject } from '../../../http/input.js';
import type { VolumeService } from '../service.js';
import { validLimits } from '../quotas.js';
import { cinderViolation } from '../errors.js';
import { quotaView } from '../views/quota.view.js';
import { QueryValue } from './list-query.js';

type Params = { target: string };

const ShowQuery = Type.Object({ usage: Type.Optional(QueryValue) });

/** /v3/{project_id}/os-quota-sets/{project}[/defaults]. */
export function quotaSetRoutes(app: FastifyInstance, service: VolumeService): void {
  app.get<{ Params: Params }>('/os-quota-sets/:target', async (req) => {
    const { usage } = parse(ShowQuery, req.query, cinderViolation);
    const wanted = boolFromString(Array.isArray(usage) ? usage[0] : usage) === true;
    const set = await service.showQuotas(req.ctx, req.params.target, wanted);
    return { quota_set: quotaView(req.params.target, set.limits, set.usage) };
  });

  app.get<{ Params: Params }>('/os-quota-sets/:target/defaults', async (req) => ({
    quota_set: quotaView(req.params.target, await service.quotaDefaults()),
  }));

  app.put<{ Params: Params }>('/os-quota-sets/:target', async (req) => {
    const inner = isJsonObject(req.body) ? req.body.quota_set : undefined;
    const limits = validLimits(isJsonObject(inner) ? inner : {});
    const set = await service.updateQuotas(req.ctx, req.params.target, limits);
    return { quota_set: quotaView(undefined, set) };
  });

  app.delete<{ Params: Params }>('/os-quota-sets/:target', async (req, reply) => {
    await service.resetQuotas(req.ctx, req.params.target);
    return reply.code(200).send();
  });
}
