import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import { isoNow } from '../../util.js';

/**
 * Nova's instance actions: one row per user request on a server (`create`, `stop`,
 * `createImage`, ...), and the events the compute side records under it. The newest action of a
 * kind is the one a task's events belong to.
 */
export async function recordAction(
  ex: Db,
  ctx: RequestContext,
  serverId: string,
  action: string,
): Promise<void> {
  const now = isoNow();
  await ex
    .insertInto('instance_actions')
    .values({
      server_id: serverId,
      project_id: ctx.projectId ?? '',
      user_id: ctx.userId,
      request_id: ctx.requestId,
      action,
      message: null,
      start_time: now,
      finish_time: null,
      updated_at: now,
    })
    .execute();
}

/**
 * Runs `work` as an event (`compute_stop_instance`, ...) of the server's latest `action`:
 * recorded as started, then finished with `Success` or `Error` (and the action's message
 * `Error` too, as Nova marks a failed action).
 */
export async function withEvent<T>(
  db: Db,
  serverId: string,
  action: string,
  event: string,
  host: string,
  work: () => Promise<T>,
): Promise<T> {
  const row = await db
    .selectFrom('instance_actions')
    .select('id')
    .where('server_id', '=', serverId)
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  let eventId: number | undefined;
  if (row) {
    const inserted = await db
      .insertInto('instance_action_events')
      .values({
        action_id: row.id,
        event,
        result: null,
        traceback: null,
        host,
        start_time: isoNow(),
        finish_time: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    eventId = inserted.id;
  }
  const finish = async (result: string, traceback: string | null): Promise<void> => {
    if (!row || eventId === undefined) return;
    const now = isoNow();
    await db
      .updateTable('instance_action_events')
      .set({ result, traceback, finish_time: now })
      .where('id', '=', eventId)
      .execute();
    await db
      .updateTable('instance_actions')
      .set({
        finish_time: now,
        updated_at: now,
        ...(result === 'Error' ? { message: 'Error' } : {}),
      })
      .where('id', '=', row.id)
      .execute();
  };
  try {
    const out = await work();
    await finish('Success', null);
    return out;
  } catch (err) {
    await finish('Error', err instanceof Error ? (err.stack ?? err.message) : 'error').catch(
      () => undefined,
    );
    throw err;
  }
}
