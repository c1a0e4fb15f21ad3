import type { Db } from '../store/db.js';
import type { TaskRow } from '../store/schema.js';
import { isoNow } from '../util.js';
import type { TaskScope } from './kinds.js';

export type QueuedTask = Omit<TaskRow, 'id'> & { id: number };

/**
 * The task table as a queue: tasks with one serial key form a line in id order, and only the
 * first of each line may run. Claiming is a conditional UPDATE, so several runners (processes,
 * one day, over PostgreSQL) never run one task twice nor two of one line at once.
 */
export async function insertTask(
  ex: Db,
  kind: string,
  targetId: string,
  payload: unknown,
  scope: TaskScope,
): Promise<void> {
  await ex
    .insertInto('tasks')
    .values({
      kind,
      target_id: targetId,
      payload: JSON.stringify(payload ?? {}),
      created_at: isoNow(),
      serial_key: scope.key,
      project_id: scope.projectId,
      claimed_by: null,
      claimed_at: null,
    })
    .execute();
}

/**
 * For each project, its oldest task that is first in its line and not claimed. A line whose
 * first task is claimed (running) offers nothing: its next task waits for that one to finish.
 */
export async function runnableByProject(
  db: Db,
  kinds: readonly string[],
): Promise<Array<{ id: number; project_id: string | null }>> {
  const rows = await db
    .selectFrom('tasks as t')
    .select((eb) => ['t.project_id', eb.fn.min<number>('t.id').as('id')])
    .where('t.claimed_by', 'is', null)
    .where('t.kind', 'in', kinds)
    .where('t.serial_key', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('tasks as u')
            .select('u.id')
            .whereRef('u.serial_key', '=', 't.serial_key')
            .whereRef('u.id', '<', 't.id'),
        ),
      ),
    )
    .groupBy('t.project_id')
    .execute();
  return rows;
}

/** Takes a task for `owner` if nobody has; returns the row, or undefined if another runner won. */
export async function claim(db: Db, id: number, owner: string): Promise<QueuedTask | undefined> {
  const res = await db
    .updateTable('tasks')
    .set({ claimed_by: owner, claimed_at: isoNow() })
    .where('id', '=', id)
    .where('claimed_by', 'is', null)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) return undefined;
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function finish(db: Db, id: number): Promise<void> {
  await db.deleteFrom('tasks').where('id', '=', id).execute();
}

/**
 * Claims whose runner is gone: in one process, every claim found at start-up (the process that
 * made it died). Several processes will need a lease (claimed_at plus a heartbeat) instead.
 */
export async function releaseClaims(db: Db, kinds: readonly string[]): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ claimed_by: null, claimed_at: null })
    .where('claimed_by', 'is not', null)
    .where('kind', 'in', kinds)
    .execute();
}

/** Rows written before tasks had a scope (migration 007): they get one before they run. */
export async function unscoped(db: Db, kinds: readonly string[]): Promise<QueuedTask[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('serial_key', 'is', null)
    .where('kind', 'in', kinds)
    .orderBy('id')
    .execute();
}

export async function setScope(db: Db, id: number, scope: TaskScope): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ serial_key: scope.key, project_id: scope.projectId })
    .where('id', '=', id)
    .execute();
}
