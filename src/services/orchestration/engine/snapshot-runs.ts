import type { StackEngine } from './engine.js';
import { inProgress } from './engine.js';
import { reasons } from './stack-ops.js';
import { deleteSnapshotData, snapshotAll } from './stack-snapshot.js';
import { updateAll } from './stack-update.js';
import type { SnapshotStore, StackSnapshot } from './snapshot-store.js';
import type { Stack } from './stack-store.js';
import { loadTemplate } from './prepare.js';

/**
 * `stack snapshot create`: the stack goes SNAPSHOT_IN_PROGRESS (409 while another operation
 * runs), every resource takes its snapshot, and the snapshot row gets Heat's data.
 */
export async function startSnapshot(
  engine: StackEngine,
  snapshots: SnapshotStore,
  stack: Stack,
  snapshot: StackSnapshot,
): Promise<void> {
  const traversal = await engine.deps.store.begin(stack, {
    action: 'SNAPSHOT',
    status: 'IN_PROGRESS',
    reason: reasons.started('SNAPSHOT'),
  });
  if (traversal === null) {
    await snapshots.delete(snapshot.id);
    throw inProgress(stack);
  }
  engine.launch(stack, traversal, 'SNAPSHOT', async (op) => {
    const { result, data } = await snapshotAll(op);
    await snapshots.finish(snapshot.id, result.status, result.reason, data);
    return { action: 'SNAPSHOT', traversal, result };
  });
}

/**
 * `stack snapshot restore`: an update to the snapshot's definition in which each resource that
 * was snapshotted is brought back from its snapshot (a server from its image, a volume from
 * its snapshot), as Heat's handle_restore rewrites their properties.
 */
export async function startRestore(
  engine: StackEngine,
  stack: Stack,
  snapshot: StackSnapshot,
): Promise<void> {
  const data = snapshot.data!;
  const traversal = await engine.deps.store.begin(
    stack,
    { action: 'RESTORE', status: 'IN_PROGRESS', reason: reasons.started('RESTORE') },
    {
      template: JSON.stringify(data.template),
      environment: JSON.stringify(data.environment),
      files: JSON.stringify(data.files),
      parameters: JSON.stringify(data.parameters),
      previous: JSON.stringify({
        template: stack.template,
        environment: stack.environment,
        files: stack.files,
        parameters: stack.parameters,
      }),
    },
  );
  if (traversal === null) throw inProgress(stack);
  const restored = (await engine.deps.store.get(stack.id))!;
  const previous = loadTemplate(stack);
  engine.launch(restored, traversal, 'RESTORE', async (op) => {
    for (const res of Object.values(data.resources)) {
      const type = engine.deps.types.get(res.type);
      if (!type?.restoreProperties || Object.keys(res.resource_data).length === 0) continue;
      op.overrides.set(res.name, (props) => type.restoreProperties!(props, res.resource_data));
    }
    const result = await updateAll(op, previous, 'RESTORE');
    return { action: 'RESTORE', traversal, result };
  });
}

/** `stack snapshot delete`: what the snapshot made goes too (images, volume snapshots). */
export async function deleteSnapshot(
  engine: StackEngine,
  snapshots: SnapshotStore,
  stack: Stack,
  snapshot: StackSnapshot,
): Promise<void> {
  if (snapshot.data) {
    const op = await engine.load(stack, stack.traversal, new AbortController().signal);
    await deleteSnapshotData(op, snapshot.data);
  }
  await snapshots.delete(snapshot.id);
}
