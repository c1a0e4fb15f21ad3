import type { ResourceType } from '../types.js';
import { VOLUME } from './volume.js';
import { VOLUME_ATTACHMENT } from './volume-attachment.js';

export { CINDER_CONSTRAINTS } from './constraints.js';

/** Heat's Cinder resource types. */
export const CINDER_TYPES: ResourceType[] = [VOLUME, VOLUME_ATTACHMENT];
