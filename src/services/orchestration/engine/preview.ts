import { HeatFault } from '../errors.js';
import type { ResourceDefinition } from '../template/types.js';
import type { StackEngine } from './engine.js';
import { Operation, unsavedRow } from './operation.js';
import type { Stack, StackDefinition, StackResource } from './stack-store.js';
import { decide } from './stack-update.js';

/** A resource as Heat's preview shows it: the engine's own dict, nothing made yet. */
function previewResource(op: Operation, name: string, tenant: string) {
  const def = op.definitions.get(name)!;
  const type = op.findType(def);
  const identity = (path: string) => ({
    tenant,
    stack_name: op.stack.name,
    stack_id: op.stack.id,
    path,
  });
  const requiredBy = [...op.definitions.keys()].filter((n) => op.requires(n).includes(name));
  return {
    resource_name: name,
    resource_type: def.type,
    stack_name: op.stack.name,
    stack_identity: identity(''),
    resource_identity: identity(`/resources/${name}`),
    resource_action: 'INIT',
    resource_status: 'COMPLETE',
    resource_status_reason: '',
    physical_resource_id: '',
    creation_time: null,
    updated_time: null,
    required_by: requiredBy,
    description: '',
    metadata: {},
    attributes: Object.fromEntries(Object.keys(type?.attributes ?? {}).map((a) => [a, null])),
  };
}

/**
 * Resource.validate's wrapping of a property that fails to resolve (a missing parameter), as
 * the API shows it: the RPC layer formats the path pieces again, doubling the separators.
 */
async function checkResolves(op: Operation, def: ResourceDefinition): Promise<void> {
  const props = def.properties;
  if (props === null || typeof props !== 'object' || Array.isArray(props)) return;
  for (const [key, value] of Object.entries(props)) {
    try {
      await op.resolve(value);
    } catch (err) {
      if (!(err instanceof HeatFault)) throw err;
      throw new HeatFault(
        'StackValidationFailed',
        `Property error: : resources.${def.name}.properties.${key}: : ${err.message}`,
      );
    }
  }
}

/** POST /stacks/preview: the stack as it would be, each resource with its properties. */
export async function previewCreate(
  engine: StackEngine,
  stack: Stack,
): Promise<{ resources: PreviewItem[]; parameters: Map<string, unknown> }> {
  const op = await engine.load(stack, 0, new AbortController().signal, []);
  return { resources: await previewOf(engine, op, null), parameters: op.parameters };
}

/** A preview's resource, or a nested stack's resources as a list of their own. */
export type PreviewItem = Record<string, unknown> | PreviewItem[];

/**
 * The preview of one stack's resources; a nested-stack resource shows as the list of its
 * child's (named `<stack>-<resource>`, each with `parent_resource`), as Heat's preview does.
 */
async function previewOf(
  engine: StackEngine,
  op: Operation,
  parentResource: string | null,
): Promise<PreviewItem[]> {
  op.previewing = true;
  const out: PreviewItem[] = [];
  for (const name of op.definitions.keys()) {
    const def = op.definitions.get(name)!;
    const type = op.typeOf(def);
    await checkResolves(op, def);
    const properties = await op.properties(def, type);
    if (type.childDefinition) {
      const child = await type.childDefinition(
        op.context(unsavedRow(op.stack.id, def)),
        properties,
      );
      const childStack: Stack = {
        ...op.stack,
        ...child,
        id: 'None',
        name: `${op.stack.name}-${name}`,
        ownerId: op.stack.id,
        nestedDepth: op.stack.nestedDepth + 1,
      };
      const childOp = await engine.load(childStack, 0, op.signal, []);
      childOp.outerNames = new Set([...op.outerNames, ...op.definitions.keys()]);
      out.push(await previewOf(engine, childOp, name));
      continue;
    }
    out.push({
      ...previewResource(op, name, op.stack.projectId),
      properties,
      ...(parentResource !== null ? { parent_resource: parentResource } : {}),
    });
  }
  return out;
}

/** PUT|PATCH .../preview: what an update would do to each resource, nothing done. */
export async function previewUpdate(
  engine: StackEngine,
  stack: Stack,
  next: StackDefinition,
): Promise<Record<string, Record<string, unknown>[]>> {
  const op = await engine.load(
    { ...stack, ...next },
    stack.traversal,
    new AbortController().signal,
  );
  op.previewing = true;
  const changes: Record<string, Record<string, unknown>[]> = {
    added: [],
    deleted: [],
    replaced: [],
    unchanged: [],
    updated: [],
  };
  for (const name of op.definitions.keys()) {
    const def = op.definitions.get(name)!;
    const row: StackResource | undefined = op.resources.get(name);
    const shown = previewResource(op, name, stack.projectId);
    if (!row) {
      changes.added!.push(shown);
      continue;
    }
    const change = await decide(op, def, row);
    const key = {
      create: 'added',
      unchanged: 'unchanged',
      update: 'updated',
      replace: 'replaced',
      settle: 'updated',
    }[change.kind];
    changes[key]!.push({ ...shown, physical_resource_id: row.physicalId ?? '' });
  }
  for (const [name, row] of op.resources) {
    if (op.definitions.has(name)) continue;
    changes.deleted!.push({
      resource_name: name,
      resource_type: row.type,
      physical_resource_id: row.physicalId ?? '',
    });
  }
  return changes;
}
