import type { FastifyInstance } from 'fastify';
import { formatVersion } from '../../../http/microversion.js';
import { MAX_VERSION, MIN_VERSION } from '../microversion.js';

const mediaTypes = (version: string) => [
  { base: 'application/json', type: `application/vnd.openstack.compute+json;version=${version}` },
];

function describedby() {
  return { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' };
}

// Nova still serves the v2.0 compatibility API next to v2.1; both are listed, v2.0 first.
function v20(base: string): Record<string, unknown> {
  return {
    id: 'v2.0',
    status: 'SUPPORTED',
    version: '',
    min_version: '',
    updated: '2011-01-21T11:33:21Z',
    links: [{ rel: 'self', href: `${base}/compute/v2/` }],
  };
}

function v21(base: string): Record<string, unknown> {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: formatVersion(MAX_VERSION),
    min_version: formatVersion(MIN_VERSION),
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${base}/compute/v2.1/` }],
  };
}

function document(v: Record<string, unknown>, mediaVersion: string): Record<string, unknown> {
  return {
    version: {
      ...v,
      links: [...(v.links as unknown[]), describedby()],
      'media-types': mediaTypes(mediaVersion),
    },
  };
}

/** Version documents: 200 with a `versions` list at the root, a `version` at each version. No token. */
export function versionRoutes(app: FastifyInstance, baseUrl: () => string): void {
  app.get('/', async () => ({ versions: [v20(baseUrl()), v21(baseUrl())] }));
  app.get('/v2', async () => document(v20(baseUrl()), '2'));
  app.get('/v2.1', async () => document(v21(baseUrl()), '2.1'));
}
