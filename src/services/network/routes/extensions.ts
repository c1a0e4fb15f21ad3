import type { FastifyInstance } from 'fastify';
import type { NetworkService } from '../service.js';
import { extensionView } from '../views/extension.view.js';

type Params = { alias: string };

/**
 * /v2.0/extensions: every caller sees the whole list. Other methods fall through to the
 * not-found handler: Neutron answers them 404, not 405.
 */
export function extensionRoutes(app: FastifyInstance, network: NetworkService): void {
  app.get('/v2.0/extensions', async () => ({
    extensions: network.extensions.list().map(extensionView),
  }));

  app.get<{ Params: Params }>('/v2.0/extensions/:alias', async (req) => ({
    extension: extensionView(network.extensions.get(req.params.alias)),
  }));
}
