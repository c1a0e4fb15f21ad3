import type { FastifyInstance } from 'fastify';
import type { OrchestrationService } from '../service.js';
import { createInput } from './create-body.js';
import { updateInput } from './stack-update.js';
import { heatTime } from '../views/stack.view.js';

type Identified = { tenant_id: string; stack_name: string; stack_id: string };

/**
 * POST /stacks/preview (`stack create --dry-run`), PUT|PATCH .../preview (`stack update
 * --dry-run`) and DELETE .../abandon (`stack abandon`).
 */
export function stackPreviewRoutes(app: FastifyInstance, heat: OrchestrationService): void {
  app.post('/stacks/preview', async (req) => {
    const { stack, parameters, resources } = await heat.previewStack(
      req.ctx,
      createInput(req.body),
    );
    const description = stack.template.description;
    const text = typeof description === 'string' ? description : 'No description';
    return {
      stack: {
        id: 'None',
        stack_name: stack.name,
        description: text,
        template_description: text,
        parameters,
        parent: null,
        disable_rollback: stack.disableRollback,
        timeout_mins: stack.timeoutMins,
        capabilities: [],
        notification_topics: [],
        stack_owner: null,
        stack_user_project_id: stack.projectId,
        tags: stack.tags,
        creation_time: heatTime(null),
        updated_time: null,
        deletion_time: null,
        links: [],
        resources,
      },
    };
  });

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route<{ Params: Identified }>({
      method,
      url: '/stacks/:stack_name/:stack_id/preview',
      handler: async (req) => {
        const stack = await heat.getStack(req.ctx, req.params.stack_name, req.params.stack_id);
        const changes = await heat.previewUpdate(
          req.ctx,
          stack,
          updateInput(req.body, method === 'PATCH'),
        );
        return { resource_changes: changes };
      },
    });
  }

  app.delete<{ Params: Identified }>('/stacks/:stack_name/:stack_id/abandon', async (req) => {
    const stack = await heat.getStack(req.ctx, req.params.stack_name, req.params.stack_id);
    return heat.abandonStack(req.ctx, stack);
  });
}
