import type { Db } from '../../store/db.js';
import type { ImageRow } from '../../store/schema.js';
import { Conflict, NotFound } from '../../errors.js';
import { isoNow } from '../../util.js';
import { canTransition } from './model.js';

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
  if (!canTransition(from, to)) throw transitionError(from, to);
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
