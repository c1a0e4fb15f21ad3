import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../store/db.js';
import type { PayloadArg, TaskHandler, TaskKind, TaskPayloads, TaskScope } from './kinds.js';
import * as queue from './queue.js';

export type { TaskHandler, TaskKind, TaskPayloads, TaskScope } from './kinds.js';

export interface TaskRunnerOptions {
  /** Tasks running at once, across all keys. Default 4. */
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 4;

/**
 * Durable asynchronous work (DESIGN.md tasks/, docs/designs/0006-task-runner.md): a task is a
 * row written in the same transaction as the state change that needs it, and deleted once done,
 * so after a restart every `creating` or `deleting` resource settles instead of hanging.
 *
 * Tasks with one serial key (a volume, a layer chain, a server) run one at a time in the order
 * they were enqueued; tasks with different keys run in parallel, up to `concurrency`. When a
 * slot frees, projects take turns: the next task comes from the first project after the one
 * served last that has a task ready, so one project's hundred tasks do not hold another's one.
 */
export class TaskRunner {
  private readonly handlers = new Map<string, TaskHandler<TaskKind>>();
  private readonly owner = randomUUID();
  private readonly concurrency: number;
  private readonly running = new Set<Promise<void>>();
  private pumping: Promise<void> | undefined;
  private again = false;
  private ready: Promise<void> | undefined;
  /** The project served last; undefined before the first task. */
  private lastProject: string | undefined;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    opts: TaskRunnerOptions = {},
  ) {
    this.concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  }

  /**
   * The kinds this runner claims: those registered on it. Nova's server builds wait for
   * Cinder's volume creates; in one pool, builds could fill every slot and wait forever for
   * creates that cannot start. So each service that waits on another has its own runner (its
   * lane) over the same table, as Nova's and Cinder's workers are separate processes.
   */
  private lane(): readonly string[] {
    return [...this.handlers.keys()];
  }

  register<K extends TaskKind>(kind: K, handler: TaskHandler<K>): void {
    this.handlers.set(kind, handler as unknown as TaskHandler<TaskKind>);
  }

  /** Records a task; call inside the transaction that makes it necessary, then kick(). */
  async enqueue<K extends TaskKind>(
    ex: Db,
    kind: K,
    targetId: string,
    ...[payload]: PayloadArg<K>
  ): Promise<void> {
    const body = (payload ?? {}) as TaskPayloads[K];
    const scope = await this.scopeOf(ex, kind, targetId, body);
    await queue.insertTask(ex, kind, targetId, body, scope);
  }

  /** Runs queued tasks until none is ready or the pool is full; a no-op if that is under way. */
  kick(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump()
      .catch((err: unknown) => this.log.error({ err }, 'task runner failed to claim a task'))
      .finally(() => {
        this.pumping = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves once no task is being claimed or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pumping || this.running.size > 0) {
      await Promise.allSettled([this.pumping, ...this.running]);
    }
  }

  private async pump(): Promise<void> {
    // Once per runner: claims of a runner that died go back to the queue, and rows older than
    // task scopes get one. Nothing of this runner is running yet.
    this.ready ??= this.recover();
    await this.ready;
    while (this.running.size < this.concurrency) {
      const task = await this.claimNext();
      if (!task) return;
      const run = this.execute(task).finally(() => {
        this.running.delete(run);
        // The next task of its line is ready now, and a slot is free.
        this.kick();
      });
      this.running.add(run);
    }
  }

  private async recover(): Promise<void> {
    await queue.releaseClaims(this.db, this.lane());
    for (const row of await queue.unscoped(this.db, this.lane())) {
      const payload = parsePayload(row.payload);
      const scope = await this.scopeOf(this.db, row.kind, row.target_id, payload).catch(
        (err: unknown) => {
          this.log.warn({ err, task: row.kind }, 'task scope unknown: serial on its target');
          return { key: row.target_id, projectId: null };
        },
      );
      await queue.setScope(this.db, row.id, scope);
    }
  }

  /** The next ready task, in turn across projects, claimed; undefined when none is ready. */
  private async claimNext(): Promise<queue.QueuedTask | undefined> {
    for (;;) {
      const ready = await queue.runnableByProject(this.db, this.lane());
      if (ready.length === 0) return undefined;
      ready.sort((a, b) => compare(a.project_id ?? '', b.project_id ?? ''));
      const last = this.lastProject;
      const pick =
        (last === undefined ? undefined : ready.find((r) => (r.project_id ?? '') > last)) ??
        ready[0]!;
      const task = await queue.claim(this.db, pick.id, this.owner);
      // Another runner took it first: look again.
      if (!task) continue;
      this.lastProject = pick.project_id ?? '';
      return task;
    }
  }

  private async execute(task: queue.QueuedTask): Promise<void> {
    const handler = this.handlers.get(task.kind);
    const payload = parsePayload(task.payload);
    try {
      if (!handler) throw new Error(`no handler for task kind ${task.kind}`);
      await handler.run(task.target_id, payload as TaskPayloads[TaskKind]);
    } catch (err) {
      this.log.error({ err, task: task.kind, target: task.target_id }, 'task failed');
      await handler
        ?.fail(task.target_id, payload as TaskPayloads[TaskKind], err)
        .catch((e: unknown) => this.log.error({ err: e }, 'task fail handler failed'));
    }
    await queue
      .finish(this.db, task.id)
      .catch((err: unknown) => this.log.error({ err, task: task.kind }, 'task not removed'));
  }

  private async scopeOf(
    ex: Db,
    kind: string,
    targetId: string,
    payload: unknown,
  ): Promise<TaskScope> {
    const handler = this.handlers.get(kind);
    if (!handler?.scope) return { key: targetId, projectId: null };
    return handler.scope(ex, targetId, payload as TaskPayloads[TaskKind]);
  }
}

function parsePayload(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
