import type { RequestContext } from '../../context.js';
import { notAuthorized } from './errors.js';

/**
 * Keystone's default policy, reduced to what pocketstack needs: the admin API needs the admin
 * role; a caller may read itself, the project or domain its token is scoped to, and its own
 * tokens and role assignments.
 */
export function requireAdmin(ctx: RequestContext, action: string): void {
  if (!ctx.isAdmin) throw notAuthorized(action);
}

/** Admin, or the caller itself (identity:get_user and friends: "rule:owner"). */
export function requireAdminOrSelf(ctx: RequestContext, userId: string, action: string): void {
  if (ctx.userId !== userId) requireAdmin(ctx, action);
}

/** Admins and services may look at any token, a user at its own (identity:validate_token). */
export function requireTokenReader(ctx: RequestContext, ownerId: string, action: string): void {
  if (!ctx.isAdmin && !ctx.roles.includes('service') && ownerId !== ctx.userId) {
    throw notAuthorized(action);
  }
}
