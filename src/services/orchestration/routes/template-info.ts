import type { FastifyInstance } from 'fastify';
import type { OrchestrationService } from '../service.js';
import { parseEnvironment } from '../template/index.js';
import type { Identified } from './stacks.js';

/** GET .../template, .../environment, .../files: what the stack was made from. */
export function templateInfoRoutes(app: FastifyInstance, heat: OrchestrationService): void {
  const at = '/stacks/:stack_name/:stack_id';
  app.get<{ Params: Identified }>(`${at}/template`, async (req) => {
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id);
    return stack.template;
  });

  app.get<{ Params: Identified }>(`${at}/environment`, async (req) => {
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id);
    return environmentShown(stack.environment, hiddenParameters(stack.template));
  });

  app.get<{ Params: Identified }>(`${at}/files`, async (req) => {
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id);
    return stack.files;
  });
}

/** env_as_dict with hidden parameters' values masked as Heat masks them. */
function environmentShown(raw: Record<string, unknown>, hidden: Set<string>) {
  const env = parseEnvironment(raw);
  const mask = (section: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(section)) {
      Object.defineProperty(out, k, {
        value: hidden.has(k) ? '******' : v,
        enumerable: true,
        writable: true,
      });
    }
    return out;
  };
  return {
    parameters: mask(env.parameters),
    resource_registry: { resources: {}, ...env.resource_registry },
    parameter_defaults: mask(env.parameter_defaults),
    event_sinks: env.event_sinks,
    encrypted_param_names: env.encrypted_param_names,
  };
}

function hiddenParameters(template: Record<string, unknown>): Set<string> {
  const section = template.parameters ?? template.Parameters;
  const out = new Set<string>();
  if (typeof section !== 'object' || section === null || Array.isArray(section)) return out;
  for (const [k, v] of Object.entries(section)) {
    if (typeof v !== 'object' || v === null) continue;
    const d = v as Record<string, unknown>;
    if (d.hidden === true || d.NoEcho === true || d.NoEcho === 'true') out.add(k);
  }
  return out;
}
