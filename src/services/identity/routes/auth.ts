import type { FastifyInstance } from 'fastify';
import { BadRequest, NotFound } from '../../../errors.js';
import { isJsonObject } from '../../../http/input.js';
import type { AuthRequest, IdentityService } from '../service.js';
import { expecting } from '../errors.js';
import { tokenView } from '../views/token.view.js';
import { collection, domainView, projectView } from '../views/resources.view.js';
import { TokenIssue, querySchema } from './schemas.js';
import { keystoneParse, query } from './request.js';

const TokenQuery = querySchema(['nocatalog']);
const NoQuery = querySchema([]);

/**
 * The body of POST /v3/auth/tokens as Keystone reads it (keystone/api/auth.py and
 * keystone/auth/schema.py): no `auth` at all is "Expecting to find auth in request body"; an
 * `auth` is checked against token_issue, then for the id-or-name rules the schema cannot say.
 */
export function authRequest(body: unknown): AuthRequest {
  const auth = isJsonObject(body) && Object.hasOwn(body, 'auth') ? body.auth : undefined;
  if (auth === undefined || auth === null) throw expecting('auth', 'request body');
  const a = keystoneParse(TokenIssue, auth);
  const user = a.identity.password?.user;
  if (user) {
    if (user.id === undefined && user.name === undefined) {
      throw idOrName('identity/password/user');
    }
    if (user.domain && user.domain.id === undefined && user.domain.name === undefined) {
      throw idOrName('identity/password/user/domain');
    }
  }
  if (typeof a.scope === 'object') {
    const { project, domain } = a.scope;
    if (project && project.id === undefined && project.name === undefined) {
      throw idOrName('scope/project');
    }
    if (project?.domain && project.domain.id === undefined && project.domain.name === undefined) {
      throw idOrName('scope/project/domain');
    }
    if (domain && domain.id === undefined && domain.name === undefined) {
      throw idOrName('scope/domain');
    }
  }
  const identity = a.identity as Record<string, unknown>;
  return {
    methods: a.identity.methods,
    payloads: new Set(Object.keys(identity).filter((k) => k !== 'methods')),
    password: a.identity.password,
    token: a.identity.token,
    scope: a.scope,
  };
}

function idOrName(field: string): BadRequest {
  return new BadRequest(`Invalid input for field ${field}: id or name must be present.`);
}

/** POST /v3/auth/tokens: the one identity route that takes no token. */
export function issueTokenRoute(app: FastifyInstance, identity: IdentityService): void {
  app.post('/v3/auth/tokens', async (req, reply) => {
    const q = query(TokenQuery, req.query);
    const { id, token } = await identity.authenticate(authRequest(req.body));
    return reply
      .code(201)
      .header('x-subject-token', id)
      .send(tokenView(token, q.nocatalog !== undefined ? null : identity.catalogFor(token)));
  });
}

/** Token validation, check and revocation, and the /v3/auth/* discovery calls. */
export function authRoutes(app: FastifyInstance, identity: IdentityService): void {
  const base = (): string => `${identity.baseUrl()}/identity/v3`;
  // Keystone hands a missing X-Subject-Token to its token provider, whose answer is a 404.
  const subject = (headers: Record<string, unknown>): string => {
    const v = headers['x-subject-token'];
    if (typeof v !== 'string' || v === '') throw new NotFound('No token in the request');
    return v;
  };

  app.get('/v3/auth/tokens', async (req, reply) => {
    const q = query(TokenQuery, req.query);
    const id = subject(req.headers);
    const token = await identity.readToken(req.ctx, id, 'validate_token');
    return reply
      .header('x-subject-token', id)
      .send(tokenView(token, q.nocatalog !== undefined ? null : identity.catalogFor(token)));
  });

  app.head('/v3/auth/tokens', async (req, reply) => {
    await identity.readToken(req.ctx, subject(req.headers), 'check_token');
    return reply.code(200).send();
  });

  app.delete('/v3/auth/tokens', async (req, reply) => {
    await identity.revokeToken(req.ctx, subject(req.headers));
    return reply.code(204).send();
  });

  app.get('/v3/auth/catalog', async (req) => {
    query(NoQuery, req.query);
    return {
      catalog: await identity.catalogOfCaller(req.ctx),
      links: { self: `${base()}/auth/catalog` },
    };
  });

  app.get('/v3/auth/projects', async (req) => {
    query(NoQuery, req.query);
    const projects = await identity.projectsOfCaller(req.ctx);
    return collection(
      'projects',
      projects.map((p) => projectView(p, base())),
      `${base()}/auth/projects`,
    );
  });

  app.get('/v3/auth/domains', async (req) => {
    query(NoQuery, req.query);
    const domains = await identity.domainsOfCaller(req.ctx);
    return collection(
      'domains',
      domains.map((d) => domainView(d, base())),
      `${base()}/auth/domains`,
    );
  });

  app.get('/v3/auth/system', async (req) => {
    query(NoQuery, req.query);
    const system = await identity.callerHasSystemRole(req.ctx);
    return { system: system ? [{ all: true }] : [], links: { self: `${base()}/auth/system` } };
  });
}
