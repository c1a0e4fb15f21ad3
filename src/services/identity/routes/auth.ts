import type { FastifyInstance } from 'fastify';
import { BadRequest, Forbidden, Unauthorized } from '../../../errors.js';
import type { RequestContext } from '../../../context.js';
import type { Token } from '../tokens.js';
import type { IdentityService } from '../service.js';
import { tokenView } from '../views/token.view.js';
import { collection, domainView, projectView } from '../views/resources.view.js';

/** POST /v3/auth/tokens: the one identity route that takes no token. */
export function issueTokenRoute(app: FastifyInstance, identity: IdentityService): void {
  app.post('/v3/auth/tokens', async (req, reply) => {
    const { id, token } = await identity.authenticate(req.body);
    const noCatalog = (req.query as Record<string, unknown>).nocatalog !== undefined;
    return reply
      .code(201)
      .header('x-subject-token', id)
      .send(tokenView(token, noCatalog ? null : identity.catalogFor(token)));
  });
}

/** Token validation, check and revocation, and the /v3/auth/* discovery calls. */
export function authRoutes(app: FastifyInstance, identity: IdentityService): void {
  const subject = (headers: Record<string, unknown>): string => {
    const v = headers['x-subject-token'];
    if (typeof v !== 'string' || v === '')
      throw new BadRequest('X-Subject-Token header is required.');
    return v;
  };

  // Keystone's default policy: admins and services may look at any token, a user at its own.
  const subjectToken = async (ctx: RequestContext, id: string, action: string): Promise<Token> => {
    const token = await identity.tokens.validate(id);
    if (!ctx.isAdmin && !ctx.roles.includes('service') && token.user.id !== ctx.userId) {
      throw new Forbidden(
        `You are not authorized to perform the requested action: identity:${action}.`,
      );
    }
    return token;
  };

  app.get('/v3/auth/tokens', async (req, reply) => {
    const id = subject(req.headers);
    const token = await subjectToken(req.ctx, id, 'validate_token');
    const noCatalog = (req.query as Record<string, unknown>).nocatalog !== undefined;
    return reply
      .header('x-subject-token', id)
      .send(tokenView(token, noCatalog ? null : identity.catalogFor(token)));
  });

  app.head('/v3/auth/tokens', async (req, reply) => {
    await subjectToken(req.ctx, subject(req.headers), 'check_token');
    return reply.code(200).send();
  });

  app.delete('/v3/auth/tokens', async (req, reply) => {
    const id = subject(req.headers);
    await subjectToken(req.ctx, id, 'revoke_token');
    await identity.tokens.revoke(id);
    return reply.code(204).send();
  });

  app.get('/v3/auth/catalog', async (req) => {
    const token = await identity.tokens.validate(req.ctx.token);
    if (token.scope.type === 'unscoped')
      throw new Unauthorized('The request you have made requires authentication.');
    const base = `${identity.baseUrl()}/identity/v3`;
    return {
      catalog: identity.catalogFor(token),
      links: { self: `${base}/auth/catalog`, previous: null, next: null },
    };
  });

  app.get('/v3/auth/projects', async (req) => {
    const base = `${identity.baseUrl()}/identity/v3`;
    const ids = await identity.roles.projectsOf(req.ctx.userId);
    const projects = await identity.directory.listProjects({ ids, enabled: true });
    return collection(
      'projects',
      projects.map((p) => projectView(p, base)),
      `${base}/auth/projects`,
    );
  });

  app.get('/v3/auth/domains', async (req) => {
    const base = `${identity.baseUrl()}/identity/v3`;
    const assigned = await identity.roles.assignments({
      userId: req.ctx.userId,
      targetType: 'domain',
    });
    const domains = [];
    for (const id of new Set(assigned.map((a) => a.target_id))) {
      domains.push(await identity.directory.getDomain(id));
    }
    return collection(
      'domains',
      domains.map((d) => domainView(d, base)),
      `${base}/auth/domains`,
    );
  });

  app.get('/v3/auth/system', async (req) => {
    const base = `${identity.baseUrl()}/identity/v3`;
    const system = await identity.roles.assignments({
      userId: req.ctx.userId,
      targetType: 'system',
    });
    return {
      system: system.length > 0 ? [{ all: true }] : [],
      links: { self: `${base}/auth/system` },
    };
  });
}
