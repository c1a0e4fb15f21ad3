import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../../errors.js';
import type { ComputeService } from '../service.js';
import { POWER_ACTION_HANDLERS } from './actions/power.js';
import { SNAPSHOT_ACTION_HANDLERS } from './actions/snapshot.js';
import { DEFERRED_DELETE_ACTION_HANDLERS } from './actions/deferred-delete.js';
import { SECURITY_GROUP_ACTION_HANDLERS } from './actions/security-groups.js';
import type { ActionHandler } from './actions/types.js';
import { LIFECYCLE_ACTION_HANDLERS } from './actions/lifecycle.js';

type Params = { id: string };

/** Every server action by the key that names it; one file per family under actions/. */
const ACTIONS = new Map<string, ActionHandler>([
  ...POWER_ACTION_HANDLERS,
  ...SNAPSHOT_ACTION_HANDLERS,
  ...DEFERRED_DELETE_ACTION_HANDLERS,
  ...SECURITY_GROUP_ACTION_HANDLERS,
  ...LIFECYCLE_ACTION_HANDLERS,
]);

/** POST /servers/{id}/action: one key names the action, its value is the action's body. */
export function serverActionRoutes(
  app: FastifyInstance,
  compute: ComputeService,
  imageBase: () => string,
): void {
  app.post<{ Params: Params }>('/servers/:id/action', async (req, reply) => {
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new BadRequest('Malformed request body');
    const keys = Object.keys(body);
    if (keys.length !== 1) throw new BadRequest('Malformed request body');
    const handler = ACTIONS.get(keys[0]!);
    if (!handler) throw new BadRequest(`There is no such action: ${keys[0]!}`);
    // Nova looks the server up first: an unknown server is a 404 whatever the body says.
    await compute.servers.row(req.ctx, req.params.id);
    const images = imageBase();
    const base = images.endsWith('/image') ? images.slice(0, -'/image'.length) : images;
    return handler({ req, reply, compute, id: req.params.id, body, imageBase: images, base });
  });
}
