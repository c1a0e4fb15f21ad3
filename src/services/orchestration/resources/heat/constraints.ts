import type { ConstraintCheck } from '../../engine/constraints.js';
import { sleep } from './support.js';

/**
 * Heat's `test_constr` (heat/engine/resources/openstack/heat/test_resource.py's
 * TestConstraintDelay): waits the value's seconds, then passes. Bounded at a minute here so a
 * template cannot hold a request open for long.
 */
export const HEAT_CONSTRAINTS = new Map<string, ConstraintCheck>([
  [
    'test_constr',
    async (_rc, value) => {
      const seconds = Math.min(Math.max(Number(value) || 0, 0), 60);
      if (seconds > 0) await sleep(seconds * 1000, new AbortController().signal);
      return null;
    },
  ],
]);
