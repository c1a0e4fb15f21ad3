import { randomUUID } from 'node:crypto';
import { HeatFault } from '../errors.js';
import type { NestedDefinition, NestedStacks } from '../resources/types.js';
import type { StackEngine } from './engine.js';
import { shortId } from './names.js';
import type { Operation } from './operation.js';
import { reasons } from './stack-ops.js';
import type { StackResource } from './stack-store.js';

/** heat.conf max_nested_stack_depth's default. */
const MAX_DEPTH = 5;

/**
 * Child stacks of one resource: stacks like any other, owned by the parent stack, named
 * `<parent>-<resource>-<short id>` as Heat names them, run by the same engine with the parent
 * owner's rights.
 */
export function nestedStacks(engine: StackEngine, op: Operation, row: StackResource): NestedStacks {
  const parent = op.stack;
  const store = engine.deps.store;
  const owned = async (id: string) => {
    const child = await store.get(id);
    if (!child || child.ownerId !== parent.id) return undefined;
    return child;
  };
  return {
    async create(def: NestedDefinition) {
      if (parent.nestedDepth + 1 > MAX_DEPTH) {
        throw new HeatFault('StackValidationFailed', `Recursion depth exceeds ${MAX_DEPTH}.`);
      }
      const id = randomUUID();
      const name = `${parent.name}-${row.name}-${shortId(row.id)}`;
      await engine.prepare(def, { stackId: id, stackName: name, projectId: parent.projectId }, () =>
        Promise.resolve(null),
      );
      const child = await store.insert(
        {
          ...def,
          id,
          name,
          projectId: parent.projectId,
          userId: parent.userId,
          roles: parent.roles,
          ownerId: parent.id,
          nestedDepth: parent.nestedDepth + 1,
          disableRollback: true,
          tags: null,
        },
        { action: 'CREATE', status: 'IN_PROGRESS', reason: reasons.started('CREATE') },
      );
      engine.startCreate(child);
      return id;
    },
    async update(id, def) {
      const child = await owned(id);
      if (!child) throw new HeatFault('EntityNotFound', `The Stack (${id}) could not be found.`);
      await engine.prepare(
        def,
        { stackId: id, stackName: child.name, projectId: child.projectId },
        () => Promise.resolve(null),
      );
      await engine.startUpdate(child, { ...def, disableRollback: true, tags: child.tags });
    },
    async delete(id) {
      const child = await owned(id);
      if (!child || child.deletedAt !== null) return;
      await engine.startDelete(child);
    },
    async state(id) {
      const child = await owned(id);
      if (!child || child.deletedAt !== null) return null;
      return { action: child.action, status: child.status, reason: child.statusReason };
    },
    async outputs(id) {
      const child = await owned(id);
      const out = new Map<string, unknown>();
      if (!child) return out;
      const view = await engine.load(child, child.traversal, new AbortController().signal);
      for (const o of view.template.outputs) {
        try {
          out.set(o.name, await view.resolve(o.value));
        } catch {
          out.set(o.name, null);
        }
      }
      return out;
    },
    async output(id, name) {
      const child = await owned(id);
      if (!child) return undefined;
      const view = await engine.load(child, child.traversal, new AbortController().signal);
      const o = view.template.outputs.find((x) => x.name === name);
      if (!o) return undefined;
      try {
        return { value: await view.resolve(o.value), error: null };
      } catch (err) {
        return { value: null, error: err instanceof Error ? err.message : String(err) };
      }
    },
    async act(id, action) {
      const child = await owned(id);
      if (!child || child.deletedAt !== null) {
        throw new HeatFault('EntityNotFound', `The Stack (${id}) could not be found.`);
      }
      await engine.startAction(child, action);
    },
    async members(id) {
      const rows = await store.resources(id);
      return new Map(rows.filter((r) => r.current).map((r) => [r.name, r.physicalId]));
    },
    async attribute(id, resource, attribute, path) {
      const child = await owned(id);
      if (!child) return null;
      const view = await engine.load(child, child.traversal, new AbortController().signal);
      let value = await view.attributeOf(resource, attribute);
      for (const key of path) {
        if (value === null || typeof value !== 'object') return null;
        value = (value as Record<string, unknown>)[String(key)] ?? null;
      }
      return value;
    },
  };
}
