import { ComputePorts } from './compute-ports.js';
import os from 'node:os';
import type { Db } from '../../store/db.js';
import { Networks } from './networks.js';
import { Subnets } from './subnets.js';
import { SubnetPools } from './subnetpools.js';
import { Ports } from './ports.js';
import { SecurityGroups } from './security-groups.js';
import { Quotas } from './quotas.js';
import { Tags } from './tags.js';
import { Agents } from './agents.js';
import { AvailabilityZones } from './availability-zones.js';
import { Extensions } from './extensions.js';
import { Routers } from './routers.js';
import { FloatingIps } from './floating-ips.js';
import { AutoTopology } from './auto-topology.js';

export interface NetworkServiceOptions {
  /** The host the agents report from; DevStack's is the node's hostname. */
  agentHost?: string;
}

/**
 * Neutron's domain: the only way into the network service, for its routes, for Nova (ports of
 * servers) and for Heat. Each aggregate is reached through its own object (`network.ports`),
 * whose methods take the caller's context and typed input and own policy and invariants.
 */
export class NetworkService {
  readonly networks: Networks;
  readonly subnets: Subnets;
  readonly subnetpools: SubnetPools;
  readonly ports: Ports;
  readonly securityGroups: SecurityGroups;
  readonly quotas: Quotas;
  readonly tags: Tags;
  readonly agents: Agents;
  readonly availabilityZones = new AvailabilityZones();
  readonly extensions = new Extensions();
  readonly routers: Routers;
  readonly floatingIps: FloatingIps;
  readonly autoTopology: AutoTopology;
  /** What Nova asks about networks, groups and its servers' ports. */
  readonly computePorts: ComputePorts;

  constructor(db: Db, opts: NetworkServiceOptions = {}) {
    this.networks = new Networks(db);
    this.subnetpools = new SubnetPools(db);
    this.subnets = new Subnets(db, this.networks, this.subnetpools);
    this.securityGroups = new SecurityGroups(db);
    this.ports = new Ports(db, this.networks, this.securityGroups);
    this.quotas = new Quotas(db);
    this.tags = new Tags(db, this);
    this.agents = new Agents(db, opts.agentHost ?? os.hostname());
    this.routers = new Routers(db, this.networks, this.ports);
    this.floatingIps = new FloatingIps(db, this.networks, this.ports);
    this.autoTopology = new AutoTopology(db, this.networks, this.subnets, this.routers);
    this.computePorts = new ComputePorts(db, this.securityGroups);
  }
}
