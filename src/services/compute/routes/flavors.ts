import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, Forbidden, NotFound } from '../../../errors.js';
import { first, type Query } from '../../../http/query.js';
import { versionBelow } from '../../../http/microversion.js';
import type { Flavors } from '../flavors.js';
import { flavorSummaryView, flavorView } from '../views/flavor.view.js';

type Params = { id: string; key: string };

function adminOnly(req: FastifyRequest, action: string): void {
  if (!req.ctx.isAdmin)
    throw new Forbidden(`Policy doesn't allow os_compute_api:${action} to be performed.`);
}

function body(req: FastifyRequest, key: string): Record<string, unknown> {
  const value = (req.body as Record<string, unknown> | undefined)?.[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequest(
      `Invalid input for field/attribute ${key}. Value: ${JSON.stringify(value ?? null)}. '${key}' is a required property`,
    );
  }
  return value as Record<string, unknown>;
}

/** Flavors, their extra specs (os-extra_specs) and access lists (os-flavor-access). */
export function flavorRoutes(app: FastifyInstance, flavors: Flavors, baseUrl: () => string): void {
  const list = (detail: boolean) => async (req: FastifyRequest) => {
    const q = req.query as Query;
    const found = await flavors.list(req.ctx, {
      isPublic: first(q, 'is_public'),
      minRam: first(q, 'minRam'),
      minDisk: first(q, 'minDisk'),
      sortKey: first(q, 'sort_key'),
      sortDir: first(q, 'sort_dir'),
      limit: first(q, 'limit'),
      marker: first(q, 'marker'),
    });
    const view = detail ? flavorView : flavorSummaryView;
    return { flavors: found.map((f) => view(f, req.computeMv, baseUrl())) };
  };
  app.get('/flavors', list(false));
  app.get('/flavors/detail', list(true));

  app.get<{ Params: Params }>('/flavors/:id', async (req) => ({
    flavor: flavorView(await flavors.get(req.ctx, req.params.id), req.computeMv, baseUrl()),
  }));

  app.post('/flavors', async (req) => {
    adminOnly(req, 'os-flavor-manage:create');
    const created = await flavors.create(
      body(req, 'flavor'),
      !versionBelow(req.computeMv, [2, 55]),
    );
    return { flavor: flavorView(created, req.computeMv, baseUrl()) };
  });

  app.put<{ Params: Params }>('/flavors/:id', async (req) => {
    // Updating a flavor (its description) came with 2.55; before that the method does not exist.
    if (versionBelow(req.computeMv, [2, 55]))
      throw new NotFound('The resource could not be found.');
    adminOnly(req, 'os-flavor-manage:update');
    const update = body(req, 'flavor');
    if (!('description' in update) || Object.keys(update).length !== 1) {
      throw new BadRequest(
        `Invalid input for field/attribute flavor. Value: ${JSON.stringify(update)}. 'description' is a required property`,
      );
    }
    await flavors.updateDescription(req.params.id, update.description);
    return {
      flavor: flavorView(await flavors.get(req.ctx, req.params.id), req.computeMv, baseUrl()),
    };
  });

  app.delete<{ Params: Params }>('/flavors/:id', async (req, reply) => {
    adminOnly(req, 'os-flavor-manage:delete');
    await flavors.remove(req.params.id);
    return reply.code(202).send();
  });

  app.get<{ Params: Params }>('/flavors/:id/os-extra_specs', async (req) => {
    await flavors.get(req.ctx, req.params.id);
    return { extra_specs: await flavors.extraSpecs(req.params.id) };
  });

  app.post<{ Params: Params }>('/flavors/:id/os-extra_specs', async (req) => {
    adminOnly(req, 'os-flavor-extra-specs:create');
    return {
      extra_specs: await flavors.setExtraSpecs(
        req.params.id,
        (req.body as Record<string, unknown> | undefined)?.extra_specs,
      ),
    };
  });

  app.get<{ Params: Params }>('/flavors/:id/os-extra_specs/:key', async (req) => {
    await flavors.get(req.ctx, req.params.id);
    const specs = await flavors.extraSpecs(req.params.id);
    if (!(req.params.key in specs))
      throw new NotFound(`Flavor ${req.params.id} has no extra specs with key ${req.params.key}.`);
    return { [req.params.key]: specs[req.params.key] };
  });

  app.put<{ Params: Params }>('/flavors/:id/os-extra_specs/:key', async (req) => {
    adminOnly(req, 'os-flavor-extra-specs:update');
    const given = req.body as Record<string, unknown> | undefined;
    if (
      typeof given !== 'object' ||
      given === null ||
      Object.keys(given).length !== 1 ||
      !(req.params.key in given)
    ) {
      throw new BadRequest('Request body and URI mismatch');
    }
    return await flavors.setExtraSpecs(req.params.id, given);
  });

  app.delete<{ Params: Params }>('/flavors/:id/os-extra_specs/:key', async (req, reply) => {
    adminOnly(req, 'os-flavor-extra-specs:delete');
    await flavors.unsetExtraSpec(req.params.id, req.params.key);
    return reply.code(200).send();
  });

  const accessView = async (id: string) => ({
    flavor_access: (await flavors.access(id)).map((tenant) => ({
      flavor_id: id,
      tenant_id: tenant,
    })),
  });

  app.get<{ Params: Params }>('/flavors/:id/os-flavor-access', async (req) => {
    adminOnly(req, 'os-flavor-access');
    return accessView(req.params.id);
  });

  app.post<{ Params: Params }>('/flavors/:id/action', async (req) => {
    const action = req.body as Record<string, unknown> | undefined;
    const add = action?.addTenantAccess;
    const remove = action?.removeTenantAccess;
    const args = (add ?? remove) as Record<string, unknown> | undefined;
    if (
      typeof args !== 'object' ||
      args === null ||
      typeof args.tenant !== 'string' ||
      args.tenant.length === 0
    ) {
      throw new BadRequest(
        'Invalid input for field/attribute tenant. A tenant (project id) is required.',
      );
    }
    adminOnly(
      req,
      add ? 'os-flavor-access:add_tenant_access' : 'os-flavor-access:remove_tenant_access',
    );
    if (add) await flavors.addAccess(req.params.id, args.tenant);
    else await flavors.removeAccess(req.params.id, args.tenant);
    return accessView(req.params.id);
  });
}
