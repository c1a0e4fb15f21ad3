import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isJsonObject } from '../../../http/input.js';
import { HeatFault } from '../errors.js';
import type { OrchestrationService, StackCreateInput } from '../service.js';
import { parseTemplateText } from '../template/index.js';
import { stackLinks, stackSummaryView, stackView } from '../views/stack.view.js';

type Tenant = { tenant_id: string };
type Named = Tenant & { stack_name: string };
type Identified = Named & { stack_id: string };

/** /v1/{tenant}/stacks: create, list, look up, show, delete. */
export function stackRoutes(
  app: FastifyInstance,
  heat: OrchestrationService,
  baseUrl: () => string,
): void {
  app.post('/stacks', async (req, reply) => {
    const stack = await heat.createStack(req.ctx, createInput(req.body));
    const links = stackLinks(baseUrl(), stack);
    return reply
      .code(201)
      .header('location', links[0]!.href)
      .send({ stack: { id: stack.id, links } });
  });

  app.get('/stacks', async (req) => {
    const stacks = await heat.listStacks(req.ctx);
    return { stacks: stacks.map((s) => stackSummaryView(baseUrl(), s)) };
  });

  // Name only: Heat answers 302 to the stack's canonical URL, whatever follows the name.
  const lookup = async (
    req: FastifyRequest,
    reply: { redirect: (url: string, code: number) => unknown },
  ) => {
    const { stack_name: name, '*': rest } = req.params as Named & { '*'?: string };
    const stack = await heat.findStack(req.ctx, name);
    const suffix = rest ? `/${rest}` : '';
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    return reply.redirect(`${stackLinks(baseUrl(), stack)[0]!.href}${suffix}${query}`, 302);
  };
  app.get<{ Params: Named }>('/stacks/:stack_name', lookup);
  app.delete<{ Params: Named }>('/stacks/:stack_name', lookup);

  app.get<{ Params: Identified }>('/stacks/:stack_name/:stack_id', async (req) => {
    const stack = await heat.getStack(req.ctx, req.params.stack_name, req.params.stack_id);
    const shown = await heat.showStack(req.ctx, stack);
    return { stack: stackView(baseUrl(), shown.stack, shown.parameters, shown.outputs) };
  });

  app.delete<{ Params: Identified }>('/stacks/:stack_name/:stack_id', async (req, reply) => {
    const stack = await heat.getStack(req.ctx, req.params.stack_name, req.params.stack_id);
    await heat.deleteStack(req.ctx, stack);
    return reply.code(204).send();
  });
}

/** InstantiationData (heat/api/openstack/v1/stacks.py): the create body read as Heat reads it. */
function createInput(body: unknown): StackCreateInput {
  if (!isJsonObject(body))
    throw new HeatFault('HTTPBadRequest', 'The request body must be a JSON object.', 400);
  const name = body.stack_name;
  if (typeof name !== 'string' || name === '') {
    throw new HeatFault('HTTPBadRequest', 'No stack name specified', 400);
  }
  let template = body.template;
  if (typeof template === 'string') template = parseTemplateText(template);
  if (template === undefined || template === null) {
    if (body.template_url !== undefined) {
      throw new HeatFault(
        'HTTPBadRequest',
        'Could not retrieve template: template_url is not supported',
        400,
      );
    }
    throw new HeatFault('HTTPBadRequest', 'No template specified', 400);
  }
  if (!isJsonObject(template))
    throw new HeatFault(
      'HTTPBadRequest',
      'The template is not a JSON object or YAML mapping.',
      400,
    );
  let environment: unknown = body.environment ?? {};
  if (typeof environment === 'string') environment = parseTemplateText(environment);
  if (!isJsonObject(environment))
    throw new HeatFault(
      'HTTPBadRequest',
      'The environment is not a valid YAML mapping data type.',
      400,
    );
  const files = body.files ?? {};
  if (!isJsonObject(files) || Object.values(files).some((v) => typeof v !== 'string')) {
    throw new HeatFault('HTTPBadRequest', 'The files must be a map of names to contents.', 400);
  }
  const parameters = body.parameters ?? {};
  if (!isJsonObject(parameters))
    throw new HeatFault('HTTPBadRequest', 'The parameters must be a map.', 400);
  const timeout = body.timeout_mins;
  const tags = body.tags;
  return {
    name,
    template,
    environment,
    files: files as Record<string, string>,
    parameters,
    disableRollback:
      body.disable_rollback === true ||
      body.disable_rollback === 'true' ||
      body.disable_rollback === 'True',
    timeoutMins:
      typeof timeout === 'number'
        ? timeout
        : typeof timeout === 'string' && /^\d+$/.test(timeout)
          ? Number(timeout)
          : null,
    tags:
      typeof tags === 'string' ? tags.split(',') : Array.isArray(tags) ? tags.map(String) : null,
  };
}
