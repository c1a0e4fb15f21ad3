import type { ImageMemberRow } from '../../../store/schema.js';
import { isoSeconds } from '../../../util.js';

export function memberView(m: ImageMemberRow): Record<string, unknown> {
  return {
    created_at: isoSeconds(m.created_at),
    image_id: m.image_id,
    member_id: m.member,
    schema: '/v2/schemas/member',
    status: m.status,
    updated_at: isoSeconds(m.updated_at),
  };
}

export function membersView(members: ImageMemberRow[]): Record<string, unknown> {
  return { members: members.map(memberView), schema: '/v2/schemas/members' };
}
