/**
 * Row types of Neutron's tables (migration 010). Booleans are 0/1; JSON columns hold the API's
 * own shape; `*_key` columns are addresses as 32 hex digits (see services/network/ip.ts).
 */
export interface NetworkTables {
  networks: NetworkRow;
  subnetpools: SubnetPoolRow;
  subnets: SubnetRow;
  subnet_allocation_pools: AllocationPoolRow;
  ip_free_ranges: FreeRangeRow;
  ip_allocations: IpAllocationRow;
  ports: PortRow;
  security_groups: SecurityGroupRow;
  default_security_groups: DefaultSecurityGroupRow;
  security_group_rules: SecurityGroupRuleRow;
  port_security_groups: PortSecurityGroupRow;
  routers: RouterRow;
  router_ports: RouterPortRow;
  floatingips: FloatingIpRow;
  network_tags: NetworkTagRow;
  network_quotas: NetworkQuotaRow;
  auto_allocated_topologies: AutoAllocatedTopologyRow;
}

/** Neutron's standard attributes. */
export interface StandardColumns {
  id: string;
  project_id: string;
  description: string;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface NetworkRow extends StandardColumns {
  name: string;
  admin_state_up: number;
  status: string;
  shared: number;
  external: number;
  is_default: number;
  mtu: number;
  port_security_enabled: number;
  network_type: string | null;
  physical_network: string | null;
  segmentation_id: number | null;
  /** JSON array of availability zone names. */
  az_hints: string;
  dns_domain: string;
}

export interface SubnetPoolRow extends StandardColumns {
  name: string;
  ip_version: number;
  prefixes: string;
  default_prefixlen: number;
  min_prefixlen: number;
  max_prefixlen: number;
  shared: number;
  is_default: number;
  default_quota: number | null;
  address_scope_id: string | null;
}

export interface SubnetRow extends StandardColumns {
  network_id: string;
  name: string;
  ip_version: number;
  cidr: string;
  gateway_ip: string | null;
  enable_dhcp: number;
  ipv6_ra_mode: string | null;
  ipv6_address_mode: string | null;
  subnetpool_id: string | null;
  dns_nameservers: string;
  host_routes: string;
  service_types: string;
}

export interface AllocationPoolRow {
  subnet_id: string;
  first_ip: string;
  last_ip: string;
  first_key: string;
  last_key: string;
}

export interface FreeRangeRow {
  subnet_id: string;
  first_key: string;
  last_key: string;
}

export interface IpAllocationRow {
  subnet_id: string;
  ip_key: string;
  ip_address: string;
  network_id: string;
  port_id: string;
}

export interface PortRow extends StandardColumns {
  network_id: string;
  name: string;
  mac_address: string;
  admin_state_up: number;
  status: string;
  device_id: string;
  device_owner: string;
  port_security_enabled: number;
  binding_host_id: string;
  binding_vnic_type: string;
  binding_vif_type: string;
  binding_profile: string;
  binding_vif_details: string;
  allowed_address_pairs: string;
  extra_dhcp_opts: string;
  dns_name: string;
}

export interface SecurityGroupRow extends StandardColumns {
  name: string;
  stateful: number;
}

export interface DefaultSecurityGroupRow {
  project_id: string;
  security_group_id: string;
}

export interface SecurityGroupRuleRow extends StandardColumns {
  security_group_id: string;
  direction: string;
  ethertype: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  remote_address_group_id: string | null;
}

export interface PortSecurityGroupRow {
  port_id: string;
  security_group_id: string;
}

export interface RouterRow extends StandardColumns {
  name: string;
  admin_state_up: number;
  status: string;
  gw_network_id: string | null;
  gw_port_id: string | null;
  enable_snat: number;
  routes: string;
  distributed: number;
  ha: number;
  az_hints: string;
}

export interface RouterPortRow {
  router_id: string;
  port_id: string;
  port_type: string;
}

export interface FloatingIpRow extends StandardColumns {
  floating_network_id: string;
  floating_port_id: string;
  floating_ip_address: string;
  fixed_port_id: string | null;
  fixed_ip_address: string | null;
  router_id: string | null;
  status: string;
}

export interface NetworkTagRow {
  resource_id: string;
  tag: string;
}

export interface NetworkQuotaRow {
  project_id: string;
  resource: string;
  hard_limit: number;
}

/** Migration 011: a project's get-me-a-network topology. */
export interface AutoAllocatedTopologyRow {
  project_id: string;
  network_id: string;
  router_id: string | null;
}
