import type { FastifyInstance } from 'fastify';
import type { Query } from '../../../http/query.js';
import type { AgentInput } from '../agents.js';
import type { NetworkService } from '../service.js';
import { agentView } from '../views/agent.view.js';
import { selectFields } from '../views/common.js';
import { parseUpdate, type AttributeMap } from './attributes.js';
import { fieldsOf, listBody } from './common.js';
import { parseListQuery } from './list-query.js';
import { boolFilter, stringOrNone, textFilter, toBoolean } from './validators.js';

const TEXT = { filter: textFilter, sort: true } as const;

/** neutron_lib agent, availability_zone and agent-resources-synced attributes of an agent. */
const AGENT_ATTRIBUTES: AttributeMap = {
  id: { ...TEXT },
  agent_type: { ...TEXT },
  binary: { ...TEXT },
  topic: { ...TEXT },
  host: { ...TEXT },
  admin_state_up: { put: true, convert: toBoolean, filter: boolFilter, sort: true },
  created_at: {},
  started_at: {},
  heartbeat_timestamp: {},
  alive: { filter: boolFilter, sort: true },
  configurations: {},
  description: { put: true, validate: stringOrNone(255), ...TEXT },
  availability_zone: { ...TEXT },
  resources_synced: {},
};

type Params = { id: string };

/** /v2.0/agents: admin-only reads and changes, as Neutron's agent policy has them. */
export function agentRoutes(
  app: FastifyInstance,
  network: NetworkService,
  baseUrl: () => string,
): void {
  app.get('/v2.0/agents', async (req) => {
    const q = parseListQuery(req.query as Query, AGENT_ATTRIBUTES);
    const page = await network.agents.list(req.ctx, q);
    return listBody(req, baseUrl(), 'agents', q, page, agentView);
  });

  app.get<{ Params: Params }>('/v2.0/agents/:id', async (req) => ({
    agent: selectFields(agentView(await network.agents.get(req.ctx, req.params.id)), fieldsOf(req)),
  }));

  app.put<{ Params: Params }>('/v2.0/agents/:id', async (req) => {
    // The agent is looked up (and hidden from members) before the body is read, as in Neutron.
    await network.agents.get(req.ctx, req.params.id);
    const fields = parseUpdate(req.ctx, 'agent', AGENT_ATTRIBUTES, req.body);
    const input: AgentInput = {
      admin_state_up: fields.admin_state_up as boolean | undefined,
      description: fields.description as string | null | undefined,
    };
    return { agent: agentView(await network.agents.update(req.ctx, req.params.id, input)) };
  });

  app.delete<{ Params: Params }>('/v2.0/agents/:id', async (req, reply) => {
    await network.agents.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
