import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../../errors.js';
import { isJsonObject } from '../../../http/input.js';
import type { ComputeService } from '../service.js';
import { flavorAccessView } from '../views/flavor-extras.view.js';
import { AddTenantAccess, RemoveTenantAccess } from './flavor-access.schemas.js';
import { parseBody } from './parse.js';

type Params = { id: string };

/** The one 400 pocketstack has given for an action without a tenant to act on. */
const NO_TENANT = 'Invalid input for field/attribute tenant. A tenant (project id) is required.';

/** os-flavor-access (admins): the access list, and the add/remove actions on /action. */
export function flavorAccessRoutes(app: FastifyInstance, compute: ComputeService): void {
  app.get<{ Params: Params }>('/flavors/:id/os-flavor-access', async (req) =>
    flavorAccessView(req.params.id, await compute.flavorAccess(req.ctx, req.params.id)),
  );

  app.post<{ Params: Params }>('/flavors/:id/action', async (req) => {
    const body = isJsonObject(req.body) ? req.body : {};
    const add = Object.hasOwn(body, 'addTenantAccess');
    const args = add ? body.addTenantAccess : body.removeTenantAccess;
    if (!isJsonObject(args) || typeof args.tenant !== 'string' || args.tenant.length === 0)
      throw new BadRequest(NO_TENANT);
    const id = req.params.id;
    if (add) {
      const { tenant } = parseBody(AddTenantAccess, req.body).addTenantAccess;
      return flavorAccessView(id, await compute.addFlavorAccess(req.ctx, id, tenant));
    }
    const { tenant } = parseBody(RemoveTenantAccess, req.body).removeTenantAccess;
    return flavorAccessView(id, await compute.removeFlavorAccess(req.ctx, id, tenant));
  });
}
