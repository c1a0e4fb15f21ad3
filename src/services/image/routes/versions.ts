import type { FastifyInstance } from 'fastify';

/** Zed Glance without the image cache advertises v2.15 as CURRENT and 2.0-2.14 as SUPPORTED. */
const CURRENT_MINOR = 15;

export function versionsDocument(base: string): unknown {
  const versions = [];
  for (let minor = CURRENT_MINOR; minor >= 0; minor--) {
    versions.push({
      id: `v2.${minor}`,
      status: minor === CURRENT_MINOR ? 'CURRENT' : 'SUPPORTED',
      links: [{ rel: 'self', href: `${base}/image/v2/` }],
    });
  }
  return { versions };
}

/** GET / (and unknown versions) answers 300, GET /versions 200; no token needed. */
export function versionRoutes(app: FastifyInstance, baseUrl: () => string): void {
  app.get('/', async (_req, reply) => reply.code(300).send(versionsDocument(baseUrl())));
  app.get('/versions', async () => versionsDocument(baseUrl()));
}
