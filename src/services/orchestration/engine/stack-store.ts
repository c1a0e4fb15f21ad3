import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { StackEventRow, StackRow } from '../../../store/orchestration-schema.js';
import { isoNow } from '../../../util.js';
import { HeatFault } from '../errors.js';

import { ResourceRows } from './resource-rows.js';
import { toStack, type NewStack, type Stack, type Transition } from './stack-rows.js';

export * from './stack-rows.js';

/**
 * Heat's tables, and the only code that writes them. Every state change is a conditional
 * UPDATE on the stack's traversal (the operation that owns it) with its event in the same
 * transaction, so a cancelled or crashed operation can never overwrite a newer one's state.
 */
export class StackStore extends ResourceRows {
  /** Inserts a stack in CREATE IN_PROGRESS with its first event; a live name twice is 409. */
  async insert(input: NewStack, first: Transition): Promise<Stack> {
    const now = isoNow();
    const row: StackRow = {
      id: input.id,
      name: input.name,
      project_id: input.projectId,
      user_id: input.userId,
      user_roles: JSON.stringify(input.roles),
      owner_id: input.ownerId,
      nested_depth: input.nestedDepth,
      action: first.action,
      status: first.status,
      status_reason: first.reason,
      template: JSON.stringify(input.template),
      environment: JSON.stringify(input.environment),
      files: JSON.stringify(input.files),
      parameters: JSON.stringify(input.parameters),
      previous: null,
      disable_rollback: input.disableRollback ? 1 : 0,
      timeout_mins: input.timeoutMins,
      tags: input.tags === null ? null : JSON.stringify(input.tags),
      traversal: 1,
      created_at: now,
      updated_at: null,
      deleted_at: null,
    };
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx.insertInto('stacks').values(row).execute();
        await tx
          .insertInto('stack_events')
          .values(stackEvent(row, first, now))
          .execute();
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new HeatFault('StackExists', `The Stack (${input.name}) already exists.`);
      }
      throw err;
    }
    return toStack(row);
  }

  async get(id: string): Promise<Stack | undefined> {
    const row = await this.db
      .selectFrom('stacks')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toStack(row);
  }

  /** The live stack of a name in a project. */
  async byName(projectId: string, name: string): Promise<Stack | undefined> {
    const row = await this.db
      .selectFrom('stacks')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row && toStack(row);
  }

  /** A project's live top-level stacks, newest first. */
  async list(projectId: string): Promise<Stack[]> {
    const rows = await this.db
      .selectFrom('stacks')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('owner_id', 'is', null)
      .where('deleted_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toStack);
  }

  async children(ownerId: string): Promise<Stack[]> {
    const rows = await this.db
      .selectFrom('stacks')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('deleted_at', 'is', null)
      .execute();
    return rows.map(toStack);
  }

  /**
   * Starts an operation: one conditional UPDATE that bumps the traversal, so at most one
   * operation owns a stack. `allowed` says which current states the action may start from
   * (null: any state but IN_PROGRESS). Returns the new traversal, or null when refused.
   */
  async begin(
    stack: Stack,
    start: Transition,
    change: Partial<
      Pick<
        StackRow,
        | 'template'
        | 'environment'
        | 'files'
        | 'parameters'
        | 'previous'
        | 'disable_rollback'
        | 'timeout_mins'
        | 'tags'
      >
    > = {},
    opts: { force?: boolean; silent?: boolean } = {},
  ): Promise<number | null> {
    const now = isoNow();
    return this.db.transaction().execute(async (tx) => {
      let q = tx
        .updateTable('stacks')
        .set((eb) => ({
          ...change,
          traversal: eb('traversal', '+', 1),
          action: start.action,
          status: start.status,
          status_reason: start.reason,
          // Heat's updated_time: set by an update (or restore), not by other actions.
          ...(start.action === 'UPDATE' || start.action === 'RESTORE' ? { updated_at: now } : {}),
        }))
        .where('id', '=', stack.id)
        .where('deleted_at', 'is', null);
      if (!opts.force) q = q.where('status', '!=', 'IN_PROGRESS');
      const result = await q.returning('traversal').executeTakeFirst();
      if (!result) return null;
      if (opts.silent) return result.traversal;
      await tx
        .insertInto('stack_events')
        .values(stackEvent({ id: stack.id, name: stack.name }, start, now))
        .execute();
      return result.traversal;
    });
  }

  /** Moves the stack if `traversal` still owns it; false when a newer operation took over. */
  async move(
    stack: Pick<Stack, 'id' | 'name'>,
    traversal: number,
    to: Transition,
    change: Partial<
      Pick<
        StackRow,
        'previous' | 'deleted_at' | 'template' | 'environment' | 'files' | 'parameters'
      >
    > = {},
  ): Promise<boolean> {
    const now = isoNow();
    return this.db.transaction().execute(async (tx) => {
      const result = await tx
        .updateTable('stacks')
        .set({ ...change, action: to.action, status: to.status, status_reason: to.reason })
        .where('id', '=', stack.id)
        .where('traversal', '=', traversal)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await tx
        .insertInto('stack_events')
        .values(stackEvent(stack, to, now))
        .execute();
      return true;
    });
  }

  /**
   * Abandon: the stack and its rows leave Heat at once (soft-deleted, no events of a delete),
   * its physical resources untouched.
   */
  async abandon(stack: Stack): Promise<void> {
    const now = isoNow();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('stacks')
        .set((eb) => ({
          action: 'DELETE',
          status: 'COMPLETE',
          status_reason: 'Stack ABANDON completed successfully',
          deleted_at: now,
          traversal: eb('traversal', '+', 1),
        }))
        .where('id', '=', stack.id)
        .execute();
      await tx
        .updateTable('stack_resources')
        .set({ current: 0 })
        .where('stack_id', '=', stack.id)
        .execute();
    });
  }

  /** After a crash: every stack and resource left IN_PROGRESS goes to FAILED, as Heat's
   *  engine does when it starts (reset_stack_status). */
  async failInterrupted(): Promise<Stack[]> {
    const rows = await this.db
      .selectFrom('stacks')
      .selectAll()
      .where('status', '=', 'IN_PROGRESS')
      .where('deleted_at', 'is', null)
      .execute();
    const stacks = rows.map(toStack);
    for (const stack of stacks) {
      const reason = `Engine went down during stack ${stack.action}`;
      await this.db.transaction().execute(async (tx) => {
        const now = isoNow();
        const inProgress = await tx
          .selectFrom('stack_resources')
          .selectAll()
          .where('stack_id', '=', stack.id)
          .where('status', '=', 'IN_PROGRESS')
          .execute();
        for (const r of inProgress) {
          const why = reason;
          await tx
            .updateTable('stack_resources')
            .set({ status: 'FAILED', status_reason: why, updated_at: now })
            .where('id', '=', r.id)
            .execute();
          await tx
            .insertInto('stack_events')
            .values({
              id: randomUUID(),
              stack_id: stack.id,
              resource_name: r.name,
              physical_resource_id: r.physical_resource_id ?? '',
              resource_type: r.type,
              action: r.action,
              status: 'FAILED',
              status_reason: why,
              created_at: now,
            })
            .execute();
        }
        await tx
          .updateTable('stacks')
          .set((eb) => ({
            status: 'FAILED',
            status_reason: reason,
            updated_at: now,
            traversal: eb('traversal', '+', 1),
          }))
          .where('id', '=', stack.id)
          .execute();
        await tx
          .insertInto('stack_events')
          .values(stackEvent(stack, { action: stack.action, status: 'FAILED', reason }, now))
          .execute();
      });
    }
    return stacks;
  }

  // Reads for the API (routes/, reads.ts), and the one write the API makes itself.

  /** Stacks for `stack list`: a project's (or every project's, for null), with or without the
   *  deleted and the nested ones; filtering, sorting and paging are done by reads.ts. */
  async listFor(
    projectId: string | null,
    opts: { deleted: boolean; nested: boolean },
  ): Promise<Stack[]> {
    let q = this.db.selectFrom('stacks').selectAll();
    if (projectId !== null) q = q.where('project_id', '=', projectId);
    if (!opts.nested) q = q.where('owner_id', 'is', null);
    if (!opts.deleted) q = q.where('deleted_at', 'is', null);
    return (await q.execute()).map(toStack);
  }

  /** Every event of the given stacks, oldest first. */
  async eventsOf(stackIds: string[]): Promise<Selectable<StackEventRow>[]> {
    if (stackIds.length === 0) return [];
    return this.db
      .selectFrom('stack_events')
      .selectAll()
      .where('stack_id', 'in', stackIds)
      .orderBy('seq')
      .execute();
  }
}

/** The stack's own event: Heat lists the stack as a resource named after it. */
function stackEvent(stack: { id: string; name: string }, to: Transition, now: string) {
  return {
    id: randomUUID(),
    stack_id: stack.id,
    resource_name: stack.name,
    physical_resource_id: stack.id,
    resource_type: 'OS::Heat::Stack',
    action: to.action,
    status: to.status,
    status_reason: to.reason,
    created_at: now,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
