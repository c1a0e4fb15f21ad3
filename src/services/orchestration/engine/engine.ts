import type { FastifyBaseLogger } from 'fastify';
import { HeatFault } from '../errors.js';
import { DefinitionCache } from './definition-cache.js';
import { nestedStacks } from './nested.js';
import { loadDefinition, loadTemplate, prepareDefinition, type Prepared } from './prepare.js';
import { Operation, type EngineDeps } from './operation.js';
import { Superseded } from './resource-steps.js';
import { createAll, deleteAll, reasons, type Outcome } from './stack-ops.js';
import { updateAll } from './stack-update.js';
import { adoptAll, type AbandonedResource } from './adopt.js';
import { checkAll, resumeAll, suspendAll } from './stack-actions.js';
import type {
  Stack,
  StackAction,
  StackDefinition,
  StackResource,
  Transition,
} from './stack-store.js';
import { errorMessage, errorType } from './failure.js';
import { isoNow } from '../../../util.js';

/** An operation running in this process. */
export interface Job {
  /** The action and traversal that own the stack now (a rollback takes over from its create). */
  action: StackAction;
  traversal: number;
  abort: AbortController;
  done: Promise<void>;
}

/**
 * Runs stack operations in the background, one per stack at a time, each owning the stack by
 * its traversal. State is rows only: after a crash `recover` ends what was running in FAILED,
 * as Heat's engine does when it comes back, and nothing is resumed half-known.
 */
export class StackEngine {
  private readonly jobs = new Map<string, Job>();

  constructor(
    readonly deps: EngineDeps,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Template, environment and parameters checked as Heat checks them before it starts. */
  prepare(
    def: StackDefinition,
    pseudo: { stackId: string; stackName: string; projectId: string },
    check: (name: string, value: unknown) => Promise<string | null>,
  ): Promise<Prepared> {
    return prepareDefinition(this.deps, def, pseudo, check);
  }

  private readonly definitions = new DefinitionCache();

  /**
   * A stored stack's definition loaded (not checked again: it was when it was stored), once
   * while its stored text stays the same.
   */
  definition(stack: Stack): Promise<Prepared> {
    const pseudo = { stackId: stack.id, stackName: stack.name, projectId: stack.projectId };
    return this.definitions.get(stack, () =>
      loadDefinition(this.deps, stack, pseudo, () => Promise.resolve(null), false),
    );
  }

  /**
   * The operation object for a stack as it is stored now; `prepared` is its definition when
   * the caller has just loaded it (a create checked it before inserting the stack).
   */
  async load(
    stack: Stack,
    traversal: number,
    signal: AbortSignal,
    rows?: StackResource[],
    prepared?: Prepared,
  ): Promise<Operation> {
    const { template, parameters, conditions } = prepared ?? (await this.definition(stack));
    const found = rows ?? (await this.deps.store.resources(stack.id));
    return new Operation(
      this.deps,
      stack,
      traversal,
      parameters,
      template,
      conditions,
      found,
      signal,
      (op, row) => nestedStacks(this, op, row),
    );
  }

  /**
   * Starts CREATE for a stack just inserted (traversal 1), over its definition as `prepare`
   * gave it if it is at hand; a failure rolls back unless disabled.
   */
  startCreate(stack: Stack, prepared?: Prepared): void {
    this.launch(
      stack,
      stack.traversal,
      'CREATE',
      async (op, job) => {
        const created = await createAll(op);
        if (created.status === 'COMPLETE' || stack.disableRollback) {
          return { action: 'CREATE', traversal: op.traversal, result: created };
        }
        await this.finish(op.stack, op.traversal, { action: 'CREATE', ...created });
        return this.rollbackCreate(op, job);
      },
      prepared,
    );
  }

  /**
   * Starts UPDATE to `next` (already checked by `prepare`): as in Heat's convergence engine a
   * running operation is superseded, not waited for. A failure rolls back to the definition
   * the stack had, unless rollback is disabled.
   */
  async startUpdate(stack: Stack, next: StackSettings): Promise<void> {
    await this.stop(stack.id);
    const traversal = await this.deps.store.begin(
      stack,
      { action: 'UPDATE', status: 'IN_PROGRESS', reason: reasons.started('UPDATE') },
      {
        template: JSON.stringify(next.template),
        environment: JSON.stringify(next.environment),
        files: JSON.stringify(next.files),
        parameters: JSON.stringify(next.parameters),
        previous: JSON.stringify(definitionOf(stack)),
        disable_rollback: next.disableRollback ? 1 : 0,
        timeout_mins: next.timeoutMins,
        tags: next.tags === null ? null : JSON.stringify(next.tags),
      },
      { force: true },
    );
    if (traversal === null) throw stackGone(stack);
    const updated = (await this.deps.store.get(stack.id))!;
    const previous = loadTemplate(stack);
    this.launch(updated, traversal, 'UPDATE', async (op, job) => {
      const result = await updateAll(op, previous);
      if (result.status === 'COMPLETE' || next.disableRollback) {
        return { action: 'UPDATE', traversal: op.traversal, result };
      }
      await this.finish(op.stack, op.traversal, { action: 'UPDATE', ...result });
      return this.rollbackUpdate(updated, op, job);
    });
  }

  /** A failed update's rollback: an update back to the definition the stack had before. */
  private async rollbackUpdate(stack: Stack, failed: Operation, job: Job): Promise<Finished> {
    const before = stack.previous!;
    const traversal = await this.deps.store.begin(
      stack,
      { action: 'ROLLBACK', status: 'IN_PROGRESS', reason: reasons.started('ROLLBACK') },
      {
        template: JSON.stringify(before.template),
        environment: JSON.stringify(before.environment),
        files: JSON.stringify(before.files),
        parameters: JSON.stringify(before.parameters),
        previous: null,
      },
      { force: true },
    );
    if (traversal === null) throw new Superseded();
    job.action = 'ROLLBACK';
    job.traversal = traversal;
    const restored = (await this.deps.store.get(stack.id))!;
    const op = await this.load(restored, traversal, failed.signal);
    const result = await updateAll(op, failed.template, 'ROLLBACK');
    return { action: 'ROLLBACK', traversal, result };
  }

  /** Starts ADOPT for a stack just inserted: its resources take over what `data` names. */
  startAdopt(stack: Stack, data: Record<string, AbandonedResource>): void {
    this.launch(stack, stack.traversal, 'ADOPT', async (op) => ({
      action: 'ADOPT',
      traversal: op.traversal,
      result: await adoptAll(op, data),
    }));
  }

  /** Starts DELETE: a running operation on the stack is stopped first. */
  async startDelete(stack: Stack): Promise<void> {
    await this.stop(stack.id);
    const traversal = await this.deps.store.begin(
      stack,
      { action: 'DELETE', status: 'IN_PROGRESS', reason: reasons.started('DELETE') },
      {},
      { force: true },
    );
    if (traversal === null) throw stackGone(stack);
    this.launch(stack, traversal, 'DELETE', async (op) => ({
      action: 'DELETE',
      traversal,
      result: await deleteAll(op),
    }));
  }

  /**
   * SUSPEND, RESUME or CHECK: refused with Heat's 409 while another operation runs (only
   * updates and deletes supersede).
   */
  async startAction(stack: Stack, action: 'SUSPEND' | 'RESUME' | 'CHECK'): Promise<void> {
    const traversal = await this.deps.store.begin(stack, {
      action,
      status: 'IN_PROGRESS',
      reason: reasons.started(action),
    });
    if (traversal === null) throw inProgress(stack);
    const run = { SUSPEND: suspendAll, RESUME: resumeAll, CHECK: checkAll }[action];
    this.launch(stack, traversal, action, async (op) => ({
      action,
      traversal,
      result: await run(op),
    }));
  }

  /**
   * `stack cancel`: the running operation stops; without rollback the stack is FAILED
   * "Stack X cancelled", with it (an update) it rolls back to the definition before.
   */
  async cancel(stack: Stack, rollback: boolean): Promise<void> {
    await this.stop(stack.id);
    if (rollback && stack.previous) {
      // Heat's convergence cancel_update goes straight to the rollback (no UPDATE_FAILED event,
      // which would end `stack cancel --wait` with an error): this step only takes the stack
      // over from the stopped update, silently; the rollback writes "Stack ROLLBACK started".
      const traversal = await this.deps.store.begin(
        stack,
        { action: 'UPDATE', status: 'IN_PROGRESS', reason: reasons.started('UPDATE') },
        {},
        { force: true, silent: true },
      );
      if (traversal === null) throw stackGone(stack);
      const now = (await this.deps.store.get(stack.id))!;
      this.launch(now, traversal, 'UPDATE', async (op, job) => this.rollbackUpdate(now, op, job));
      return;
    }
    await this.deps.store.begin(
      stack,
      { action: stack.action, status: 'FAILED', reason: `Stack ${stack.action} cancelled` },
      {},
      { force: true },
    );
  }

  /** Ends every operation a crash interrupted. */
  async recover(): Promise<void> {
    const failed = await this.deps.store.failInterrupted();
    for (const stack of failed) this.log.warn({ stack: stack.id }, 'stack operation interrupted');
  }

  /**
   * Stops every running operation without writing anything: their stacks stay IN_PROGRESS,
   * which the next start's `recover` ends, as when Heat's engine goes down.
   */
  async shutdown(): Promise<void> {
    const jobs = [...this.jobs.values()];
    for (const job of jobs) job.abort.abort(new Superseded());
    await Promise.allSettled(jobs.map((j) => j.done));
  }

  /** Waits for running operations to end by themselves (tests). */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) {
      await Promise.allSettled([...this.jobs.values()].map((j) => j.done));
    }
  }

  /** Aborts a stack's running operation and waits until its steps have stopped. */
  private async stop(stackId: string): Promise<void> {
    const job = this.jobs.get(stackId);
    if (!job) return;
    job.abort.abort(new Superseded());
    await job.done.catch(() => undefined);
  }

  /** A failed create's rollback: everything it made deleted, the stack ROLLBACK_COMPLETE. */
  private async rollbackCreate(op: Operation, job: Job): Promise<Finished> {
    const traversal = await this.deps.store.begin(
      op.stack,
      { action: 'ROLLBACK', status: 'IN_PROGRESS', reason: reasons.started('ROLLBACK') },
      {},
      { force: true },
    );
    if (traversal === null) throw new Superseded();
    job.action = 'ROLLBACK';
    job.traversal = traversal;
    const again = await this.load(op.stack, traversal, op.signal);
    // As Heat's purge of deleted resources: after the rollback the stack lists none.
    const deleted = await deleteAll(again, 'DELETE', { retire: true });
    const result: Outcome =
      deleted.status === 'COMPLETE'
        ? { status: 'COMPLETE', reason: reasons.completed('ROLLBACK') }
        : deleted;
    return { action: 'ROLLBACK', traversal, result };
  }

  /** The stack's final state for an operation, if that operation still owns it. */
  finish(stack: Stack, traversal: number, end: Transition): Promise<boolean> {
    const gone = end.action === 'DELETE' && end.status === 'COMPLETE';
    return this.deps.store.move(stack, traversal, end, gone ? { deleted_at: isoNow() } : {});
  }

  /** Runs `work` as the stack's operation in the background (the single way work starts). */
  launch(
    stack: Stack,
    traversal: number,
    action: StackAction,
    work: (op: Operation, job: Job) => Promise<Finished>,
    prepared?: Prepared,
  ): void {
    const abort = new AbortController();
    const timer =
      stack.timeoutMins !== null && stack.action !== 'DELETE'
        ? setTimeout(() => abort.abort(new TimedOut()), stack.timeoutMins * 60_000)
        : null;
    const job: Job = { action, traversal, abort, done: Promise.resolve() };
    this.jobs.set(stack.id, job);
    const done = (async () => {
      let end: Finished;
      try {
        const op = await this.load(stack, traversal, abort.signal, undefined, prepared);
        end = await work(op, job);
      } catch (err) {
        if (err instanceof Superseded || abort.signal.reason instanceof Superseded) return;
        const reason =
          abort.signal.reason instanceof TimedOut
            ? 'Timed out'
            : `${errorType(err)}: ${errorMessage(err)}`;
        if (!(abort.signal.reason instanceof TimedOut)) {
          this.log.error({ err, stack: stack.id }, 'stack operation failed');
        }
        end = {
          action: job.action,
          traversal: job.traversal,
          result: { status: 'FAILED', reason },
        };
      }
      await this.finish(stack, end.traversal, { action: end.action, ...end.result });
    })()
      .catch((err: unknown) => this.log.error({ err, stack: stack.id }, 'stack operation crashed'))
      .finally(() => {
        if (timer) clearTimeout(timer);
        if (this.jobs.get(stack.id)?.abort === abort) this.jobs.delete(stack.id);
      });
    job.done = done;
  }
}

/** How an operation ended, against the traversal that owns the stack at its end. */
export interface Finished {
  action: StackAction;
  traversal: number;
  result: Outcome;
}

/** What an update may change besides the definition. */
export interface StackSettings extends StackDefinition {
  disableRollback: boolean;
  timeoutMins: number | null;
  tags: string[] | null;
}

function definitionOf(stack: Stack): StackDefinition {
  const { template, environment, files, parameters } = stack;
  return { template, environment, files, parameters };
}

/** ActionInProgress: "Stack <name> already has an action (<ACTION>) in progress." */
export function inProgress(stack: Stack): HeatFault {
  return new HeatFault(
    'ActionInProgress',
    `Stack ${stack.name} already has an action (${stack.action}) in progress.`,
  );
}

function stackGone(stack: Stack): HeatFault {
  return new HeatFault('EntityNotFound', `The Stack (${stack.name}) could not be found.`);
}

class TimedOut extends Error {
  constructor() {
    super('Timed out');
  }
}
