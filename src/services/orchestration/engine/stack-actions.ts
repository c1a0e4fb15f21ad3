import type { ResourceType } from '../resources/types.js';
import { reversed, walk } from './graph.js';
import type { Operation } from './operation.js';
import { actOn } from './resource-steps.js';
import { outcome, type Outcome } from './stack-ops.js';
import type { StackAction } from './stack-store.js';

/** Heat's suffix for a CHECK some resource types cannot do. */
export const CHECK_PARTIAL = "'CHECK' not fully supported (see resources)";

/** SUSPEND: dependents first, each resource whose type can suspend (servers) suspended. */
export function suspendAll(op: Operation): Promise<Outcome> {
  return actAll(op, 'SUSPEND', true, (type) => type.suspend);
}

/** RESUME: in dependency order, the reverse of suspend. */
export function resumeAll(op: Operation): Promise<Outcome> {
  return actAll(op, 'RESUME', false, (type) => type.resume);
}

/**
 * CHECK: every resource at once, each type's check of its physical resource; types without one
 * pass, and the stack's reason says the check was partial, as Heat's does.
 */
export async function checkAll(op: Operation): Promise<Outcome> {
  let partial = false;
  const result = await actAll(op, 'CHECK', null, (type) => {
    if (!type.check) partial = true;
    return type.check;
  });
  if (result.status === 'COMPLETE' && partial) {
    return { status: 'COMPLETE', reason: `${result.reason}. ${CHECK_PARTIAL}` };
  }
  return result;
}

type Step = NonNullable<ResourceType['suspend']>;

function actAll(
  op: Operation,
  action: StackAction,
  dependentsFirst: boolean | null,
  stepOf: (type: ResourceType) => Step | undefined,
): Promise<Outcome> {
  const names = [...op.resources.keys()].filter((n) => op.definitions.has(n));
  const needs = (name: string) => op.requires(name);
  const order =
    dependentsFirst === null ? () => [] : dependentsFirst ? reversed(names, needs) : needs;
  return outcome(op, action, () =>
    walk(
      names,
      order,
      async (name) => {
        const row = op.resources.get(name)!;
        if (row.physicalId === null) return;
        const type = op.typeOf(row);
        const step = stepOf(type);
        await actOn(op, row, action, step ? (rc, id) => step.call(type, rc, id) : null);
      },
      op.signal,
    ),
  );
}
