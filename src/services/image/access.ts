import type { ImageRow } from '../../store/schema.js';
import { Forbidden } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { Sql } from './list-query.js';

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
export function assertCanModify(
  ctx: RequestContext,
  row: ImageRow,
  action: string,
  refusal = `You are not authorized to complete ${action} action.`,
): void {
  if (ctx.isAdmin) return;
  if (row.owner !== null && row.owner === ctx.projectId && ctx.roles.includes('member')) return;
  throw new Forbidden(refusal);
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
): Sql {
  const only: Sql | undefined =
    visibility !== undefined && visibility !== 'all'
      ? { text: 'images.visibility = ?', params: [visibility] }
      : undefined;
  if (ctx.isAdmin) return only ?? { text: '1 = 1', params: [] };
  const me = ctx.projectId ?? '';
  const wants = (v: string): boolean =>
    visibility === undefined || visibility === 'all' || visibility === v;
  // The unary + keeps SQLite from answering the OR through the owner index (which fetches and
  // sorts every visible row); walking images_created in order stops after one page instead.
  const ors: string[] = ['+images.owner = ?'];
  const params: unknown[] = [me];
  if (wants('public')) {
    ors.push('images.visibility = ?');
    params.push('public');
  }
  if (visibility === 'community' || visibility === 'all') {
    ors.push('images.visibility = ?');
    params.push('community');
  }
  if (wants('shared')) {
    const status = memberStatus !== 'all' ? ' and image_members.status = ?' : '';
    ors.push(
      '(images.visibility = ? and exists (select 1 from image_members where image_members.image_id = images.id' +
        ` and image_members.member = ?${status}))`,
    );
    params.push('shared', me);
    if (status) params.push(memberStatus);
  }
  const visible = `(${ors.join(' or ')})`;
  return only
    ? { text: `${only.text} and ${visible}`, params: [...only.params, ...params] }
    : { text: visible, params };
}
