import type { ConstraintCheck } from '../engine/constraints.js';
import { CINDER_CONSTRAINTS, CINDER_TYPES } from './cinder/index.js';
import { HEAT_CONSTRAINTS } from './heat/constraints.js';
import { NEUTRON_CONSTRAINTS, NEUTRON_TYPES } from './neutron/index.js';
import { GLANCE_CONSTRAINTS, NOVA_CONSTRAINTS, NOVA_TYPES } from './nova/index.js';
import type { ResourceType } from './types.js';

/** Every family of resource types, as the registry loads them (Heat's own come from
 *  heatTypes(), built by the service over its software configs). */
export const RESOURCE_TYPE_GROUPS: ResourceType[][] = [NEUTRON_TYPES, NOVA_TYPES, CINDER_TYPES];

/** Every family's custom constraints (`glance.image`, `neutron.network`...). */
export const CONSTRAINT_GROUPS: ReadonlyMap<string, ConstraintCheck>[] = [
  NEUTRON_CONSTRAINTS,
  NOVA_CONSTRAINTS,
  GLANCE_CONSTRAINTS,
  CINDER_CONSTRAINTS,
  HEAT_CONSTRAINTS,
];
