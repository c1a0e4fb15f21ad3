import type { RequestContext } from '../../context.js';
import { Forbidden } from '../../errors.js';

/** The 403 of a policy rule Nova checks (nova/policies): its text names the rule. */
export function denied(rule: string): Forbidden {
  return new Forbidden(`Policy doesn't allow os_compute_api:${rule} to be performed.`);
}

/** Rules whose default is `rule:context_is_admin` (role:admin). */
export function requireAdmin(ctx: RequestContext, rule: string): void {
  if (!ctx.isAdmin) throw denied(rule);
}

/**
 * Nova's database layer (nova/context.py require_context) serves an admin, or a user with a
 * project; a token scoped to no project (unscoped, domain or system) without the admin role
 * is refused with a bare "Forbidden" by whatever reaches the quota tables first (key pair
 * create, limits). Returns the project to use ('' for an admin without one).
 */
export function requireUserContext(ctx: RequestContext): string {
  if (!ctx.isAdmin && !ctx.projectId) throw new Forbidden('Forbidden');
  return ctx.projectId ?? '';
}
