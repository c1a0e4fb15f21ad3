import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequest, DomainError, NotFound, OverLimit, UnsupportedMediaType } from '../errors.js';

/** Internal failure: the only error rendered as a 500; its cause is logged, never sent. */
export class InternalError extends DomainError {
  readonly status = 500;
}

/** Turns a domain error into this service's wire body. */
export type ErrorRenderer = (err: DomainError, req: FastifyRequest) => unknown;

/** Maps Fastify's own failures (wrong media type, body too large) to domain errors; JSON bodies
 * are parsed by http/json-body.ts, which throws domain errors itself. */
function fromFastify(err: FastifyError): DomainError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new UnsupportedMediaType('Unsupported Content-Type');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new OverLimit('Request body too large');
    default:
      return err.statusCode && err.statusCode >= 400 && err.statusCode < 500
        ? new BadRequest(err.message)
        : undefined;
  }
}

export function sendError(
  req: FastifyRequest,
  reply: FastifyReply,
  err: DomainError,
  render: ErrorRenderer,
): FastifyReply {
  req.failure = `${err.constructor.name}: ${err.message}`;
  return reply.code(err.status).headers(err.headers).send(render(err, req));
}

/**
 * Installs one error handler and one not-found handler on a service's plugin, so every failure
 * under that service's prefix leaves in that service's format. Unknown errors are a 500 whose
 * stack goes to the log.
 */
export function installErrorHandling(app: FastifyInstance, render: ErrorRenderer): void {
  app.setErrorHandler((error: FastifyError | DomainError, req, reply) => {
    let err = error instanceof DomainError ? error : fromFastify(error as FastifyError);
    if (!err) {
      req.log.error({ err: error }, 'unhandled error');
      err = new InternalError(
        'The server has either erred or is incapable of performing the requested operation.',
      );
    }
    return sendError(req, reply, err, render);
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(req, reply, new NotFound('The resource could not be found.'), render),
  );
}
