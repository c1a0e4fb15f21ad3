import type { FastifyInstance } from 'fastify';
import { formatVersion } from '../../../http/microversion.js';
import { MAX_VERSION, MIN_VERSION } from '../microversion.js';

function v3(base: string): Record<string, unknown> {
  return {
    id: 'v3.0',
    status: 'CURRENT',
    version: formatVersion(MAX_VERSION),
    min_version: formatVersion(MIN_VERSION),
    updated: '2022-08-31T00:00:00Z',
    links: [
      { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
      { rel: 'self', href: `${base}/volume/v3/` },
    ],
    'media-types': [
      { base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' },
    ],
  };
}

/** GET / answers 300 and GET /v3 200, both with a `versions` list (a Cinder quirk). No token. */
export function versionRoutes(app: FastifyInstance, baseUrl: () => string): void {
  app.get('/', async (_req, reply) => reply.code(300).send({ versions: [v3(baseUrl())] }));
  app.get('/v3', async () => ({ versions: [v3(baseUrl())] }));
}
