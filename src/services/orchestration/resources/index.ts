import type { ConstraintCheck } from '../engine/constraints.js';
import { NEUTRON_CONSTRAINTS, NEUTRON_TYPES } from './neutron/index.js';
import type { ResourceType } from './types.js';

/** Every family of resource types, as the registry loads them. */
export const RESOURCE_TYPE_GROUPS: ResourceType[][] = [NEUTRON_TYPES];

/** Every family's custom constraints (`glance.image`, `neutron.network`...). */
export const CONSTRAINT_GROUPS: ReadonlyMap<string, ConstraintCheck>[] = [NEUTRON_CONSTRAINTS];
