import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import { NeutronFault } from './errors.js';
import { NO_QUERY, type ListQuery, type Page } from './listing.js';
import { pageInMemory } from './memory-list.js';

/** An agent as Neutron's agent API shows it (times as `YYYY-MM-DD HH:MM:SS`, UTC). */
export interface Agent extends Record<string, unknown> {
  id: string;
  agent_type: string;
  binary: string;
  topic: string;
  host: string;
  admin_state_up: boolean;
  alive: boolean;
  availability_zone: string | null;
  description: string | null;
  created_at: string;
  started_at: string;
  heartbeat_timestamp: string;
  configurations: Record<string, unknown>;
  resources_synced: boolean | null;
}

export interface AgentInput {
  admin_state_up?: boolean;
  description?: string | null;
}

type Counts = Record<string, number>;

/** The agents of a one-node DevStack with ML2/OVS (lib/neutron-legacy's q-agt, q-dhcp, q-l3, q-meta). */
const KINDS = [
  {
    agent_type: 'Open vSwitch agent',
    binary: 'neutron-openvswitch-agent',
    topic: 'N/A',
    availability_zone: null,
    configurations: (c: Counts) => ({
      arp_responder_enabled: false,
      bridge_mappings: { public: 'br-ex' },
      datapath_type: 'system',
      devices: c.devices,
      enable_distributed_routing: false,
      extensions: [],
      in_distributed_mode: false,
      integration_bridge: 'br-int',
      l2_population: false,
      log_agent_heartbeats: false,
      ovs_hybrid_plug: false,
      tunnel_types: ['vxlan'],
      tunneling_ip: '127.0.0.1',
    }),
  },
  {
    agent_type: 'DHCP agent',
    binary: 'neutron-dhcp-agent',
    topic: 'dhcp_agent',
    availability_zone: 'nova',
    configurations: (c: Counts) => ({
      dhcp_driver: 'neutron.agent.linux.dhcp.Dnsmasq',
      dhcp_lease_duration: 86400,
      log_agent_heartbeats: false,
      networks: c.dhcpNetworks,
      ports: c.dhcpPorts,
      subnets: c.dhcpSubnets,
    }),
  },
  {
    agent_type: 'L3 agent',
    binary: 'neutron-l3-agent',
    topic: 'l3_agent',
    availability_zone: 'nova',
    configurations: (c: Counts) => ({
      agent_mode: 'legacy',
      ex_gw_ports: c.gateways,
      extensions: [],
      floating_ips: c.floatingIps,
      handle_internal_only_routers: true,
      interface_driver: 'openvswitch',
      interfaces: c.interfaces,
      log_agent_heartbeats: false,
      routers: c.routers,
    }),
  },
  {
    agent_type: 'Metadata agent',
    binary: 'neutron-metadata-agent',
    topic: 'N/A',
    availability_zone: null,
    configurations: () => ({
      log_agent_heartbeats: false,
      metadata_proxy_socket: '/opt/stack/data/neutron/metadata_proxy',
      nova_metadata_host: '127.0.0.1',
      nova_metadata_port: 8775,
    }),
  },
] as const;

/** DevStack's report_interval: a live agent's heartbeat is never older than this. */
const REPORT_INTERVAL_MS = 30_000;

/** A name-based UUID (version 5 layout) of host and binary: the same agent id at every start. */
export function agentId(host: string, binary: string): string {
  const h = createHash('sha1').update(`${host}\0${binary}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function agentTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function agentNotFound(id: string): NeutronFault {
  return new NeutronFault(404, 'AgentNotFound', `Agent ${id} could not be found.`);
}

/**
 * The network agents, as a one-node DevStack reports them: always alive, heartbeats fresh.
 * Nothing runs behind them (pocketstack moves no packets); they exist for clients that list
 * agents or read availability zones from them. Their rows are made at start, not stored: an
 * admin's changes (admin_state_up, description, delete) last until the next start, when the
 * agents report in again as a live DevStack agent would after a delete.
 */
export class Agents {
  private readonly startedAt: number;
  private readonly changes = new Map<string, AgentInput>();
  private readonly deleted = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly host: string,
    startedAt = Date.now(),
  ) {
    this.startedAt = Math.floor(startedAt / 1000) * 1000;
  }

  private async counts(): Promise<Counts> {
    const n = async (query: RawBuilder<unknown>): Promise<number> =>
      Number(((await query.execute(this.db)).rows[0] as { n?: number } | undefined)?.n ?? 0);
    const dhcpNets = sql`select distinct network_id from subnets where enable_dhcp = 1`;
    return {
      devices: await n(sql`select count(*) as n from ports where binding_host_id = ${this.host}`),
      dhcpNetworks: await n(sql`select count(*) as n from (${dhcpNets})`),
      dhcpSubnets: await n(sql`select count(*) as n from subnets where enable_dhcp = 1`),
      dhcpPorts: await n(sql`select count(*) as n from ports where network_id in (${dhcpNets})`),
      routers: await n(sql`select count(*) as n from routers`),
      gateways: await n(sql`select count(*) as n from routers where gw_port_id is not null`),
      interfaces: await n(
        sql`select count(*) as n from ports where device_owner = 'network:router_interface'`,
      ),
      floatingIps: await n(
        sql`select count(*) as n from floatingips where fixed_port_id is not null`,
      ),
    };
  }

  private async all(): Promise<Agent[]> {
    const counts = await this.counts();
    const now = Date.now();
    const heartbeat = now - ((now - this.startedAt) % REPORT_INTERVAL_MS);
    return KINDS.map((k) => {
      const id = agentId(this.host, k.binary);
      const changed = this.changes.get(id) ?? {};
      return {
        id,
        agent_type: k.agent_type,
        binary: k.binary,
        topic: k.topic,
        host: this.host,
        admin_state_up: changed.admin_state_up ?? true,
        alive: true,
        availability_zone: k.availability_zone,
        description: changed.description === undefined ? null : changed.description,
        created_at: agentTime(this.startedAt),
        started_at: agentTime(this.startedAt),
        heartbeat_timestamp: agentTime(heartbeat),
        configurations: k.configurations(counts),
        resources_synced: null,
      };
    }).filter((a) => !this.deleted.has(a.id));
  }

  /** An admin sees every agent; for anyone else the list is empty (get_agent is admin-only). */
  async list(ctx: RequestContext, query: ListQuery = NO_QUERY): Promise<Page<Agent>> {
    if (!ctx.isAdmin) return { rows: [] };
    return pageInMemory(await this.all(), query, agentNotFound);
  }

  /** A member asking for a real agent is told it is not there, as Neutron's policy hides it. */
  async get(ctx: RequestContext, id: string): Promise<Agent> {
    const found = (await this.all()).find((a) => a.id === id);
    if (!found) throw agentNotFound(id);
    if (!ctx.isAdmin) {
      throw new NeutronFault(404, 'HTTPNotFound', 'The resource could not be found.');
    }
    return found;
  }

  async update(ctx: RequestContext, id: string, input: AgentInput): Promise<Agent> {
    await this.get(ctx, id);
    const changed = { ...this.changes.get(id) };
    if (input.admin_state_up !== undefined) changed.admin_state_up = input.admin_state_up;
    if (input.description !== undefined) changed.description = input.description;
    this.changes.set(id, changed);
    return this.get(ctx, id);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.get(ctx, id);
    this.deleted.add(id);
  }
}
