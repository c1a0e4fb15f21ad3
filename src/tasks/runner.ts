import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../store/db.js';
import { isoNow } from '../util.js';

export interface TaskHandler {
  /** Does the work. Must be idempotent: after a crash it runs again from the start. */
  run(targetId: string, payload: Record<string, unknown>): Promise<void>;
  /** Settles the target to an error state when run() failed. */
  fail(targetId: string, payload: Record<string, unknown>, err: unknown): Promise<void>;
}

/**
 * Durable asynchronous work (DESIGN.md tasks/): a task is a row written in the same transaction
 * as the state change that needs it, and deleted once done, so after a restart every
 * `creating` or `deleting` resource settles instead of hanging. One worker runs tasks in order,
 * which also serialises the layer-store operations on a volume.
 */
export class TaskRunner {
  private readonly handlers = new Map<string, TaskHandler>();
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {}

  register(kind: string, handler: TaskHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Records a task; call inside the transaction that makes it necessary, then kick(). */
  async enqueue(
    ex: Db,
    kind: string,
    targetId: string,
    payload: Record<string, unknown> = {},
  ): Promise<void> {
    await ex
      .insertInto('tasks')
      .values({ kind, target_id: targetId, payload: JSON.stringify(payload), created_at: isoNow() })
      .execute();
  }

  /** Starts the worker if it is idle. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves once no task is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const task = await this.db
        .selectFrom('tasks')
        .selectAll()
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (!task) return;
      const handler = this.handlers.get(task.kind);
      const payload = JSON.parse(task.payload) as Record<string, unknown>;
      try {
        if (!handler) throw new Error(`no handler for task kind ${task.kind}`);
        await handler.run(task.target_id, payload);
      } catch (err) {
        this.log.error({ err, task: task.kind, target: task.target_id }, 'task failed');
        await handler
          ?.fail(task.target_id, payload, err)
          .catch((e: unknown) => this.log.error({ err: e }, 'task fail handler failed'));
      }
      await this.db.deleteFrom('tasks').where('id', '=', task.id).execute();
    }
  }
}
