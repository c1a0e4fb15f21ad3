import { isGone } from './failure.js';
import { walk } from './graph.js';
import type { Operation } from './operation.js';
import { recorded } from './resource-steps.js';
import { outcome, type Outcome } from './stack-ops.js';
import type { SnapshotData, SnapshotResource } from './snapshot-store.js';

/**
 * SNAPSHOT: every resource at once; types that can (servers, volumes) take their snapshot
 * through Nova or Cinder, real data, and return what a restore needs. The result is Heat's
 * snapshot data: the stack's definition with each resource's resource_data.
 */
export async function snapshotAll(
  op: Operation,
): Promise<{ result: Outcome; data: SnapshotData | null }> {
  const taken = new Map<string, Record<string, unknown>>();
  const names = [...op.resources.keys()];
  const result = await outcome(op, 'SNAPSHOT', () =>
    walk(
      names,
      () => [],
      async (name) => {
        const row = op.resources.get(name)!;
        const type = op.typeOf(row);
        await recorded(op, row, 'SNAPSHOT', async () => {
          if (row.physicalId !== null && type.snapshot) {
            taken.set(name, await type.snapshot(op.context(row), row.physicalId));
          }
          return {};
        });
      },
      op.signal,
    ),
  );
  if (result.status !== 'COMPLETE') return { result, data: null };
  const resources: Record<string, SnapshotResource> = {};
  for (const [name, row] of op.resources) {
    resources[name] = {
      name,
      type: row.type,
      action: row.action,
      status: row.status,
      resource_id: row.physicalId,
      resource_data: taken.get(name) ?? {},
      metadata: row.metadata ?? {},
    };
  }
  const s = op.stack;
  return {
    result,
    data: {
      id: s.id,
      name: s.name,
      action: 'SNAPSHOT',
      status: 'COMPLETE',
      template: s.template,
      environment: s.environment,
      files: s.files,
      parameters: s.parameters,
      project_id: s.projectId,
      resources,
    },
  };
}

/** What a snapshot made, deleted (the snapshot or its stack is going away). */
export async function deleteSnapshotData(op: Operation, data: SnapshotData): Promise<void> {
  for (const res of Object.values(data.resources)) {
    const type = op.deps.types.get(res.type);
    const row = op.resources.get(res.name) ?? op.rows.find((r) => r.name === res.name);
    if (!type?.deleteSnapshot || !row || Object.keys(res.resource_data).length === 0) continue;
    try {
      await type.deleteSnapshot(op.context(row), res.resource_data);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
  }
}
