import type { FastifyInstance } from 'fastify';
import type { NetworkService } from '../service.js';
import { badRequest } from '../errors.js';
import { fieldsOf } from './common.js';

type Params = { projectId: string };

/** `{"auto_allocated_topology": {...}}`, with `tenant_id` as Zed answers and `project_id` beside it. */
function topologyView(t: { id: string; project_id: string }): Record<string, unknown> {
  return {
    auto_allocated_topology: { id: t.id, tenant_id: t.project_id, project_id: t.project_id },
  };
}

/** /v2.0/auto-allocated-topology/{project_id} (get-me-a-network). */
export function autoTopologyRoutes(app: FastifyInstance, network: NetworkService): void {
  app.get<{ Params: Params }>('/v2.0/auto-allocated-topology/:projectId', async (req) => {
    const topology = await network.autoTopology.get(req.ctx, req.params.projectId, fieldsOf(req));
    return topologyView(topology);
  });

  app.delete<{ Params: Params }>('/v2.0/auto-allocated-topology/:projectId', async (req, reply) => {
    if (req.body !== undefined && req.body !== null) {
      throw badRequest('Request body is not supported in DELETE.');
    }
    await network.autoTopology.delete(req.ctx, req.params.projectId);
    return reply.code(204).send();
  });
}
