import type { FastifyInstance } from 'fastify';

/** GET /build_info: Heat reports no revision unless configured with one. */
export function buildInfoRoutes(app: FastifyInstance): void {
  app.get('/build_info', async () => ({
    api: { revision: 'unknown' },
    engine: { revision: 'unknown' },
  }));
}
