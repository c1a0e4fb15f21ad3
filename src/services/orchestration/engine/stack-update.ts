import type { Template } from '../template/index.js';
import type { ResourceDefinition } from '../template/types.js';
import type { Props } from '../resources/types.js';
import { reversed, walk } from './graph.js';
import type { Operation } from './operation.js';
import { HeatFault } from '../errors.js';
import {
  actOn,
  createResource,
  deleteResource,
  recorded,
  replaceResource,
  updateResource,
} from './resource-steps.js';
import { outcome, type Outcome } from './stack-ops.js';
import type { StackAction, StackResource } from './stack-store.js';

/** What an update does to one resource, as Heat decides it (resource.py _needs_update). */
export type Change =
  | { kind: 'create' }
  | { kind: 'unchanged' }
  | { kind: 'update'; props: Props; changed: string[] }
  | { kind: 'replace' }
  | { kind: 'settle' };

/**
 * UPDATE (and an update's ROLLBACK): the stack's new definition walked in dependency order,
 * each resource created, left alone, updated in place or replaced; then what the new
 * definition no longer has is deleted, dependents before what they depend on, as `previous`
 * ordered them.
 */
export async function updateAll(
  op: Operation,
  previous: Template | null,
  action: StackAction = 'UPDATE',
): Promise<Outcome> {
  return outcome(op, action, async () => {
    await restoreReplaced(op);
    await walk(
      op.definitions.keys(),
      (name) => op.requires(name),
      (name) => step(op, op.definitions.get(name)!),
      op.signal,
    );
    await cleanup(op, previous);
  });
}

async function step(op: Operation, def: ResourceDefinition): Promise<void> {
  const row = op.resources.get(def.name);
  if (!row) {
    op.resources.set(def.name, await op.deps.store.insertResource(op.stack.id, def.name, def.type));
    return createResource(op, def);
  }
  if (def.externalId !== null) return keepExternal(op, def, row);
  const change = await decide(op, def, row);
  switch (change.kind) {
    case 'create':
      return createResource(op, def);
    case 'unchanged':
      return;
    case 'update':
      return updateResource(op, def, row, change.props, change.changed);
    case 'replace':
      return replaceResource(op, def, row);
    case 'settle':
      return actOn(op, row, 'UPDATE', null);
  }
}

/**
 * resource.py update of a resource with an external_id: left alone while it names the same
 * physical resource; naming another (or adding one to a resource Heat made) is NotSupported.
 */
async function keepExternal(
  op: Operation,
  def: ResourceDefinition,
  row: StackResource,
): Promise<void> {
  const external = await op.resolve(def.externalId);
  if (external === row.physicalId) return;
  await recorded(op, row, 'UPDATE', () => {
    const feature = `Update to property external_id of ${def.name} (${def.type})`;
    throw new HeatFault('NotSupported', `${feature} is not supported.`);
  });
}

export async function decide(
  op: Operation,
  def: ResourceDefinition,
  row: StackResource,
): Promise<Change> {
  if (row.physicalId === null && row.action === 'INIT') return { kind: 'create' };
  if (row.type !== def.type || row.status === 'FAILED' || row.action === 'DELETE') {
    return { kind: 'replace' };
  }
  const type = op.typeOf(def);
  const props = await op.properties(def, type);
  // An update cut short (cancelled, superseded) before it finished: its properties were never
  // stored, so those of the definition now in force are what it has; the row is settled.
  if (row.status === 'IN_PROGRESS' && row.action === 'UPDATE') return { kind: 'settle' };
  const before = row.properties ?? {};
  const changed = Object.keys(props).filter(
    (k) => JSON.stringify(props[k] ?? null) !== JSON.stringify(before[k] ?? null),
  );
  if (changed.length === 0 && !(type.alwaysUpdate && type.update)) return { kind: 'unchanged' };
  const inPlace =
    type.update &&
    changed.every((k) => type.properties[k]?.updateAllowed === true) &&
    !type.needsReplace?.(props, before, changed);
  return inPlace ? { kind: 'update', props, changed } : { kind: 'replace' };
}

/**
 * A rollback finds resources the failed update replaced: the predecessor, still there, becomes
 * current again, and its replacement goes with the cleanup.
 */
async function restoreReplaced(op: Operation): Promise<void> {
  for (const row of [...op.resources.values()]) {
    if (row.replaces === null) continue;
    const old = op.rows.find((r) => r.id === row.replaces);
    if (!old || old.action === 'DELETE') continue;
    await op.deps.store.swapCurrent(row, old);
    op.resources.set(row.name, old);
  }
}

/** The update's garbage: replaced resources and those the new definition dropped. */
async function cleanup(op: Operation, previous: Template | null): Promise<void> {
  const current = new Set([...op.resources.values()].map((r) => r.id));
  const garbage = op.rows.filter(
    (r) =>
      (!current.has(r.id) || !op.definitions.has(r.name)) &&
      !(r.action === 'DELETE' && r.status === 'COMPLETE'),
  );
  for (const r of garbage) if (op.resources.get(r.name) === r) op.resources.delete(r.name);
  const ids = garbage.map((r) => r.id);
  const byId = new Map(garbage.map((r) => [r.id, r]));
  const oldDefs = new Map(previous?.resources.map((d) => [d.name, d]) ?? []);
  // Dependents first: a dropped resource waits for dropped ones that required it.
  const needs = (id: string) => {
    const requires = oldDefs.get(byId.get(id)!.name)?.requires ?? new Set<string>();
    return ids.filter((other) => requires.has(byId.get(other)!.name));
  };
  await walk(
    ids,
    reversed(ids, needs),
    async (id) => {
      const row = byId.get(id)!;
      const policy = oldDefs.get(row.name)?.deletionPolicy ?? 'Delete';
      await deleteResource(op, row, policy, { retire: true });
    },
    op.signal,
  );
}
