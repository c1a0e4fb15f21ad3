import { createHash } from 'node:crypto';

/** A service pocketstack serves, as it appears in the Keystone catalog. */
export interface CatalogService {
  type: string;
  name: string;
  /** Path under the public base URL; `{project_id}` is replaced with the token's project. */
  path: string;
}

export interface CatalogEndpoint {
  id: string;
  interface: 'public' | 'internal' | 'admin';
  region: string;
  region_id: string;
  url: string;
}

export interface CatalogEntry {
  id: string;
  type: string;
  name: string;
  endpoints: CatalogEndpoint[];
}

const INTERFACES = ['public', 'internal', 'admin'] as const;

// Ids derived from names stay the same across restarts, as ids in a real catalog do.
function stableId(...parts: string[]): string {
  return createHash('sha1').update(parts.join('/')).digest('hex').slice(0, 32);
}

/**
 * The catalog: only services that are implemented appear. Every endpoint carries both `region`
 * (read by Tempest) and `region_id` (read by keystoneauth).
 */
export function buildCatalog(
  services: CatalogService[],
  baseUrl: string,
  region: string,
  projectId: string | null,
): CatalogEntry[] {
  return services
    .filter((s) => projectId !== null || !s.path.includes('{project_id}'))
    .map((s) => ({
      id: stableId('service', s.type),
      type: s.type,
      name: s.name,
      endpoints: INTERFACES.map((iface) => ({
        id: stableId('endpoint', s.type, iface),
        interface: iface,
        region,
        region_id: region,
        url: baseUrl + s.path.replace('{project_id}', projectId ?? ''),
      })),
    }));
}
