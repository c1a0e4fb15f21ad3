import type { FastifyInstance } from 'fastify';

/** GET / (and /v1/): Heat's one version, v1.0, CURRENT. Answered with 300 as Heat does at /. */
export function versionRoutes(app: FastifyInstance, baseUrl: () => string): void {
  const body = () => ({
    versions: [
      {
        id: 'v1.0',
        status: 'CURRENT',
        links: [{ rel: 'self', href: `${baseUrl()}/v1/` }],
      },
    ],
  });
  app.get('/', async (_req, reply) => reply.code(300).send(body()));
}
