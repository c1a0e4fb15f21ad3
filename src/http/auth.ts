import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import { DomainError } from '../errors.js';
import { sendError } from './errors.js';
import { TITLES } from './titles.js';

/** What the token check needs of Keystone: the identity service provides it. */
export interface TokenAuthority {
  /** The caller's context for a token; throws a 401 domain error for a missing or bad one. */
  contextFor(token: string | undefined, requestId: string): Promise<RequestContext>;
  /** Public base URL, for the WWW-Authenticate header. */
  baseUrl(): string;
}

/** keystonemiddleware answers in Keystone's error format, whatever the service behind it. */
function renderAuthError(err: DomainError): unknown {
  return {
    error: { code: err.status, title: TITLES[err.status] ?? 'Error', message: err.message },
  };
}

/**
 * The token check every service runs before its handlers (keystonemiddleware's job). A missing
 * or invalid token gets keystonemiddleware's 401 body and WWW-Authenticate header, whatever the
 * service.
 */
export function requireToken(authority: TokenAuthority) {
  return async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = req.headers['x-auth-token'];
    const token = Array.isArray(header) ? header[0] : header;
    try {
      req.ctx = await authority.contextFor(token, req.id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      err.headers['www-authenticate'] = `Keystone uri="${authority.baseUrl()}/identity"`;
      await sendError(req, reply, err, renderAuthError);
    }
  };
}
