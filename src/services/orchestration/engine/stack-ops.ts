import { ResourceFailed } from './failure.js';
import { reversed, walk } from './graph.js';
import type { Operation } from './operation.js';
import { createResource, deleteResource, Superseded } from './resource-steps.js';
import type { StackAction, StackResource } from './stack-store.js';

/** Heat's reasons for a stack's own events. */
export const reasons = {
  started: (action: StackAction) => `Stack ${action} started`,
  completed: (action: StackAction) => `Stack ${action} completed successfully`,
  failed: (action: StackAction, why: string) => `Resource ${action} failed: ${why}`,
};

/** What an operation ended with: the stack's status and the reason written with it. */
export type Outcome = { status: 'COMPLETE' | 'FAILED'; reason: string };

/**
 * CREATE: a resource row for each enabled resource, then every resource created as soon as
 * those it requires are complete.
 */
export async function createAll(op: Operation): Promise<Outcome> {
  await insertMissing(op);
  return outcome(op, 'CREATE', () =>
    walk(
      op.definitions.keys(),
      (name) => op.requires(name),
      async (name) => {
        const row = op.resources.get(name)!;
        if (row.action === 'CREATE' && row.status === 'COMPLETE') return;
        await createResource(op, op.definitions.get(name)!);
      },
      op.signal,
    ),
  );
}

/** A row (INIT COMPLETE) for each enabled resource that has none, all in one write. */
export async function insertMissing(op: Operation): Promise<void> {
  const missing = [...op.definitions.values()].filter((def) => !op.resources.has(def.name));
  for (const row of await op.deps.store.insertResources(op.stack.id, missing)) {
    op.resources.set(row.name, row);
  }
}

/**
 * DELETE (and a create's rollback): every resource that exists, each after those that require
 * it are gone. Resources no longer in the template (replaced ones) go first, needing nothing.
 */
export async function deleteAll(
  op: Operation,
  action: StackAction = 'DELETE',
  opts: { retire?: boolean } = {},
): Promise<Outcome> {
  const rows = [...op.resources.values()];
  const names = rows.map((r) => r.name);
  const needs = (name: string) => op.requires(name);
  const dependents = reversed(names, needs);
  return outcome(op, action, () =>
    walk(
      names,
      dependents,
      async (name) => {
        const row = op.resources.get(name)!;
        if (!exists(row)) return;
        const policy = op.definitions.get(name)?.deletionPolicy ?? 'Delete';
        await deleteResource(op, row, policy, opts);
      },
      op.signal,
    ),
  );
}

/** A resource that may have something to delete. */
function exists(row: StackResource): boolean {
  if (row.action === 'DELETE' && row.status === 'COMPLETE') return false;
  return row.physicalId !== null || !(row.action === 'INIT');
}

export async function outcome(
  op: Operation,
  action: StackAction,
  run: () => Promise<void>,
): Promise<Outcome> {
  try {
    await run();
    return { status: 'COMPLETE', reason: reasons.completed(action) };
  } catch (err) {
    if (err instanceof Superseded) throw err;
    if (err instanceof ResourceFailed) {
      return { status: 'FAILED', reason: reasons.failed(err.action, err.reason) };
    }
    if (op.signal.aborted) throw err;
    throw err;
  }
}
