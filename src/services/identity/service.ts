import type { Db } from '../../store/db.js';
import type { DomainRow, UserRow } from '../../store/schema.js';
import { BadRequest, DomainError, Forbidden, NotFound, Unauthorized } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { Directory } from './directory.js';
import { Roles } from './roles.js';
import { Tokens, type Scope, type Token } from './tokens.js';
import { verifyPassword } from './passwords.js';
import { buildCatalog, type CatalogEntry, type CatalogService } from './catalog.js';

const AUTH_REQUIRED = 'The request you have made requires authentication.';

type Json = Record<string, unknown>;

function obj(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequest(
      `Invalid input for field '${field}': ${JSON.stringify(value)} is not of type 'object'`,
    );
  }
  return value as Json;
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw new BadRequest(
      `Invalid input for field '${field}': ${JSON.stringify(value)} is not of type 'string'`,
    );
  }
  return value;
}

export interface IdentityOptions {
  tokenTtlSeconds: number;
  region: string;
  /** Resolved at request time: the port is only known once the server listens. */
  baseUrl: () => string;
  services: CatalogService[];
}

/** Keystone: authentication, token validation for every other service, and the catalog. */
export class IdentityService {
  readonly directory: Directory;
  readonly roles: Roles;
  readonly tokens: Tokens;

  constructor(
    db: Db,
    private readonly opts: IdentityOptions,
  ) {
    this.directory = new Directory(db);
    this.roles = new Roles(db);
    this.tokens = new Tokens(db, this.directory, this.roles, opts.tokenTtlSeconds);
  }

  get region(): string {
    return this.opts.region;
  }

  baseUrl(): string {
    return this.opts.baseUrl();
  }

  catalogFor(token: Token): CatalogEntry[] {
    const projectId = token.scope.type === 'project' ? token.scope.project.id : null;
    if (token.scope.type === 'unscoped') return [];
    return buildCatalog(this.opts.services, this.opts.baseUrl(), this.opts.region, projectId);
  }

  /** Drops cached token validations; call after any change to who may do what. */
  changed(): void {
    this.tokens.forgetCached();
  }

  /** POST /v3/auth/tokens: verifies the identity and issues a token for the requested scope. */
  async authenticate(body: unknown): Promise<{ id: string; token: Token }> {
    const auth = obj(obj(body, 'auth').auth, 'auth');
    const identity = obj(auth.identity, 'identity');
    const methods = identity.methods;
    if (
      !Array.isArray(methods) ||
      methods.length === 0 ||
      !methods.every((m) => typeof m === 'string')
    ) {
      throw new BadRequest(
        "Invalid input for field 'identity/methods': 'methods' is a required property",
      );
    }

    let user: UserRow;
    let parent: Token | undefined;
    if (methods.includes('password')) {
      user = await this.verifyPasswordIdentity(obj(identity.password, 'password'));
    } else if (methods.includes('token')) {
      const tokenId = str(obj(identity.token, 'token').id, 'token/id');
      parent = await this.tokens.validate(tokenId).catch(() => {
        throw new Unauthorized(AUTH_REQUIRED);
      });
      user = parent.user;
    } else {
      throw new Unauthorized(`Attempted to authenticate with an unsupported method.`);
    }

    const scope = await this.resolveScope(auth.scope, user);
    const all = [...new Set([...(parent?.methods ?? []), ...(methods as string[])])];
    try {
      return await this.tokens.issue(user, scope, all, parent);
    } catch (err) {
      // The user holds no role on the requested target.
      if (err instanceof NotFound) throw new Unauthorized(AUTH_REQUIRED);
      throw err;
    }
  }

  private async verifyPasswordIdentity(password: Json): Promise<UserRow> {
    const u = obj(password.user, 'password/user');
    const secret = str(u.password, 'password/user/password');
    let user: UserRow | undefined;
    try {
      if (u.id !== undefined) {
        user = await this.directory.getUser(str(u.id, 'user/id'));
      } else {
        const domain = await this.domainRef(u.domain, 'user/domain');
        user = await this.directory.findUser(str(u.name, 'user/name'), domain.id);
      }
    } catch (err) {
      if (err instanceof NotFound) throw new Unauthorized(AUTH_REQUIRED);
      throw err;
    }
    if (
      !user.enabled ||
      !user.password_hash ||
      !(await verifyPassword(secret, user.password_hash))
    ) {
      throw new Unauthorized(AUTH_REQUIRED);
    }
    const domain = await this.directory.getDomain(user.domain_id);
    if (!domain.enabled) throw new Unauthorized(AUTH_REQUIRED);
    return user;
  }

  private async domainRef(value: unknown, field: string): Promise<DomainRow> {
    const d = obj(value, field);
    if (d.id !== undefined) return this.directory.getDomain(str(d.id, `${field}/id`));
    if (d.name !== undefined) return this.directory.findDomainByName(str(d.name, `${field}/name`));
    throw new BadRequest(`Invalid input for field '${field}': either id or name is required`);
  }

  private async resolveScope(value: unknown, user: UserRow): Promise<Scope> {
    if (value === undefined || value === 'unscoped') {
      // Without a scope Keystone uses the user's default project when the user has a role there.
      if (value === undefined && user.default_project_id) {
        const project = await this.directory
          .getProject(user.default_project_id)
          .catch(() => undefined);
        if (project && (await this.roles.effective(user.id, 'project', project.id)).length > 0) {
          return {
            type: 'project',
            project,
            domain: await this.directory.getDomain(project.domain_id),
          };
        }
      }
      return { type: 'unscoped' };
    }
    const scope = obj(value, 'scope');
    const kinds = ['project', 'domain', 'system', 'OS-TRUST:trust'].filter(
      (k) => scope[k] !== undefined,
    );
    if (kinds.length !== 1)
      throw new BadRequest('Specify only one of project, domain or system as the scope.');
    try {
      if (scope.project !== undefined) {
        const p = obj(scope.project, 'scope/project');
        const project =
          p.id !== undefined
            ? await this.directory.getProject(str(p.id, 'project/id'))
            : await this.directory.findProject(
                str(p.name, 'project/name'),
                (await this.domainRef(p.domain, 'project/domain')).id,
              );
        if (!project.enabled) throw new Unauthorized(AUTH_REQUIRED);
        return {
          type: 'project',
          project,
          domain: await this.directory.getDomain(project.domain_id),
        };
      }
      if (scope.domain !== undefined) {
        const domain = await this.domainRef(scope.domain, 'scope/domain');
        if (!domain.enabled) throw new Unauthorized(AUTH_REQUIRED);
        return { type: 'domain', domain };
      }
      if (scope.system !== undefined) {
        if (obj(scope.system, 'scope/system').all !== true)
          throw new BadRequest('System scope requires "all": true.');
        return { type: 'system' };
      }
    } catch (err) {
      if (err instanceof NotFound) throw new Unauthorized(AUTH_REQUIRED);
      throw err;
    }
    throw new Forbidden('Trusts are not supported.');
  }

  /** Resolves X-Auth-Token into the caller's context; every failure is Keystone's 401. */
  async contextFor(tokenId: string | undefined, requestId: string): Promise<RequestContext> {
    if (!tokenId) throw new Unauthorized(AUTH_REQUIRED);
    let token: Token;
    try {
      token = await this.tokens.validate(tokenId);
    } catch (err) {
      if (err instanceof DomainError) throw new Unauthorized(AUTH_REQUIRED);
      throw err;
    }
    const scope = token.scope;
    const roles = token.roles.map((r) => r.name);
    return {
      requestId,
      userId: token.user.id,
      userName: token.user.name,
      userDomainId: token.user.domain_id,
      projectId: scope.type === 'project' ? scope.project.id : null,
      projectName: scope.type === 'project' ? scope.project.name : null,
      domainId:
        scope.type === 'project'
          ? scope.project.domain_id
          : scope.type === 'domain'
            ? scope.domain.id
            : null,
      roles,
      isAdmin: roles.includes('admin'),
      token: tokenId,
    };
  }
}
