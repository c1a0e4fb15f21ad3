import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { RequestContext } from './context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook of services that require a token. */
    ctx: RequestContext;
    /** The domain error behind a 4xx/5xx, for the one request log line. */
    failure?: string;
  }
}

export interface HttpOptions {
  logLevel: string;
}

/**
 * The Fastify instance every service mounts on: request ids, one structured log line per
 * request, and body parsers for the media types OpenStack clients send.
 */
export function createHttpServer(opts: HttpOptions): FastifyInstance {
  const app = Fastify({
    logger: { level: opts.logLevel },
    // One line per request, written by the onResponse hook below.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'request_id',
    }),
    genReqId: () => `req-${randomUUID()}`,
    // HEAD is declared where OpenStack has it (token check, grant check), not derived from GET.
    exposeHeadRoutes: false,
    // Glance image uploads stream past any body limit: the octet-stream parser below never buffers.
    bodyLimit: 16 * 1024 * 1024,
    return503OnClosing: true,
    routerOptions: {
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
      maxParamLength: 1000,
    },
  });

  app.decorateRequest('ctx', null as unknown as RequestContext);

  // OpenStack clients (Tempest among them) send `Content-Type: application/json` with no body on
  // PUT and POST calls that take none; Keystone and Glance accept that, so an empty body is none.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    void parseJson(req, text, done);
  });

  // Uploads are handed to the route as the raw stream, never buffered.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) =>
    done(null, payload),
  );

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-openstack-request-id', req.id);
  });

  app.addHook('onResponse', async (req, reply) => {
    const line: Record<string, unknown> = {
      method: req.method,
      path: req.url,
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (req.ctx) line.user_id = req.ctx.userId;
    if (req.failure) line.error = req.failure;
    req.log.info(line, 'request');
  });

  return app;
}
