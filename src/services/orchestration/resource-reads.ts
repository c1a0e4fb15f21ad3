/**
 * Read-only answers about a stack's resources: `resource list` filters, descriptions and the
 * attributes `resource show` gives (heat/engine/api.py format_resource_attributes).
 */
import type { Operation } from './engine/operation.js';
import type { StackResource } from './engine/stack-store.js';
import type { TypeRegistry } from './resources/registry.js';
import { isMap } from './template/pyvalue.js';

/** Resource filters of `resource list`: exact values, status also as ACTION_STATUS. */
export const RESOURCE_FILTER_KEYS = new Set([
  'type',
  'status',
  'name',
  'action',
  'id',
  'physical_resource_id',
]);

export function resourceMatches(r: StackResource, filters: Map<string, string[]>): boolean {
  const field: Record<string, string> = {
    type: r.type,
    status: r.status,
    name: r.name,
    action: r.action,
    id: r.id,
    physical_resource_id: r.physicalId ?? '',
  };
  for (const [key, wanted] of filters) {
    const ok = wanted.some(
      (w) => w === field[key] || (key === 'status' && w === `${r.action}_${r.status}`),
    );
    if (!ok) return false;
  }
  return true;
}

/** A resource's `description` as its template entry gives it ('' when none). */
export function resourceDescription(
  _metadata: unknown,
  raw: Record<string, unknown>,
  name: string,
): string {
  const section = raw.resources ?? raw.Resources;
  if (!isMap(section) || !Object.hasOwn(section, name)) return '';
  const def = section[name];
  const d = isMap(def) ? (def.description ?? def.Description) : undefined;
  return typeof d === 'string' ? d : '';
}

/**
 * format_resource_attributes: the `show` attribute when it is a map (plus `with_attr` ones),
 * else every attribute of the type; an attribute that cannot be read is null.
 */
export async function resourceAttributes(
  op: Operation,
  row: StackResource,
  withAttr: string[],
  types: TypeRegistry,
): Promise<Record<string, unknown>> {
  const type = op.findType(row) ?? types.get(row.type);
  const read = async (attr: string): Promise<unknown> => {
    try {
      return (await op.attributeOf(row.name, attr)) ?? null;
    } catch {
      return null;
    }
  };
  const out: Record<string, unknown> = {};
  const set = (k: string, v: unknown) =>
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true });
  if (type?.show) {
    const shown = await read('show');
    if (isMap(shown)) {
      for (const [k, v] of Object.entries(shown)) set(k, v);
      for (const a of withAttr) if (!Object.hasOwn(out, a)) set(a, await read(a));
      return out;
    }
  }
  for (const attr of [...Object.keys(type?.attributes ?? {}), 'show', ...withAttr]) {
    if (!Object.hasOwn(out, attr)) set(attr, await read(attr));
  }
  return out;
}
