/** /software_deployments: create and update answer 200, delete 204; metadata by server. */
import type { FastifyInstance } from 'fastify';
import { isJsonObject } from '../../../http/input.js';
import { pyStr } from '../../../http/pyrepr.js';
import type { SoftwareDeployments } from '../software-deployments.js';
import { badRequest, single, type Query } from './params.js';

type Id = { deployment_id: string };

const text = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'string' ? v : pyStr(v);

function map(v: unknown, name: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isJsonObject(v)) throw badRequest(`The ${name} must be a map.`);
  return v;
}

export function softwareDeploymentRoutes(app: FastifyInstance, deployments: SoftwareDeployments) {
  app.post('/software_deployments', async (req) => {
    const body = req.body;
    if (!isJsonObject(body)) throw badRequest('The request body must be a JSON object.');
    const configId = text(body.config_id);
    const serverId = text(body.server_id);
    if (!configId) throw badRequest('config_id must be specified');
    if (!serverId) throw badRequest('server_id must be specified');
    const created = await deployments.create(req.ctx, {
      configId,
      serverId,
      inputValues: map(body.input_values, 'input_values') ?? {},
      action: text(body.action) ?? 'INIT',
      status: text(body.status) ?? 'COMPLETE',
      statusReason: text(body.status_reason) ?? '',
    });
    return { software_deployment: created };
  });

  app.get('/software_deployments', async (req) => ({
    software_deployments: await deployments.list(req.ctx, single(req.query as Query, 'server_id')),
  }));

  app.get<{ Params: { server_id: string } }>(
    '/software_deployments/metadata/:server_id',
    async (req) => ({ metadata: await deployments.metadata(req.ctx, req.params.server_id) }),
  );

  app.get<{ Params: Id }>('/software_deployments/:deployment_id', async (req) => ({
    software_deployment: await deployments.get(req.ctx, req.params.deployment_id),
  }));

  app.put<{ Params: Id }>('/software_deployments/:deployment_id', async (req) => {
    const body = req.body;
    if (!isJsonObject(body)) throw badRequest('The request body must be a JSON object.');
    const updated = await deployments.update(req.ctx, req.params.deployment_id, {
      configId: text(body.config_id),
      inputValues: map(body.input_values, 'input_values'),
      outputValues: map(body.output_values, 'output_values'),
      action: text(body.action),
      status: text(body.status),
      statusReason: text(body.status_reason),
    });
    return { software_deployment: updated };
  });

  app.delete<{ Params: Id }>('/software_deployments/:deployment_id', async (req, reply) => {
    await deployments.delete(req.ctx, req.params.deployment_id);
    return reply.code(204).send();
  });
}
