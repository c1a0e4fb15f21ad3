import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { IdentityService } from '../services/identity/service.js';
import { installErrorHandling } from './errors.js';
import { renderFault } from './faults.js';
import { requireToken } from './auth.js';

/**
 * The frame Nova and Cinder share: their fault bodies, `x-compute-request-id` on every answer
 * (both send it besides the common id), and under `prefix` a token check, then the microversion,
 * before every resource route. Version documents go on `app` itself: they need no token.
 */
export async function registerFaultApi(
  app: FastifyInstance,
  opts: {
    identity: IdentityService;
    prefix: string;
    microversion: preHandlerAsyncHookHandler;
    routes: (scoped: FastifyInstance) => void;
  },
): Promise<void> {
  installErrorHandling(app, renderFault);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-compute-request-id', req.id);
  });
  await app.register(
    async (scoped) => {
      scoped.addHook('onRequest', requireToken(opts.identity));
      scoped.addHook('preHandler', opts.microversion);
      opts.routes(scoped);
    },
    { prefix: opts.prefix },
  );
}
