/** /software_configs: create (200, not 201), list, show, delete (204). */
import type { FastifyInstance } from 'fastify';
import { isJsonObject } from '../../../http/input.js';
import { pyStr } from '../../../http/pyrepr.js';
import type { SoftwareConfigs } from '../software-configs.js';
import { badRequest, intParam, single, type Query } from './params.js';

/** A text field as Heat's column keeps it: a string, or None. */
function text(v: unknown): string | null {
  return v === undefined || v === null ? null : typeof v === 'string' ? v : pyStr(v);
}

export function softwareConfigRoutes(app: FastifyInstance, configs: SoftwareConfigs): void {
  app.post('/software_configs', async (req) => {
    const body = req.body;
    if (!isJsonObject(body)) throw badRequest('The request body must be a JSON object.');
    const created = await configs.create(req.ctx, {
      name: text(body.name),
      group: text(body.group),
      config: body.config ?? null,
      inputs: body.inputs,
      outputs: body.outputs,
      options: body.options,
    });
    return { software_config: created };
  });

  app.get('/software_configs', async (req) => {
    const q = req.query as Query;
    const limit = intParam('limit', single(q, 'limit'));
    const marker = single(q, 'marker');
    const list = await configs.list(req.ctx, {
      ...(limit !== null ? { limit } : {}),
      ...(marker !== null ? { marker } : {}),
    });
    return { software_configs: list };
  });

  app.get<{ Params: { config_id: string } }>('/software_configs/:config_id', async (req) => ({
    software_config: await configs.get(req.ctx, req.params.config_id),
  }));

  app.delete<{ Params: { config_id: string } }>(
    '/software_configs/:config_id',
    async (req, reply) => {
      await configs.delete(req.ctx, req.params.config_id);
      return reply.code(204).send();
    },
  );
}
