import type { Microversion, MicroversionRange } from '../../http/microversion.js';

export const MIN_VERSION: Microversion = [3, 0];
/** Zed (Cinder 21.0.0). */
export const MAX_VERSION: Microversion = [3, 70];

export const VOLUME_RANGE: MicroversionRange = {
  services: ['volume', 'block-storage'],
  min: MIN_VERSION,
  max: MAX_VERSION,
};
