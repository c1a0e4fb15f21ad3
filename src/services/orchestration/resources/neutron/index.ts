import type { ResourceType } from '../types.js';
import { FLOATING_IP, FLOATING_IP_ASSOCIATION } from './floating-ip.js';
import { NET } from './net.js';
import { PORT } from './port.js';
import { ROUTER } from './router.js';
import { ROUTER_GATEWAY, ROUTER_INTERFACE } from './router-interface.js';
import { SECURITY_GROUP } from './security-group.js';
import { SECURITY_GROUP_RULE } from './security-group-rule.js';
import { SUBNET } from './subnet.js';

export { NEUTRON_CONSTRAINTS, type ConstraintCheck } from './constraints.js';

/** Heat's Neutron resource types (heat/engine/resources/openstack/neutron, Zed). */
export const NEUTRON_TYPES: ResourceType[] = [
  NET,
  SUBNET,
  PORT,
  ROUTER,
  ROUTER_INTERFACE,
  ROUTER_GATEWAY,
  SECURITY_GROUP,
  SECURITY_GROUP_RULE,
  FLOATING_IP,
  FLOATING_IP_ASSOCIATION,
];
