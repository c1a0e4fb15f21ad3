import type { FastifyInstance } from 'fastify';
import { v20, v21, versionDocument } from '../views/version.view.js';
import { MAX_VERSION, MIN_VERSION } from './microversion.js';

const RANGE = { min: MIN_VERSION, max: MAX_VERSION };

/** Version documents: 200 with a `versions` list at the root, a `version` at each version. No token. */
export function versionRoutes(app: FastifyInstance, baseUrl: () => string): void {
  app.get('/', async () => ({ versions: [v20(baseUrl()), v21(baseUrl(), RANGE)] }));
  app.get('/v2', async () => versionDocument(v20(baseUrl()), '2'));
  app.get('/v2.1', async () => versionDocument(v21(baseUrl(), RANGE), '2.1'));
}
