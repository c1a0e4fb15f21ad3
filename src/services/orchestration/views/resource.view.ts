import type { StackResource } from '../engine/stack-store.js';
import type { Stack } from '../service.js';
import { heatTime, stackHref } from './stack.view.js';

/** What a resource row shows besides itself: its place among the stack's resources. */
export interface ResourceShown {
  stack: Stack;
  resource: StackResource;
  requiredBy: string[];
  /** The nested stack a template resource or group made. */
  nested: Stack | null;
  /** The parent stack's resource this stack is (resources listed with nested_depth). */
  parentResource: string | null;
  /** with_detail and show: the resource's description and attributes. */
  detail: { description: string; attributes: Record<string, unknown> } | null;
}

/** format_stack_resource as the resources view shows it (stack keys and metadata dropped). */
export function resourceView(base: string, r: ResourceShown): Record<string, unknown> {
  const stackUrl = stackHref(base, r.stack);
  const links = [
    { href: `${stackUrl}/resources/${encodeURIComponent(r.resource.name)}`, rel: 'self' },
    { href: stackUrl, rel: 'stack' },
  ];
  if (r.nested) links.push({ href: stackHref(base, r.nested), rel: 'nested' });
  const row = r.resource;
  return {
    resource_name: row.name,
    logical_resource_id: row.name,
    physical_resource_id: row.physicalId ?? '',
    resource_status: `${row.action}_${row.status}`,
    resource_status_reason: row.statusReason,
    resource_type: row.type,
    creation_time: heatTime(row.createdAt),
    updated_time: heatTime(row.updatedAt ?? row.createdAt),
    required_by: r.requiredBy,
    links,
    ...(r.parentResource !== null ? { parent_resource: r.parentResource } : {}),
    ...(r.detail ?? {}),
  };
}
