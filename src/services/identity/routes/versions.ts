import type { FastifyInstance } from 'fastify';
import type { IdentityService } from '../service.js';

function v3Entry(base: string): Record<string, unknown> {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${base}/identity/v3/` }],
    'media-types': [
      { base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' },
    ],
  };
}

/** GET / answers 300 with Keystone's extra `values` level; GET /v3 answers 200. No token needed. */
export function versionRoutes(app: FastifyInstance, identity: IdentityService): void {
  app.get('/', async (_req, reply) => {
    const base = identity.baseUrl();
    return reply
      .code(300)
      .header('location', `${base}/identity/v3/`)
      .send({ versions: { values: [v3Entry(base)] } });
  });
  app.get('/v3', async () => ({ version: v3Entry(identity.baseUrl()) }));
}
