import type { RequestContext } from '../../context.js';
import type { StackResource, StackStore } from './engine/stack-store.js';
import { HeatFault } from './errors.js';
import type { ResourceData } from './resources/types.js';

/** An output as `stack show` and `output show` give it. */
export interface StackOutput {
  key: string;
  description: string | null;
  value: unknown;
  error: string | null;
}

/** A resource's data as a ResourceData, written through to its row. */
export function storedData(store: StackStore, row: StackResource): ResourceData {
  return {
    get: (key) => (Object.hasOwn(row.data, key) ? row.data[key] : undefined),
    set: async (key, value) => {
      row.data = { ...row.data, [key]: value };
      await store.setData(row.id, row.data);
    },
    all: () => ({ ...row.data }),
  };
}

export function requireProject(ctx: RequestContext): string {
  if (!ctx.projectId)
    throw new HeatFault('Forbidden', 'You are not authorized to complete this action.', 403);
  return ctx.projectId;
}

export function stackNotFound(name: string): HeatFault {
  return new HeatFault('EntityNotFound', `The Stack (${name}) could not be found.`, 404);
}
