/**
 * Neutron's groups of port device owners (neutron_lib/constants.py), which decide what a port
 * may do and what it keeps in use. One list each, for every aggregate that asks.
 */

/** Ports of a router's interfaces: they hold a subnet's gateway and keep the subnet in use. */
export const ROUTER_INTERFACE_OWNERS = [
  'network:router_interface',
  'network:ha_router_replicated_interface',
  'network:router_interface_distributed',
];

/** Router interface ports and SNAT ports: they take no automatic (SLAAC) address. */
export const ROUTER_INTERFACE_OWNERS_SNAT = [
  ...ROUTER_INTERFACE_OWNERS,
  'network:router_centralized_snat',
];

/** Ports that go with their network or subnet instead of keeping it in use. */
export const AUTO_DELETE_PORT_OWNERS = [
  'network:dhcp',
  'network:distributed',
  'network:floatingip_agent_gateway',
];
