import type {
  DomainRow,
  ProjectRow,
  RoleAssignmentRow,
  RoleRow,
  UserRow,
} from '../../store/schema.js';
import { Forbidden, NotFound } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { Directory, DomainInput, ProjectInput, UserInput } from './directory.js';
import type { AssignmentFilter, Roles, TargetType } from './roles.js';
import { requireAdmin, requireAdminOrSelf } from './policy.js';

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

/** The admin calls that take a body; every one needs the admin role. */
export type BodyAction = `${'create' | 'update'}_${'domain' | 'project' | 'user' | 'role'}`;

/** Where a grant applies: a project, a domain, or the whole system. */
export type GrantTarget = { type: 'project' | 'domain'; id: string } | { type: 'system' };

/**
 * Keystone's admin API (domains, projects, users, roles, grants, role assignments) with its
 * policy: the half of IdentityService that manages the directory. Its changes reach the token
 * cache through the Directory's and the Roles' change callbacks.
 */
export abstract class IdentityAdmin {
  constructor(
    /** Read by other services' tests and Nova's project check; its changes reach the cache too. */
    readonly directory: Directory,
    protected readonly roles: Roles,
  ) {}

  /**
   * Keystone enforces policy before it reads a body: routes ask first, so a member's malformed
   * body is refused as a 403, as Keystone refuses it. Each method checks again for callers
   * that are not HTTP.
   */
  authorize(ctx: RequestContext, action: BodyAction): void {
    requireAdmin(ctx, action);
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
