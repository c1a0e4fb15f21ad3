import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, Forbidden, NotFound } from '../../../errors.js';
import { first, type Query } from '../../../http/query.js';
import type { IdentityService } from '../../identity/service.js';
import {
  parseLimits,
  quotaClassResources,
  quotaSetResources,
  type ComputeQuotas,
  type QuotaResource,
} from '../quotas.js';

type Params = { id: string };

function pick<T>(values: Record<QuotaResource, T>, resources: QuotaResource[]): Record<string, T> {
  return Object.fromEntries(resources.map((r) => [r, values[r]]));
}

function denied(action: string): Forbidden {
  return new Forbidden(`Policy doesn't allow os_compute_api:${action} to be performed.`);
}

/** os-quota-sets and os-quota-class-sets, with Nova's policies: admins for anything but their own project. */
export function quotaSetRoutes(
  app: FastifyInstance,
  quotas: ComputeQuotas,
  identity: IdentityService,
): void {
  // Nova asks Keystone whether the project exists before it reads or writes quotas for it.
  async function project(req: FastifyRequest<{ Params: Params }>, action: string): Promise<string> {
    const id = req.params.id;
    if (!req.ctx.isAdmin && id !== req.ctx.projectId) throw denied(`os-quota-sets:${action}`);
    try {
      await identity.directory.getProject(id);
    } catch (err) {
      if (err instanceof NotFound) throw new BadRequest(`Project ID ${id} is not a valid project.`);
      throw err;
    }
    return id;
  }
  const userOf = (req: FastifyRequest): string | undefined =>
    first(req.query as Query, 'user_id') || undefined;

  app.get<{ Params: Params }>('/os-quota-sets/:id', async (req) => {
    const id = await project(req, 'show');
    const limits = await quotas.limits(id, userOf(req));
    return { quota_set: { id, ...pick(limits, quotaSetResources(req.computeMv)) } };
  });

  app.get<{ Params: Params }>('/os-quota-sets/:id/detail', async (req) => {
    const id = await project(req, 'detail');
    const detail = await quotas.detail(id, userOf(req));
    return { quota_set: { id, ...pick(detail, quotaSetResources(req.computeMv)) } };
  });

  app.get<{ Params: Params }>('/os-quota-sets/:id/defaults', async (req) => {
    const id = await project(req, 'defaults');
    return {
      quota_set: {
        id,
        ...pick(await quotas.classSet('default'), quotaSetResources(req.computeMv)),
      },
    };
  });

  app.put<{ Params: Params }>('/os-quota-sets/:id', async (req) => {
    if (!req.ctx.isAdmin) throw denied('os-quota-sets:update');
    const id = await project(req, 'update');
    const resources = quotaSetResources(req.computeMv);
    const { limits, force } = parseLimits(req.body, 'quota_set', resources, true);
    await quotas.update(id, userOf(req), limits, force);
    // Nova answers an update without the id.
    return { quota_set: pick(await quotas.limits(id, userOf(req)), resources) };
  });

  app.delete<{ Params: Params }>('/os-quota-sets/:id', async (req, reply) => {
    if (!req.ctx.isAdmin) throw denied('os-quota-sets:delete');
    await quotas.reset(await project(req, 'delete'), userOf(req));
    return reply.code(202).send();
  });

  app.get<{ Params: Params }>('/os-quota-class-sets/:id', async (req) => {
    if (!req.ctx.isAdmin) throw denied('os-quota-class-sets:show');
    const set = await quotas.classSet(req.params.id);
    return {
      quota_class_set: { id: req.params.id, ...pick(set, quotaClassResources(req.computeMv)) },
    };
  });

  app.put<{ Params: Params }>('/os-quota-class-sets/:id', async (req) => {
    if (!req.ctx.isAdmin) throw denied('os-quota-class-sets:update');
    const resources = quotaClassResources(req.computeMv);
    const { limits } = parseLimits(req.body, 'quota_class_set', resources, false);
    await quotas.updateClass(req.params.id, limits);
    return { quota_class_set: pick(await quotas.classSet(req.params.id), resources) };
  });
}
