import type { Db } from '../../store/db.js';
import type { DomainRow, ProjectRow, UserRow } from '../../store/schema.js';
import { DomainError, Forbidden, Unauthorized } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { Directory } from './directory.js';
import { Roles } from './roles.js';
import { Tokens, type Token } from './tokens.js';
import { AUTH_REQUIRED, Authenticator, type AuthRequest } from './authentication.js';
import { buildCatalog, type CatalogEntry, type CatalogService } from './catalog.js';
import { bootstrap, type BootstrapPasswords } from './bootstrap.js';
import { requireTokenReader } from './policy.js';
import { IdentityAdmin } from './admin.js';

export type { AuthRequest } from './authentication.js';
export type { GrantTarget, ListFilter, ProjectPatch, RoleInput, UserPatch } from './admin.js';

export interface IdentityOptions {
  tokenTtlSeconds: number;
  region: string;
  /** Resolved at request time: the port is only known once the server listens. */
  baseUrl: () => string;
  services: CatalogService[];
}

/**
 * Keystone: authentication, token validation for every other service, the catalog and the
 * admin API. The only way in: every method that acts for a caller takes its RequestContext and
 * checks Keystone's policy itself, so a caller that is not HTTP gets the same rules. The token
 * cache forgets what it knows whenever the directory or the role assignments change.
 */
export class IdentityService extends IdentityAdmin {
  private readonly tokens: Tokens;
  private readonly authenticator: Authenticator;

  private readonly opts: IdentityOptions;

  constructor(db: Db, opts: IdentityOptions) {
    // The directory and the roles exist before the token cache they notify.
    const cache: { tokens?: Tokens } = {};
    const changed = (): void => cache.tokens?.forgetCached();
    super(new Directory(db, changed), new Roles(db, changed));
    this.tokens = new Tokens(db, this.directory, this.roles, opts.tokenTtlSeconds);
    cache.tokens = this.tokens;
    this.authenticator = new Authenticator(this.directory, this.roles, this.tokens);
    this.opts = opts;
  }

  get region(): string {
    return this.opts.region;
  }

  baseUrl(): string {
    return this.opts.baseUrl();
  }

  /** The Default domain, the standard roles, admin and demo: run at every start. */
  bootstrap(passwords: BootstrapPasswords): Promise<void> {
    return bootstrap(this.directory, this.roles, passwords);
  }

  deleteExpiredTokens(): Promise<void> {
    return this.tokens.deleteExpired();
  }

  /** For changes made behind the service's back (tests that edit the database). */
  forgetCachedTokens(): void {
    this.tokens.forgetCached();
  }

  // ---- for other services (their own service credentials in OpenStack: no caller policy) ----

  /** Nova asks Keystone whether a project exists before it touches its quotas. */
  projectById(id: string): Promise<ProjectRow> {
    return this.directory.getProject(id);
  }

  projectByName(name: string, domainId: string): Promise<ProjectRow> {
    return this.directory.findProject(name, domainId);
  }

  userByName(name: string, domainId: string): Promise<UserRow> {
    return this.directory.findUser(name, domainId);
  }

  // ---- tokens ----

  /** POST /v3/auth/tokens: verifies the identity and issues a token for the requested scope. */
  authenticate(auth: AuthRequest): Promise<{ id: string; token: Token }> {
    return this.authenticator.authenticate(auth);
  }

  catalogFor(token: Token): CatalogEntry[] {
    if (token.scope.type === 'unscoped') return [];
    const projectId = token.scope.type === 'project' ? token.scope.project.id : null;
    return buildCatalog(this.opts.services, this.opts.baseUrl(), this.opts.region, projectId);
  }

  /** GET (validate_token) and HEAD (check_token) /v3/auth/tokens. */
  async readToken(ctx: RequestContext, id: string, action: string): Promise<Token> {
    const token = await this.tokens.validate(id);
    requireTokenReader(ctx, token.user.id, action);
    return token;
  }

  async revokeToken(ctx: RequestContext, id: string): Promise<void> {
    await this.readToken(ctx, id, 'revoke_token');
    await this.tokens.revoke(id);
  }

  /**
   * The catalog of the caller's own token (/v3/auth/catalog). Keystone wants a project-scoped
   * token; its refusal is a Forbidden, which it words as the generic policy text.
   */
  async catalogOfCaller(ctx: RequestContext): Promise<CatalogEntry[]> {
    const token = await this.tokens.validate(ctx.token);
    if (token.scope.type !== 'project') {
      throw new Forbidden('You are not authorized to perform the requested action.');
    }
    return this.catalogFor(token);
  }

  /** Projects the caller may scope to (enabled, with a role). */
  async projectsOfCaller(ctx: RequestContext): Promise<ProjectRow[]> {
    const ids = await this.roles.projectsOf(ctx.userId);
    return this.directory.listProjects({ ids, enabled: true });
  }

  async domainsOfCaller(ctx: RequestContext): Promise<DomainRow[]> {
    const assigned = await this.roles.assignments({ userId: ctx.userId, targetType: 'domain' });
    const domains = [];
    for (const id of new Set(assigned.map((a) => a.target_id))) {
      domains.push(await this.directory.getDomain(id));
    }
    return domains;
  }

  async callerHasSystemRole(ctx: RequestContext): Promise<boolean> {
    const system = await this.roles.assignments({ userId: ctx.userId, targetType: 'system' });
    return system.length > 0;
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
