import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { RequestContext } from '../context.js';
import { DomainError, UnsupportedMediaType } from '../errors.js';
import { parseJsonBody } from './json-body.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads application/octet-stream bodies as a stream (image uploads). */
    rawBody?: boolean;
  }
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
 * Routes parse their input with TypeBox (src/http/schema.ts) and render views, so Fastify's own
 * schema compilers (ajv, fast-json-stringify) would never run. Naming these in their place keeps
 * Fastify from loading them at start-up: 30-50 ms of CPU. A route given a Fastify `schema` fails.
 */
const noFastifySchemas = (): never => {
  throw new Error('pocketstack routes parse with TypeBox (src/http/schema.ts): no Fastify schema');
};

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
    schemaController: {
      compilersFactory: { buildValidator: noFastifySchemas, buildSerializer: noFastifySchemas },
    },
    routerOptions: {
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
      maxParamLength: 1000,
    },
    // A request Node's parser refuses (oversized headers, bad framing) gets its status and no
    // body: it may be a HEAD, which must not carry one, and the connection closes anyway.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      if (!socket.writable) return socket.destroy();
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const reason = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    },
  });

  app.decorateRequest('ctx', null as unknown as RequestContext);

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonParser);

  // Uploads are handed to the route as the raw stream, never buffered; a route takes one only when
  // it says so (`config: { rawBody: true }`). Elsewhere the type is refused as Nova's WSGI layer
  // refuses it, even with an empty body.
  app.addContentTypeParser('application/octet-stream', (req, payload, done) => {
    if (req.routeOptions.config.rawBody) return done(null, payload);
    payload.resume();
    done(new UnsupportedMediaType('Unsupported Content-Type'));
  });

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

/** Fastify's content-type parser over parseJsonBody, for every JSON media type a service takes. */
export function jsonParser(
  _req: unknown,
  body: string | Buffer,
  done: (err: Error | null, body?: unknown) => void,
): void {
  let parsed: unknown;
  try {
    parsed = parseJsonBody(body.toString());
  } catch (err) {
    return done(
      err instanceof DomainError ? err : new UnsupportedMediaType('Unsupported Content-Type'),
    );
  }
  done(null, parsed);
}
