import { NO_QUERY, type ListQuery } from './listing.js';

export interface AvailabilityZone extends Record<string, unknown> {
  name: string;
  resource: string;
  state: string;
}

/**
 * A one-node DevStack's zones: its DHCP agent serves networks and its L3 agent routers, both
 * in `nova`. Every caller may list them.
 */
const ZONES: readonly AvailabilityZone[] = [
  { name: 'nova', resource: 'network', state: 'available' },
  { name: 'nova', resource: 'router', state: 'available' },
];

export class AvailabilityZones {
  /** Filters on name, resource and state (availability_zone_filter); zones have no ids to page by. */
  list(query: ListQuery = NO_QUERY): AvailabilityZone[] {
    return ZONES.filter((z) =>
      [...query.filters].every(([attr, values]) => values.length === 0 || values.includes(z[attr])),
    );
  }
}
