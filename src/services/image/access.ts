import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database, ImageRow } from '../../store/schema.js';
import { Forbidden } from '../../errors.js';
import type { RequestContext } from '../../http/context.js';

/**
 * Glance's visibility rules. A caller sees an image when it is admin, owns it, the image is public
 * or community, or it is shared and the caller's project is a member (in any member status).
 */
export function canSee(ctx: RequestContext, row: ImageRow, isMember: boolean): boolean {
  if (ctx.isAdmin || row.owner === ctx.projectId) return true;
  if (row.visibility === 'public' || row.visibility === 'community') return true;
  return row.visibility === 'shared' && isMember;
}

/** Changing an image, its data or its tags: admin, or a member (not a reader) of the owning project. */
export function assertCanModify(ctx: RequestContext, row: ImageRow, action: string): void {
  if (ctx.isAdmin) return;
  if (row.owner !== null && row.owner === ctx.projectId && ctx.roles.includes('member')) return;
  throw new Forbidden(`You are not authorized to complete ${action} action.`);
}

export function assertCanWrite(ctx: RequestContext, action: string): void {
  if (!ctx.isAdmin && !ctx.roles.includes('member')) {
    throw new Forbidden(`You are not authorized to complete ${action} action.`);
  }
}

/**
 * The list-time form of the same rules (glance/db/sqlalchemy/api.py _select_images_query): with
 * no visibility filter a non-admin gets its own images, public images and shared images it has
 * accepted (or `member_status`); community images only by asking for them.
 */
export function visibleCondition(
  ctx: RequestContext,
  visibility: string | undefined,
  memberStatus: string,
): (eb: ExpressionBuilder<Database, 'images'>) => Expression<SqlBool> {
  return (eb) => {
    const only = visibility !== undefined && visibility !== 'all' ? eb('images.visibility', '=', visibility) : undefined;
    if (ctx.isAdmin) return only ?? sql<SqlBool>`1 = 1`;
    const me = ctx.projectId ?? '';
    const wants = (v: string): boolean => visibility === undefined || visibility === 'all' || visibility === v;
    // The unary + keeps SQLite from answering the OR through the owner index (which fetches and
    // sorts every visible row); walking images_created in order stops after one page instead.
    const ors: Expression<SqlBool>[] = [eb(sql<string>`+${sql.ref('images.owner')}`, '=', me)];
    if (wants('public')) ors.push(eb('images.visibility', '=', 'public'));
    if (visibility === 'community' || visibility === 'all') ors.push(eb('images.visibility', '=', 'community'));
    if (wants('shared')) {
      let member = eb
        .selectFrom('image_members')
        .select('image_members.member')
        .whereRef('image_members.image_id', '=', 'images.id')
        .where('image_members.member', '=', me);
      if (memberStatus !== 'all') member = member.where('image_members.status', '=', memberStatus);
      ors.push(eb.and([eb('images.visibility', '=', 'shared'), eb.exists(member)]));
    }
    const visible = eb.or(ors);
    return only ? eb.and([only, visible]) : visible;
  };
}
