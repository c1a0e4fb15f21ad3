import type { FastifyInstance } from 'fastify';
import { isJsonObject } from '../../../http/input.js';
import { pyStr } from '../../../http/pyrepr.js';
import { HeatFault } from '../errors.js';
import type { OrchestrationService, StackActionName } from '../service.js';

type Identified = { tenant_id: string; stack_name: string; stack_id: string };

const ACTIONS: ReadonlySet<string> = new Set<StackActionName>([
  'suspend',
  'resume',
  'check',
  'cancel_update',
  'cancel_without_rollback',
]);

/** POST /stacks/{name}/{id}/actions with exactly one action key: 200 with a `null` body. */
export function stackActionRoutes(app: FastifyInstance, heat: OrchestrationService): void {
  app.post<{ Params: Identified }>('/stacks/:stack_name/:stack_id/actions', async (req, reply) => {
    const body = req.body;
    const keys = isJsonObject(body) ? Object.keys(body) : [];
    if (keys.length === 0) throw new HeatFault('HTTPBadRequest', 'No action specified', 400);
    if (keys.length > 1) throw new HeatFault('HTTPBadRequest', 'Multiple actions specified', 400);
    const action = keys[0]!;
    if (!ACTIONS.has(action)) {
      throw new HeatFault('HTTPBadRequest', `Invalid action ${pyStr(action)} specified`, 400);
    }
    const stack = await heat.getStack(req.ctx, req.params.stack_name, req.params.stack_id);
    await heat.stackAction(req.ctx, stack, action as StackActionName);
    return reply.code(200).type('application/json').send('null');
  });
}
