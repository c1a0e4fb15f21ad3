import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.js';
import type { IdentityService } from '../services/identity/service.js';
import { renderIdentityError } from '../services/identity/errors.js';
import { sendError } from './errors.js';

/**
 * The token check every service runs before its handlers (keystonemiddleware's job). A missing
 * or invalid token gets keystonemiddleware's 401 body and WWW-Authenticate header, whatever the
 * service.
 */
export function requireToken(identity: IdentityService) {
  return async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = req.headers['x-auth-token'];
    const token = Array.isArray(header) ? header[0] : header;
    try {
      req.ctx = await identity.contextFor(token, req.id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      err.headers['www-authenticate'] = `Keystone uri="${identity.baseUrl()}/identity"`;
      await sendError(req, reply, err, renderIdentityError);
    }
  };
}
