import type { FastifyInstance } from 'fastify';
import type { OrchestrationService } from '../service.js';
import { outputView } from '../views/stack.view.js';
import type { Identified } from './stacks.js';

/** GET .../outputs (keys and descriptions) and .../outputs/{key} (resolved). */
export function outputRoutes(app: FastifyInstance, heat: OrchestrationService): void {
  const at = '/stacks/:stack_name/:stack_id/outputs';
  app.get<{ Params: Identified }>(at, async (req) => {
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id);
    const outputs = await heat.outputKeys(req.ctx, stack);
    return {
      outputs: outputs.map((o) => ({
        output_key: o.key,
        description: o.description ?? 'No description given',
      })),
    };
  });

  app.get<{ Params: Identified & { output_key: string } }>(`${at}/:output_key`, async (req) => {
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id);
    const output = await heat.output(req.ctx, stack, req.params.output_key);
    return { output: outputView(output) };
  });
}
