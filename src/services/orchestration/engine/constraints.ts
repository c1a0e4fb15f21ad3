import { pyStr } from '../../../http/pyrepr.js';
import type { ResourceContext } from '../resources/types.js';
import type { ConstraintChecker } from './properties.js';

/** One custom constraint over the services: null, or Heat's message for the value. */
export type ConstraintCheck = (
  rc: Pick<ResourceContext, 'ctx' | 'services'>,
  value: unknown,
) => Promise<string | null>;

/**
 * Custom constraints by name (`glance.image`, `nova.keypair`...), each type family's own;
 * an unknown name fails as Heat's CustomConstraint does when none is registered under it.
 */
export function constraintChecker(
  groups: ReadonlyMap<string, ConstraintCheck>[],
): ConstraintChecker {
  const all = new Map<string, ConstraintCheck>();
  for (const group of groups) for (const [name, check] of group) all.set(name, check);
  return async (name, value, rc) => {
    const check = all.get(name);
    if (!check) return `"${pyStr(value)}" does not validate ${name} (constraint not found)`;
    return check(rc, value);
  };
}
