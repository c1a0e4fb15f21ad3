import type { DefinitionView } from '../types.js';

/**
 * Heat's add_dependencies of the Neutron types (heat/engine/resources/openstack/neutron/*.py):
 * edges a template need not write because Neutron would refuse the call without them. Values
 * are compared as Heat compares them while building the graph, where a reference to a resource
 * not yet made is its name.
 */

const either = (props: Record<string, unknown>, a: string, b: string): unknown =>
  props[a] ?? props[b] ?? null;

const ofType = (stack: DefinitionView[], type: string) => stack.filter((d) => d.type === type);

/** Subnets of the stack on `network` (a Port or a gateway waits for them). */
function subnetsOn(stack: DefinitionView[], network: unknown): string[] {
  if (network === null) return [];
  return ofType(stack, 'OS::Neutron::Subnet')
    .filter((s) => either(s.props, 'network', 'network_id') === network)
    .map((s) => s.name);
}

/** Whether a port of the stack may be on `subnet`: any port without fixed IPs may be. */
function portOnSubnet(port: DefinitionView | undefined, subnet: unknown): boolean {
  if (!port) return false;
  const fixed = port.props.fixed_ips;
  if (!Array.isArray(fixed) || fixed.length === 0) return true;
  return fixed.some(
    (ip) =>
      ip !== null &&
      typeof ip === 'object' &&
      either(ip as Record<string, unknown>, 'subnet', 'subnet_id') === subnet,
  );
}

/** Router interfaces that connect the subnet of the port `portRef` names. */
function interfacesForPort(stack: DefinitionView[], portRef: unknown): string[] {
  const port = stack.find((d) => d.type === 'OS::Neutron::Port' && d.name === portRef);
  return ofType(stack, 'OS::Neutron::RouterInterface')
    .filter((i) => portOnSubnet(port, either(i.props, 'subnet', 'subnet_id')))
    .map((i) => i.name);
}

/** FloatingIP: the interface that makes its port reachable, and the gateway on its network. */
export function floatingIpRequires(self: DefinitionView, stack: DefinitionView[]): string[] {
  const network = either(self.props, 'floating_network', 'floating_network_id');
  const out = interfacesForPort(stack, either(self.props, 'port_id', 'port'));
  for (const g of ofType(stack, 'OS::Neutron::RouterGateway')) {
    if (either(g.props, 'network', 'network_id') === network) out.push(g.name);
  }
  for (const r of ofType(stack, 'OS::Neutron::Router')) {
    const gw = r.props.external_gateway_info as Record<string, unknown> | null | undefined;
    if (gw && typeof gw === 'object' && either(gw, 'network', 'network_id') === network) {
      out.push(r.name);
    }
  }
  return out;
}

/** FloatingIPAssociation: the interface that makes its port reachable. */
export function floatingIpAssociationRequires(
  self: DefinitionView,
  stack: DefinitionView[],
): string[] {
  return interfacesForPort(stack, either(self.props, 'port_id', 'port'));
}

/** Port: the subnets of its network, so it gets an address. */
export function portRequires(self: DefinitionView, stack: DefinitionView[]): string[] {
  return subnetsOn(stack, either(self.props, 'network', 'network_id'));
}

/** Router: the subnets of its gateway network. */
export function routerRequires(self: DefinitionView, stack: DefinitionView[]): string[] {
  const gw = self.props.external_gateway_info as Record<string, unknown> | null | undefined;
  if (!gw || typeof gw !== 'object') return [];
  return subnetsOn(stack, either(gw, 'network', 'network_id'));
}

/** RouterGateway: its router's interfaces and its network's subnets. */
export function routerGatewayRequires(self: DefinitionView, stack: DefinitionView[]): string[] {
  const router = either(self.props, 'router', 'router_id');
  const interfaces = ofType(stack, 'OS::Neutron::RouterInterface')
    .filter((i) => either(i.props, 'router', 'router_id') === router)
    .map((i) => i.name);
  return [...interfaces, ...subnetsOn(stack, either(self.props, 'network', 'network_id'))];
}
