import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../../../store/db.js';
import type {
  StackEventRow,
  StackResourceRow,
  StackRow,
} from '../../../store/orchestration-schema.js';
import { isoNow } from '../../../util.js';
import { HeatFault } from '../errors.js';
import type { Props } from '../resources/types.js';

export type StackAction =
  | 'INIT'
  | 'CREATE'
  | 'DELETE'
  | 'UPDATE'
  | 'ROLLBACK'
  | 'SUSPEND'
  | 'RESUME'
  | 'ADOPT'
  | 'SNAPSHOT'
  | 'CHECK'
  | 'RESTORE';
export type StackStatus = 'IN_PROGRESS' | 'FAILED' | 'COMPLETE';

/** A stack's definition: what a create or update was given. */
export interface StackDefinition {
  template: Record<string, unknown>;
  environment: Record<string, unknown>;
  files: Record<string, string>;
  parameters: Record<string, unknown>;
}

export interface Stack extends StackDefinition {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  roles: string[];
  ownerId: string | null;
  nestedDepth: number;
  action: StackAction;
  status: StackStatus;
  statusReason: string;
  previous: StackDefinition | null;
  disableRollback: boolean;
  timeoutMins: number | null;
  tags: string[] | null;
  traversal: number;
  createdAt: string;
  updatedAt: string | null;
  deletedAt: string | null;
}

export interface StackResource {
  id: string;
  stackId: string;
  name: string;
  type: string;
  action: StackAction;
  status: StackStatus;
  statusReason: string;
  physicalId: string | null;
  properties: Props | null;
  metadata: unknown;
  data: Record<string, string>;
  replaces: string | null;
  current: boolean;
  createdAt: string;
  updatedAt: string | null;
}

/** A state change to record: the event row goes in the same transaction as the change. */
export interface Transition {
  action: StackAction;
  status: StackStatus;
  reason: string;
}

export function toStack(row: StackRow): Stack {
  return {
    id: row.id,
    name: row.name,
    projectId: row.project_id,
    userId: row.user_id,
    roles: JSON.parse(row.user_roles) as string[],
    ownerId: row.owner_id,
    nestedDepth: row.nested_depth,
    action: row.action as StackAction,
    status: row.status as StackStatus,
    statusReason: row.status_reason,
    template: JSON.parse(row.template) as Record<string, unknown>,
    environment: JSON.parse(row.environment) as Record<string, unknown>,
    files: JSON.parse(row.files) as Record<string, string>,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    previous: row.previous === null ? null : (JSON.parse(row.previous) as StackDefinition),
    disableRollback: row.disable_rollback === 1,
    timeoutMins: row.timeout_mins,
    tags: row.tags === null ? null : (JSON.parse(row.tags) as string[]),
    traversal: row.traversal,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

export function toResource(row: StackResourceRow): StackResource {
  return {
    id: row.id,
    stackId: row.stack_id,
    name: row.name,
    type: row.type,
    action: row.action as StackAction,
    status: row.status as StackStatus,
    statusReason: row.status_reason,
    physicalId: row.physical_resource_id,
    properties: row.properties === null ? null : (JSON.parse(row.properties) as Props),
    metadata: row.metadata === null ? null : JSON.parse(row.metadata),
    data: JSON.parse(row.data) as Record<string, string>,
    replaces: row.replaces,
    current: row.current === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewStack extends StackDefinition {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  roles: string[];
  ownerId: string | null;
  nestedDepth: number;
  disableRollback: boolean;
  timeoutMins: number | null;
  tags: string[] | null;
}

/**
 * Heat's tables, and the only code that writes them. Every state change is a conditional
 * UPDATE on the stack's traversal (the operation that owns it) with its event in the same
 * transaction, so a cancelled or crashed operation can never overwrite a newer one's state.
 */
export class StackStore {
  constructor(private readonly db: Db) {}

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

  async resources(stackId: string): Promise<StackResource[]> {
    const rows = await this.db
      .selectFrom('stack_resources')
      .selectAll()
      .where('stack_id', '=', stackId)
      .orderBy('created_at')
      .orderBy('name')
      .execute();
    return rows.map(toResource);
  }

  async resource(id: string): Promise<StackResource | undefined> {
    const row = await this.db
      .selectFrom('stack_resources')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toResource(row);
  }

  /** A resource row in INIT COMPLETE, before anything is made for it. */
  async insertResource(
    stackId: string,
    name: string,
    type: string,
    replaces: string | null = null,
  ): Promise<StackResource> {
    const row: StackResourceRow = {
      id: randomUUID(),
      stack_id: stackId,
      name,
      type,
      action: 'INIT',
      status: 'COMPLETE',
      status_reason: '',
      physical_resource_id: null,
      properties: null,
      metadata: null,
      data: '{}',
      replaces,
      current: replaces === null ? 1 : 0,
      created_at: isoNow(),
      updated_at: null,
    };
    await this.db.insertInto('stack_resources').values(row).execute();
    return toResource(row);
  }

  /**
   * A resource's state change and its event, in one transaction, if the stack's operation is
   * still `traversal` (a cancelled operation's late steps write nothing).
   */
  async moveResource(
    stack: Pick<Stack, 'id'>,
    traversal: number,
    resource: StackResource,
    to: Transition,
    change: Partial<
      Pick<
        StackResourceRow,
        'physical_resource_id' | 'properties' | 'metadata' | 'current' | 'type' | 'updated_at'
      >
    > = {},
  ): Promise<boolean> {
    const now = isoNow();
    return this.db.transaction().execute(async (tx) => {
      const owner = await tx
        .selectFrom('stacks')
        .select('id')
        .where('id', '=', stack.id)
        .where('traversal', '=', traversal)
        .executeTakeFirst();
      if (!owner) return false;
      await tx
        .updateTable('stack_resources')
        .set({ ...change, action: to.action, status: to.status, status_reason: to.reason })
        .where('id', '=', resource.id)
        .execute();
      const physicalId =
        change.physical_resource_id !== undefined
          ? change.physical_resource_id
          : resource.physicalId;
      await tx
        .insertInto('stack_events')
        .values({
          id: randomUUID(),
          stack_id: stack.id,
          resource_name: resource.name,
          physical_resource_id: physicalId ?? '',
          resource_type: change.type ?? resource.type,
          action: to.action,
          status: to.status,
          status_reason: to.reason,
          created_at: now,
        })
        .execute();
      resource.action = to.action;
      resource.status = to.status;
      resource.statusReason = to.reason;
      if (change.physical_resource_id !== undefined)
        resource.physicalId = change.physical_resource_id;
      return true;
    });
  }

  /** Records the physical id the moment the type returns it: nothing made is forgotten. */
  async setPhysicalId(resourceId: string, physicalId: string | null): Promise<void> {
    await this.db
      .updateTable('stack_resources')
      .set({ physical_resource_id: physicalId, updated_at: isoNow() })
      .where('id', '=', resourceId)
      .execute();
  }

  async setData(resourceId: string, data: Record<string, string>): Promise<void> {
    await this.db
      .updateTable('stack_resources')
      .set({ data: JSON.stringify(data) })
      .where('id', '=', resourceId)
      .execute();
  }

  /** A replacement becomes the resource of its name, in one transaction with its predecessor
   *  stepping down (and back, when a rollback restores the predecessor). */
  async swapCurrent(from: StackResource, to: StackResource): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('stack_resources')
        .set({ current: 0 })
        .where('id', '=', from.id)
        .execute();
      await tx.updateTable('stack_resources').set({ current: 1 }).where('id', '=', to.id).execute();
    });
    from.current = false;
    to.current = true;
  }

  async deleteResourceRow(id: string): Promise<void> {
    await this.db.deleteFrom('stack_resources').where('id', '=', id).execute();
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

  /**
   * Heat's resource_mark_unhealthy: CHECK_FAILED with the reason (or back to CHECK_COMPLETE
   * when cleared from CHECK_FAILED), with its event. Refused while the stack runs an operation.
   */
  async markUnhealthy(
    stack: Pick<Stack, 'id' | 'name'>,
    resourceId: string,
    to: Transition,
  ): Promise<boolean> {
    const now = isoNow();
    return this.db.transaction().execute(async (tx) => {
      const idle = await tx
        .selectFrom('stacks')
        .select('id')
        .where('id', '=', stack.id)
        .where('status', '!=', 'IN_PROGRESS')
        .executeTakeFirst();
      if (!idle) return false;
      const row = await tx
        .selectFrom('stack_resources')
        .selectAll()
        .where('id', '=', resourceId)
        .executeTakeFirst();
      if (!row) return false;
      await tx
        .updateTable('stack_resources')
        .set({ action: to.action, status: to.status, status_reason: to.reason, updated_at: now })
        .where('id', '=', resourceId)
        .execute();
      await tx
        .insertInto('stack_events')
        .values({
          id: randomUUID(),
          stack_id: stack.id,
          resource_name: row.name,
          physical_resource_id: row.physical_resource_id ?? '',
          resource_type: row.type,
          action: to.action,
          status: to.status,
          status_reason: to.reason,
          created_at: now,
        })
        .execute();
      return true;
    });
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
