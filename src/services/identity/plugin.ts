import type { FastifyInstance, FastifyRequest } from 'fastify';
import { installErrorHandling } from '../../http/errors.js';
import { requireToken } from '../../http/auth.js';
import { isJsonObject } from '../../http/input.js';
import { parseJsonBody } from '../../http/json-body.js';
import type { IdentityService } from './service.js';
import { expecting, renderIdentityError } from './errors.js';
import { versionRoutes } from './routes/versions.js';
import { authRoutes, issueTokenRoute } from './routes/auth.js';
import { projectRoutes } from './routes/projects.js';
import { userRoutes } from './routes/users.js';
import { roleRoutes } from './routes/roles.js';
import { domainRoutes } from './routes/domains.js';
import { grantRoutes } from './routes/grants.js';

type Done = (err: Error | null, body?: unknown) => void;

/**
 * Keystone's JSON body rule (keystone/server/flask/request_processing/json_body.py): an empty
 * body is no body; a body must be a JSON object, sent as application/json (or *+json) or with no
 * Content-Type at all; anything else is its 400, whatever the route.
 */
function jsonObject(_req: FastifyRequest, body: string, done: Done): void {
  let parsed: unknown;
  try {
    parsed = parseJsonBody(body);
  } catch {
    return done(expecting('valid JSON', 'request body'));
  }
  if (parsed !== undefined && !isJsonObject(parsed)) {
    return done(expecting('valid JSON', 'request body'));
  }
  done(null, parsed);
}

function otherMediaType(req: FastifyRequest, body: Buffer, done: Done): void {
  if (body.length === 0) return done(null, undefined);
  if (req.headers['content-type'] === undefined) return jsonObject(req, body.toString(), done);
  done(expecting('application/json', 'Content-Type header'));
}

/** Keystone v3 under /identity. */
export async function identityPlugin(
  app: FastifyInstance,
  opts: { identity: IdentityService },
): Promise<void> {
  const { identity } = opts;
  installErrorHandling(app, renderIdentityError);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonObject);
  app.addContentTypeParser(
    /^application\/[^;\s]+\+json\s*(?:;|$)/,
    { parseAs: 'string' },
    jsonObject,
  );
  app.addContentTypeParser('*', { parseAs: 'buffer' }, otherMediaType);
  versionRoutes(app, identity);
  issueTokenRoute(app, identity);
  await app.register(async (authed) => {
    authed.addHook('onRequest', requireToken(identity));
    authRoutes(authed, identity);
    projectRoutes(authed, identity);
    userRoutes(authed, identity);
    roleRoutes(authed, identity);
    domainRoutes(authed, identity);
    grantRoutes(authed, identity);
  });
}
