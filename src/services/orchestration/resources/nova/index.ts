import type { ResourceType } from '../types.js';
import { FLAVOR } from './flavor.js';
import { KEYPAIR } from './keypair.js';
import { SERVER } from './server.js';
import { SERVER_GROUP } from './server-group.js';

export { GLANCE_CONSTRAINTS, NOVA_CONSTRAINTS, type ConstraintCheck } from './constraints.js';

/** Heat's Nova resource types. */
export const NOVA_TYPES: ResourceType[] = [SERVER, KEYPAIR, FLAVOR, SERVER_GROUP];
