import { HeatFault } from '../errors.js';
import { walk } from './graph.js';
import type { Operation } from './operation.js';
import { recorded } from './resource-steps.js';
import { insertMissing, outcome, type Outcome } from './stack-ops.js';
import type { Stack } from './stack-store.js';

/** One resource as abandon writes it and adopt reads it (Resource.prepare_abandon). */
export interface AbandonedResource {
  name: string;
  type: string;
  action: string;
  status: string;
  resource_id: string | null;
  metadata: unknown;
  resource_data: Record<string, string>;
}

/** `stack abandon`'s answer: the stack's definition and what each resource is. */
export function abandonData(op: Operation): Record<string, unknown> {
  const s: Stack = op.stack;
  const resources: Record<string, AbandonedResource> = {};
  for (const [name, row] of op.resources) {
    resources[name] = {
      name,
      type: row.type,
      action: row.action,
      status: row.status,
      resource_id: row.physicalId,
      metadata: row.metadata ?? {},
      resource_data: row.data,
    };
  }
  return {
    name: s.name,
    id: s.id,
    action: s.action,
    status: s.status,
    template: s.template,
    environment: s.environment,
    files: s.files,
    resources,
    project_id: s.projectId,
    stack_user_project_id: s.projectId,
    tags: s.tags,
  };
}

/**
 * ADOPT: each resource takes over the physical resource the adopt data names (handle_adopt),
 * with its data; a resource the data does not name fails as Heat's does.
 */
export async function adoptAll(
  op: Operation,
  data: Record<string, AbandonedResource>,
): Promise<Outcome> {
  await insertMissing(op);
  return outcome(op, 'ADOPT', () =>
    walk(
      op.definitions.keys(),
      (name) => op.requires(name),
      async (name) => {
        const row = op.resources.get(name)!;
        const def = op.definitions.get(name)!;
        await recorded(op, row, 'ADOPT', async () => {
          const given = Object.hasOwn(data, name) ? data[name] : undefined;
          const id = given?.resource_id;
          if (typeof id !== 'string' || id === '') {
            throw new HeatFault('Exception', 'Resource ID was not provided.');
          }
          const props = await op.properties(def, op.typeOf(def));
          await op.deps.store.setPhysicalId(row.id, id);
          row.physicalId = id;
          const stored: Record<string, string> = {};
          for (const [k, v] of Object.entries(given?.resource_data ?? {})) {
            if (typeof v === 'string') stored[k] = v;
          }
          row.data = stored;
          await op.deps.store.setData(row.id, stored);
          row.properties = props;
          return { physical_resource_id: id, properties: JSON.stringify(props) };
        });
      },
      op.signal,
    ),
  );
}
