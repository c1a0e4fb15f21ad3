import type { Insertable, Transaction, Updateable } from 'kysely';
import { GroupedUpdates } from './grouped-updates.js';
import type { Db } from '../../../store/db.js';
import type { Database } from '../../../store/schema.js';
import type { StackEventRow, StackResourceRow } from '../../../store/orchestration-schema.js';

/** What one write sees of the transaction it shares with the others of its batch. */
export interface BatchTx {
  tx: Transaction<Database>;
  /** Whether operation `traversal` still owns the stack (asked once per stack a batch). */
  owns(stackId: string, traversal: number): Promise<boolean>;
  /** An event row, inserted with the batch's others at its end, in the order written. */
  event(row: Insertable<StackEventRow>): void;
  /**
   * A change to a resource row, made with the batch's identical changes to other rows in one
   * UPDATE (a wave's IN_PROGRESS moves are one statement).
   */
  updateResource(id: string, set: Updateable<StackResourceRow>): Promise<void>;
}

interface Pending {
  work: (b: BatchTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** SQLite's default limit of bound values is 32766; an event row binds 9. */
const EVENTS_PER_INSERT = 1000;

/**
 * Group commit for the resource writes of running steps. Steps that run at once (a wave of
 * independent resources) write their moves within the same turn of the event loop; each write
 * waits for one transaction that carries the whole turn's writes, instead of a commit each
 * (a commit costs more than the writes in it). Every write still resolves only once it is
 * committed, so what a step does next (wait on a physical id it stored) happens after it is
 * durable, as before; a crash before the commit loses only writes no step has gone past.
 */
export class WriteBatch {
  private queue: Pending[] = [];

  constructor(private readonly db: Db) {}

  /** Runs `work` in the next batch's transaction; settles when that transaction commits. */
  run<T>(work: (b: BatchTx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      // setImmediate: after every step that is ready in this turn has queued its write.
      if (this.queue.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const items = this.queue;
    this.queue = [];
    let results: unknown[];
    try {
      results = await this.commit(items);
    } catch (err) {
      if (items.length === 1) {
        items[0]!.reject(err);
        return;
      }
      // One write failed and took the batch with it: each again alone, so only it fails.
      for (const item of items) {
        await this.commit([item]).then(([r]) => item.resolve(r), item.reject);
      }
      return;
    }
    items.forEach((item, i) => item.resolve(results[i]));
  }

  private commit(items: Pending[]): Promise<unknown[]> {
    return this.db.transaction().execute(async (tx) => {
      const owners = new Map<string, boolean>();
      const events: Insertable<StackEventRow>[] = [];
      const b: BatchTx = {
        tx,
        owns: async (stackId, traversal) => {
          const key = `${traversal} ${stackId}`;
          let owned = owners.get(key);
          if (owned === undefined) {
            const row = await tx
              .selectFrom('stacks')
              .select('id')
              .where('id', '=', stackId)
              .where('traversal', '=', traversal)
              .executeTakeFirst();
            owned = row !== undefined;
            owners.set(key, owned);
          }
          return owned;
        },
        event: (row) => void events.push(row),
        updateResource: async (id, set) => {
          // A row changed twice in one batch keeps its order: what is grouped goes first.
          if (updates.ids.has(id)) await updates.flush(tx);
          updates.add(id, set);
        },
      };
      const updates = new GroupedUpdates();
      const results: unknown[] = [];
      for (const item of items) results.push(await item.work(b));
      await updates.flush(tx);
      for (let i = 0; i < events.length; i += EVENTS_PER_INSERT) {
        await tx
          .insertInto('stack_events')
          .values(events.slice(i, i + EVENTS_PER_INSERT))
          .execute();
      }
      return results;
    });
  }
}
