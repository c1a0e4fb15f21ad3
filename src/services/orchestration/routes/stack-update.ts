import type { FastifyInstance } from 'fastify';
import { isJsonObject } from '../../../http/input.js';
import { HeatFault } from '../errors.js';
import type { OrchestrationService, StackUpdateInput } from '../service.js';
import { parseTemplateText } from '../template/index.js';

type Identified = { tenant_id: string; stack_name: string; stack_id: string };

/** PUT and PATCH /stacks/{name}/{id}: 202, with the stack already UPDATE_IN_PROGRESS. */
export function stackUpdateRoutes(app: FastifyInstance, heat: OrchestrationService): void {
  for (const method of ['PUT', 'PATCH'] as const) {
    app.route<{ Params: Identified }>({
      method,
      url: '/stacks/:stack_name/:stack_id',
      handler: async (req, reply) => {
        const stack = await heat.getStack(req.ctx, req.params.stack_name, req.params.stack_id);
        await heat.updateStack(req.ctx, stack, updateInput(req.body, method === 'PATCH'));
        return reply.code(202).send();
      },
    });
  }
}

export function updateInput(body: unknown, patch: boolean): StackUpdateInput {
  if (!isJsonObject(body)) {
    throw new HeatFault('HTTPBadRequest', 'The request body must be a JSON object.', 400);
  }
  const map = (key: string): Record<string, unknown> | undefined => {
    let v = body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') v = parseTemplateText(v);
    if (!isJsonObject(v)) throw new HeatFault('HTTPBadRequest', `The ${key} must be a map.`, 400);
    return v;
  };
  const clear = body.clear_parameters;
  const timeout = body.timeout_mins;
  const tags = body.tags;
  const rollback = body.disable_rollback;
  return {
    existing: patch || body.existing === true,
    template: map('template'),
    environment: map('environment'),
    files: map('files') as Record<string, string> | undefined,
    parameters: map('parameters'),
    clearParameters: Array.isArray(clear) ? clear.filter((c) => typeof c === 'string') : [],
    disableRollback:
      rollback === undefined || rollback === null
        ? undefined
        : rollback === true || rollback === 'true' || rollback === 'True',
    timeoutMins: typeof timeout === 'number' && Number.isInteger(timeout) ? timeout : undefined,
    // service.py _prepare_stack_updates: a PATCH keeps the stack's tags unless given; a PUT
    // clones the stack without them, so its tags are the body's or none.
    tags:
      typeof tags === 'string'
        ? tags.split(',')
        : Array.isArray(tags)
          ? tags.filter((t) => typeof t === 'string')
          : patch || body.existing === true
            ? undefined
            : null,
  };
}
