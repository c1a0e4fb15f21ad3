import type { Selectable } from 'kysely';
import type { StackEventRow } from '../../../store/orchestration-schema.js';
import type { Stack } from '../service.js';
import { heatTime, stackHref } from './stack.view.js';

export type EventRow = Selectable<StackEventRow>;

/** heat/api/openstack/v1/events.py format_event: summary keys, or all with `detail`. */
export function eventView(
  base: string,
  stack: Stack,
  event: EventRow,
  opts: { detail: boolean; root: Stack | null },
): Record<string, unknown> {
  const stackUrl = stackHref(base, stack);
  const resourceUrl = `${stackUrl}/resources/${encodeURIComponent(event.resource_name)}`;
  const links = [
    { href: `${resourceUrl}/events/${event.id}`, rel: 'self' },
    { href: resourceUrl, rel: 'resource' },
    { href: stackUrl, rel: 'stack' },
  ];
  if (opts.root) links.push({ href: stackHref(base, opts.root), rel: 'root_stack' });
  return {
    id: event.id,
    links,
    event_time: heatTime(event.created_at),
    resource_name: event.resource_name,
    logical_resource_id: event.resource_name,
    resource_status: `${event.action}_${event.status}`,
    resource_status_reason: event.status_reason,
    physical_resource_id: event.physical_resource_id ?? '',
    ...(opts.detail ? { resource_type: event.resource_type, resource_properties: {} } : {}),
  };
}
