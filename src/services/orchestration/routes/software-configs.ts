/**
 * /software_configs. The domain class (software-configs.ts, SoftwareConfigs with
 * create/get/list/delete(ctx, ...)) is written elsewhere: these routes are written against that
 * interface and are not registered until it lands.
 */
import type { FastifyInstance } from 'fastify';
import type { RequestContext } from '../../../context.js';
import { isJsonObject } from '../../../http/input.js';
import { heatTime } from '../views/stack.view.js';
import { badRequest, intParam, single, type Query } from './params.js';

export interface SoftwareConfig {
  id: string;
  projectId: string;
  name: string | null;
  group: string;
  config: { config: unknown; inputs: unknown[]; outputs: unknown[]; options: unknown };
  createdAt: string;
}

export interface SoftwareConfigsApi {
  create(ctx: RequestContext, body: Record<string, unknown>): Promise<SoftwareConfig>;
  get(ctx: RequestContext, id: string): Promise<SoftwareConfig>;
  list(
    ctx: RequestContext,
    opts: { limit: number | null; marker: string | null },
  ): Promise<SoftwareConfig[]>;
  delete(ctx: RequestContext, id: string): Promise<void>;
}

function view(sc: SoftwareConfig, detail: boolean) {
  return {
    id: sc.id,
    name: sc.name,
    group: sc.group,
    creation_time: heatTime(sc.createdAt),
    ...(detail
      ? {
          config: sc.config.config,
          inputs: sc.config.inputs,
          outputs: sc.config.outputs,
          options: sc.config.options,
        }
      : {}),
  };
}

export function softwareConfigRoutes(app: FastifyInstance, configs: SoftwareConfigsApi): void {
  app.post('/software_configs', async (req) => {
    if (!isJsonObject(req.body)) throw badRequest('The request body must be a JSON object.');
    return { software_config: view(await configs.create(req.ctx, req.body), true) };
  });
  app.get('/software_configs', async (req) => {
    const q = req.query as Query;
    const list = await configs.list(req.ctx, {
      limit: intParam('limit', single(q, 'limit')),
      marker: single(q, 'marker'),
    });
    return { software_configs: list.map((sc) => view(sc, false)) };
  });
  app.get<{ Params: { id: string } }>('/software_configs/:id', async (req) => ({
    software_config: view(await configs.get(req.ctx, req.params.id), true),
  }));
  app.delete<{ Params: { id: string } }>('/software_configs/:id', async (req, reply) => {
    await configs.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
