import type { Agent } from '../agents.js';

/** An agent as Neutron shows it: no tenant, no links. */
export function agentView(a: Agent): Record<string, unknown> {
  return {
    id: a.id,
    agent_type: a.agent_type,
    binary: a.binary,
    topic: a.topic,
    host: a.host,
    admin_state_up: a.admin_state_up,
    alive: a.alive,
    availability_zone: a.availability_zone,
    description: a.description,
    created_at: a.created_at,
    started_at: a.started_at,
    heartbeat_timestamp: a.heartbeat_timestamp,
    configurations: a.configurations,
    resources_synced: a.resources_synced,
  };
}
