import type { Db } from '../../store/db.js';
import type {
  DomainRow,
  ProjectRow,
  RoleAssignmentRow,
  RoleRow,
  UserRow,
} from '../../store/schema.js';
import { DomainError, Forbidden, NotFound, Unauthorized } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { Directory, type DomainInput, type ProjectInput, type UserInput } from './directory.js';
import { Roles, type AssignmentFilter, type TargetType } from './roles.js';
import { Tokens, type Token } from './tokens.js';
import { AUTH_REQUIRED, Authenticator, type AuthRequest } from './authentication.js';
import { buildCatalog, type CatalogEntry, type CatalogService } from './catalog.js';
import { bootstrap, type BootstrapPasswords } from './bootstrap.js';
import { requireAdmin, requireAdminOrSelf, requireTokenReader } from './policy.js';

export type { AuthRequest } from './authentication.js';

export interface IdentityOptions {
  tokenTtlSeconds: number;
  region: string;
  /** Resolved at request time: the port is only known once the server listens. */
  baseUrl: () => string;
  services: CatalogService[];
}

export interface ListFilter {
  name?: string;
  domain_id?: string;
  enabled?: boolean;
}

export type ProjectPatch = Partial<Omit<ProjectInput, 'domain_id'>> & { domain_id?: unknown };
export type UserPatch = Partial<Omit<UserInput, 'domain_id'>>;
export interface RoleInput {
  name: string;
  domain_id?: string | null;
  description?: string | null;
}

/** Where a grant applies: a project, a domain, or the whole system. */
export type GrantTarget = { type: 'project' | 'domain'; id: string } | { type: 'system' };

/**
 * Keystone: authentication, token validation for every other service, the catalog and the
 * admin API. The only way in: every method that acts for a caller takes its RequestContext and
 * checks Keystone's policy itself, so a caller that is not HTTP gets the same rules. The token
 * cache forgets what it knows whenever the directory or the role assignments change.
 */
export class IdentityService {
  /** Read by other services' tests and Nova's project check; its changes reach the cache too. */
  readonly directory: Directory;
  private readonly roles: Roles;
  private readonly tokens: Tokens;
  private readonly authenticator: Authenticator;

  constructor(
    db: Db,
    private readonly opts: IdentityOptions,
  ) {
    const changed = (): void => this.tokens.forgetCached();
    this.directory = new Directory(db, changed);
    this.roles = new Roles(db, changed);
    this.tokens = new Tokens(db, this.directory, this.roles, opts.tokenTtlSeconds);
    this.authenticator = new Authenticator(this.directory, this.roles, this.tokens);
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

  // ---- domains ----

  async listDomains(ctx: RequestContext, filter: ListFilter): Promise<DomainRow[]> {
    requireAdmin(ctx, 'list_domains');
    return this.directory.listDomains(filter);
  }

  async createDomain(ctx: RequestContext, input: DomainInput): Promise<DomainRow> {
    requireAdmin(ctx, 'create_domain');
    return this.directory.createDomain(input);
  }

  async getDomain(ctx: RequestContext, id: string): Promise<DomainRow> {
    if (ctx.domainId !== id) requireAdmin(ctx, 'get_domain');
    return this.directory.getDomain(id);
  }

  async updateDomain(
    ctx: RequestContext,
    id: string,
    patch: Partial<DomainInput>,
  ): Promise<DomainRow> {
    requireAdmin(ctx, 'update_domain');
    return this.directory.updateDomain(id, patch);
  }

  async deleteDomain(ctx: RequestContext, id: string): Promise<void> {
    requireAdmin(ctx, 'delete_domain');
    return this.directory.deleteDomain(id);
  }

  // ---- projects ----

  async listProjects(ctx: RequestContext, filter: ListFilter): Promise<ProjectRow[]> {
    requireAdmin(ctx, 'list_projects');
    return this.directory.listProjects(filter);
  }

  async createProject(ctx: RequestContext, input: ProjectInput): Promise<ProjectRow> {
    requireAdmin(ctx, 'create_project');
    return this.directory.createProject(input);
  }

  /** Anyone may read the project their token is scoped to. */
  async getProject(ctx: RequestContext, id: string): Promise<ProjectRow> {
    if (ctx.projectId !== id) requireAdmin(ctx, 'get_project');
    return this.directory.getProject(id);
  }

  async updateProject(ctx: RequestContext, id: string, patch: ProjectPatch): Promise<ProjectRow> {
    requireAdmin(ctx, 'update_project');
    if (patch.domain_id !== undefined) throw new Forbidden('Update of `domain_id` is not allowed.');
    return this.directory.updateProject(id, patch);
  }

  async deleteProject(ctx: RequestContext, id: string): Promise<void> {
    requireAdmin(ctx, 'delete_project');
    return this.directory.deleteProject(id);
  }

  // ---- users ----

  async listUsers(ctx: RequestContext, filter: ListFilter): Promise<UserRow[]> {
    requireAdmin(ctx, 'list_users');
    return this.directory.listUsers(filter);
  }

  async createUser(ctx: RequestContext, input: UserInput): Promise<UserRow> {
    requireAdmin(ctx, 'create_user');
    return this.directory.createUser(input);
  }

  async getUser(ctx: RequestContext, id: string): Promise<UserRow> {
    requireAdminOrSelf(ctx, id, 'get_user');
    return this.directory.getUser(id);
  }

  async updateUser(ctx: RequestContext, id: string, patch: UserPatch): Promise<UserRow> {
    requireAdmin(ctx, 'update_user');
    return this.directory.updateUser(id, patch);
  }

  async deleteUser(ctx: RequestContext, id: string): Promise<void> {
    requireAdmin(ctx, 'delete_user');
    return this.directory.deleteUser(id);
  }

  async listUserProjects(ctx: RequestContext, userId: string): Promise<ProjectRow[]> {
    requireAdminOrSelf(ctx, userId, 'list_user_projects');
    await this.directory.getUser(userId);
    return this.directory.listProjects({ ids: await this.roles.projectsOf(userId) });
  }

  // ---- roles and grants ----

  async listRoles(
    ctx: RequestContext,
    filter: { name?: string; domain_id?: string },
  ): Promise<RoleRow[]> {
    requireAdmin(ctx, 'list_roles');
    return this.roles.list(filter);
  }

  async createRole(ctx: RequestContext, input: RoleInput): Promise<RoleRow> {
    requireAdmin(ctx, 'create_role');
    return this.roles.create(input);
  }

  async getRole(ctx: RequestContext, id: string): Promise<RoleRow> {
    requireAdmin(ctx, 'get_role');
    return this.roles.get(id);
  }

  async updateRole(ctx: RequestContext, id: string, patch: Partial<RoleInput>): Promise<RoleRow> {
    requireAdmin(ctx, 'update_role');
    return this.roles.update(id, patch);
  }

  async deleteRole(ctx: RequestContext, id: string): Promise<void> {
    requireAdmin(ctx, 'delete_role');
    return this.roles.delete(id);
  }

  async listGrants(ctx: RequestContext, target: GrantTarget, userId: string): Promise<RoleRow[]> {
    requireAdmin(ctx, 'list_grants');
    const [type, id] = await this.target(target);
    await this.directory.getUser(userId);
    return this.roles.assigned(userId, type, id);
  }

  async grant(ctx: RequestContext, target: GrantTarget, userId: string, roleId: string) {
    requireAdmin(ctx, 'create_grant');
    const [type, id] = await this.grantParts(target, userId, roleId);
    await this.roles.grant(userId, type, id, roleId);
  }

  async checkGrant(ctx: RequestContext, target: GrantTarget, userId: string, roleId: string) {
    requireAdmin(ctx, 'check_grant');
    const [type, id] = await this.grantParts(target, userId, roleId);
    if (!(await this.roles.isGranted(userId, type, id, roleId))) {
      throw new NotFound(`Could not find role assignment with role: ${roleId}.`);
    }
  }

  async revokeGrant(ctx: RequestContext, target: GrantTarget, userId: string, roleId: string) {
    requireAdmin(ctx, 'revoke_grant');
    const [type, id] = await this.grantParts(target, userId, roleId);
    await this.roles.revoke(userId, type, id, roleId);
  }

  /** A user may list their own assignments; everything else is admin-only. */
  async listRoleAssignments(
    ctx: RequestContext,
    filter: AssignmentFilter,
  ): Promise<RoleAssignmentRow[]> {
    if (filter.userId !== ctx.userId) requireAdmin(ctx, 'list_role_assignments');
    return this.roles.assignments(filter);
  }

  private async target(target: GrantTarget): Promise<[TargetType, string]> {
    if (target.type === 'system') return ['system', 'all'];
    if (target.type === 'project') await this.directory.getProject(target.id);
    else await this.directory.getDomain(target.id);
    return [target.type, target.id];
  }

  private async grantParts(
    target: GrantTarget,
    userId: string,
    roleId: string,
  ): Promise<[TargetType, string]> {
    const parts = await this.target(target);
    await this.directory.getUser(userId);
    await this.roles.get(roleId);
    return parts;
  }
}
