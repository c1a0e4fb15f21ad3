import type { FastifyInstance } from 'fastify';
import { installErrorHandling } from '../../http/errors.js';
import { requireToken } from '../../http/auth.js';
import type { IdentityService } from './service.js';
import { renderIdentityError } from './errors.js';
import { versionRoutes } from './routes/versions.js';
import { authRoutes, issueTokenRoute } from './routes/auth.js';
import { projectRoutes } from './routes/projects.js';
import { userRoutes } from './routes/users.js';
import { roleRoutes } from './routes/roles.js';
import { domainRoutes } from './routes/domains.js';
import { grantRoutes } from './routes/grants.js';

/** Keystone v3 under /identity. */
export async function identityPlugin(
  app: FastifyInstance,
  opts: { identity: IdentityService },
): Promise<void> {
  const { identity } = opts;
  installErrorHandling(app, renderIdentityError);
  versionRoutes(app, identity);
  issueTokenRoute(app, identity);
  await app.register(async (authed) => {
    authed.addHook('onRequest', requireToken(identity));
    authRoutes(authed, identity);
    projectRoutes(authed, identity);
    userRoutes(authed, identity);
    roleRoutes(authed, identity);
    grantRoutes(authed, identity);
    domainRoutes(authed, identity);
  });
}
