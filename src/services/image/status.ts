import type { Db } from '../../store/db.js';
import type { ImageRow } from '../../store/schema.js';
import { Conflict, NotFound } from '../../errors.js';
import { isoNow } from '../../util.js';
import { canMove, type Transitions } from '../../store/states.js';
import type { ImageStatus } from './model.js';

/**
 * Glance's allowed status transitions (glance/domain/__init__.py Image.valid_state_targets).
 * Every status change goes through `moveStatus`, so an illegal move is a 409, never an overwrite.
 */
export const IMAGE_TRANSITIONS: Transitions<ImageStatus> = {
  queued: ['saving', 'uploading', 'importing', 'active', 'deleted'],
  saving: ['active', 'killed', 'deleted', 'queued'],
  uploading: ['importing', 'queued', 'deleted'],
  importing: ['active', 'deleted', 'queued'],
  active: ['pending_delete', 'deleted', 'deactivated'],
  killed: ['deleted'],
  pending_delete: ['deleted', 'active'],
  deactivated: ['active', 'deleted'],
  deleted: [],
};

function transitionError(from: string, to: string): Conflict {
  return new Conflict(`Image status transition from ${from} to ${to} is not allowed`);
}

/**
 * Every image status change: checked against Glance's transition table, then a conditional
 * UPDATE, so a request that lost a race gets Glance's 409 instead of overwriting the winner.
 */
export async function moveStatus(
  db: Db,
  id: string,
  from: string,
  to: string,
  extra: Partial<ImageRow> = {},
): Promise<void> {
  if (!canMove(IMAGE_TRANSITIONS, from as ImageStatus, to as ImageStatus))
    throw transitionError(from, to);
  const res = await db
    .updateTable('images')
    .set({ ...extra, status: to, updated_at: isoNow() })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) {
    const now = await db
      .selectFrom('images')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!now) throw new NotFound(`No image found with ID ${id}`);
    throw transitionError(now.status, to);
  }
}
