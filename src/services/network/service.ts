import type { Db } from '../../store/db.js';
import { Networks } from './networks.js';
import { Subnets } from './subnets.js';
import { Ports } from './ports.js';
import { SecurityGroups } from './security-groups.js';
import { Routers } from './routers.js';
import { FloatingIps } from './floating-ips.js';
import { AutoTopology } from './auto-topology.js';

/**
 * Neutron's domain: the only way into the network service, for its routes, for Nova (ports of
 * servers) and for Heat. Each aggregate is reached through its own object (`network.ports`),
 * whose methods take the caller's context and typed input and own policy and invariants.
 */
export class NetworkService {
  readonly networks: Networks;
  readonly subnets: Subnets;
  readonly ports: Ports;
  readonly securityGroups: SecurityGroups;
  readonly routers: Routers;
  readonly floatingIps: FloatingIps;
  readonly autoTopology: AutoTopology;

  constructor(db: Db) {
    this.networks = new Networks(db);
    this.subnets = new Subnets(db, this.networks);
    this.securityGroups = new SecurityGroups(db);
    this.ports = new Ports(db, this.networks, this.securityGroups);
    this.routers = new Routers(db, this.networks, this.ports);
    this.floatingIps = new FloatingIps(db, this.networks, this.ports);
    this.autoTopology = new AutoTopology(db, this.networks, this.subnets, this.routers);
  }
}
