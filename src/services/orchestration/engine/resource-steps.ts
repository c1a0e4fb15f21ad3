import type { ResourceDefinition } from '../template/types.js';
import type { Props, ResourceContext } from '../resources/types.js';
import { isGone, resourceFailure, ResourceFailed } from './failure.js';
import type { Operation } from './operation.js';
import { until } from './poll.js';
import type { StackAction, StackResource } from './stack-store.js';
import { isoNow } from '../../../util.js';

const STATE_CHANGED = 'state changed';

/** A cancelled or superseded operation stops here: a newer one owns the stack now. */
export class Superseded extends Error {
  constructor() {
    super('superseded');
  }
}

/** Records a resource's move; throws Superseded when the operation no longer owns the stack. */
async function move(
  op: Operation,
  row: StackResource,
  action: StackAction,
  status: 'IN_PROGRESS' | 'COMPLETE' | 'FAILED',
  reason: string,
  change: Parameters<Operation['deps']['store']['moveResource']>[4] = {},
): Promise<void> {
  const ok = await op.deps.store.moveResource(
    op.stack,
    op.traversal,
    row,
    { action, status, reason },
    change,
  );
  if (!ok) throw new Superseded();
}

/** Runs `work` as the resource's `action`, turning any error into Heat's ResourceFailure. */
export async function recorded(
  op: Operation,
  row: StackResource,
  action: StackAction,
  work: () => Promise<Parameters<typeof move>[5]>,
): Promise<void> {
  await move(op, row, action, 'IN_PROGRESS', STATE_CHANGED);
  let change: Parameters<typeof move>[5];
  try {
    change = await work();
  } catch (err) {
    // Stopped from outside (superseded, timed out, shut down): whoever stopped it writes.
    if (err instanceof Superseded || op.signal.aborted) throw err;
    const reason = resourceFailure(err, row.name);
    await move(op, row, action, 'FAILED', reason);
    throw new ResourceFailed(action, reason);
  }
  await move(op, row, action, 'COMPLETE', STATE_CHANGED, change);
}

/** CREATE: properties resolved now (get_attr of finished resources), made, waited for. */
export async function createResource(op: Operation, def: ResourceDefinition): Promise<void> {
  const row = op.resources.get(def.name)!;
  await recorded(op, row, 'CREATE', async () => {
    const type = op.typeOf(def);
    const props = await op.properties(def, type);
    const rc = op.context(row);
    if (type.validate) await type.validate(rc, props);
    // resource.py create: an external_id is taken over as the physical resource, not made.
    const external = def.externalId === null ? null : await op.resolve(def.externalId);
    const id = typeof external === 'string' ? external : await type.create(rc, props);
    const waits = id !== null && external === null && type.checkCreateComplete !== undefined;
    // Stored before waiting: whatever happens next, the stack knows what it made. With no
    // wait (and no attribute to fetch for the metadata) the COMPLETE move that follows at
    // once stores it, stamped as setPhysicalId stamps it.
    const early = waits || op.template.attributeRefs(def.metadata).length > 0;
    const stored = early ? null : isoNow();
    if (early) await op.deps.store.setPhysicalId(row.id, id);
    row.physicalId = id;
    if (waits) await until(() => type.checkCreateComplete!(rc, id!, props), op.signal);
    row.properties = props;
    const metadata = def.metadata === null ? null : await op.resolve(def.metadata);
    return {
      physical_resource_id: id,
      properties: JSON.stringify(props),
      metadata: metadata === null ? null : JSON.stringify(metadata),
      ...(stored === null ? {} : { updated_at: stored }),
    };
  });
}

/**
 * DELETE: the physical resource removed and waited for (gone already counts as done), unless
 * deletion_policy keeps it: Retain leaves it, Snapshot leaves a snapshot of it.
 */
export async function deleteResource(
  op: Operation,
  row: StackResource,
  policy: 'Delete' | 'Retain' | 'Snapshot',
  opts: { retire?: boolean } = {},
): Promise<void> {
  // A resource an update dropped or replaced leaves the stack's resource list when deleted.
  const done = opts.retire ? { current: 0 } : {};
  await recorded(op, row, 'DELETE', async () => {
    const id = row.physicalId;
    if (id === null || policy === 'Retain') return done;
    const type = op.typeOf(row);
    const rc = op.context(row);
    const props = row.properties ?? {};
    if (policy === 'Snapshot' && type.snapshotForDeletion) await type.snapshotForDeletion(rc, id);
    try {
      await type.delete(rc, id, props);
      if (type.checkDeleteComplete) await until(() => type.checkDeleteComplete!(rc, id), op.signal);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
    return done;
  });
}

/** UPDATE in place: only properties the type updates without replacing changed. */
export async function updateResource(
  op: Operation,
  def: ResourceDefinition,
  row: StackResource,
  next: Props,
  changed: string[],
): Promise<void> {
  await recorded(op, row, 'UPDATE', async () => {
    // Heat's Resource.update stamps updated_time as the update starts (resource list shows it).
    const started = isoNow();
    const type = op.typeOf(def);
    const rc = op.context(row);
    const id = row.physicalId!;
    await type.update!(rc, id, next, row.properties ?? {}, changed);
    if (type.checkUpdateComplete) {
      await until(() => type.checkUpdateComplete!(rc, id, next), op.signal);
    }
    row.properties = next;
    const metadata = def.metadata === null ? null : await op.resolve(def.metadata);
    return {
      properties: JSON.stringify(next),
      metadata: metadata === null ? null : JSON.stringify(metadata),
      updated_at: started,
    };
  });
}

/**
 * UPDATE by replacement: a new resource of the same name is created first and takes over as
 * the current one; the old one is deleted by the update's cleanup, or restored by a rollback.
 */
export async function replaceResource(
  op: Operation,
  def: ResourceDefinition,
  old: StackResource,
): Promise<void> {
  const oldType = op.typeOf(old);
  if (old.physicalId !== null && oldType.prepareForReplace)
    await oldType.prepareForReplace(op.context(old), old.physicalId);
  const fresh = await op.deps.store.insertResource(op.stack.id, def.name, def.type, old.id);
  op.rows.push(fresh);
  op.resources.set(def.name, fresh);
  try {
    await createResource(op, def);
  } finally {
    // Until it is complete the old one stays current for everything outside this walk.
    if (fresh.action === 'CREATE' && fresh.status === 'COMPLETE') {
      await op.deps.store.swapCurrent(old, fresh);
    }
  }
}

/** SUSPEND, RESUME or CHECK of one resource: the type's step, or nothing for types without. */
export async function actOn(
  op: Operation,
  row: StackResource,
  action: StackAction,
  step: ((rc: ResourceContext, id: string) => Promise<void>) | null,
): Promise<void> {
  if (!step && action === 'CHECK') {
    // Heat's Resource.check for a type without handle_check: one state, no IN_PROGRESS.
    await move(op, row, 'CHECK', 'COMPLETE', `CHECK not supported for ${row.type}`);
    return;
  }
  await recorded(op, row, action, async () => {
    if (step) await step(op.context(row), row.physicalId!);
    return {};
  });
}
