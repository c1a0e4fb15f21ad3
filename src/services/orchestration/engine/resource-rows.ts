import { randomUUID } from 'node:crypto';
import type { Db } from '../../../store/db.js';
import type { StackResourceRow } from '../../../store/orchestration-schema.js';
import { isoNow } from '../../../util.js';

import { WriteBatch } from './write-batch.js';
import { toResource, type Stack, type StackResource, type Transition } from './stack-rows.js';

/**
 * The stack_resources rows and their events: the half of StackStore that writes resources,
 * each move conditional on the stack's traversal like the stack's own.
 */
export class ResourceRows {
  /** The resource writes of running steps, committed together (group commit). */
  private readonly batch: WriteBatch;

  constructor(protected readonly db: Db) {
    this.batch = new WriteBatch(db);
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
    const [row] = await this.insertResources(stackId, [{ name, type }], replaces);
    return row!;
  }

  /** Resource rows in INIT COMPLETE (a create's, all in one write). */
  async insertResources(
    stackId: string,
    defs: readonly { name: string; type: string }[],
    replaces: string | null = null,
  ): Promise<StackResource[]> {
    const rows = defs.map((def): StackResourceRow => ({
      id: randomUUID(),
      stack_id: stackId,
      name: def.name,
      type: def.type,
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
    }));
    if (rows.length === 0) return [];
    await this.batch.run(async ({ tx }) => {
      // 16 values a row, under SQLite's 32766 bound values a statement.
      for (let i = 0; i < rows.length; i += 1000) {
        await tx
          .insertInto('stack_resources')
          .values(rows.slice(i, i + 1000))
          .execute();
      }
    });
    return rows.map(toResource);
  }

  /**
   * A resource's state change and its event, in one transaction, if the stack's operation is
   * still `traversal` (a cancelled operation's late steps write nothing). Moves made in the
   * same turn share the transaction (WriteBatch).
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
    const physicalId =
      change.physical_resource_id !== undefined ? change.physical_resource_id : resource.physicalId;
    const moved = await this.batch.run(async ({ owns, event, updateResource }) => {
      if (!(await owns(stack.id, traversal))) {
        // A physical id is kept even so (as setPhysicalId would have): whichever operation
        // owns the stack now finds what was made and can delete it.
        if (change.physical_resource_id !== undefined) {
          const { physical_resource_id, updated_at } = change;
          await updateResource(resource.id, { physical_resource_id, updated_at });
        }
        return false;
      }
      await updateResource(resource.id, {
        ...change,
        action: to.action,
        status: to.status,
        status_reason: to.reason,
      });
      event({
        id: randomUUID(),
        stack_id: stack.id,
        resource_name: resource.name,
        physical_resource_id: physicalId ?? '',
        resource_type: change.type ?? resource.type,
        action: to.action,
        status: to.status,
        status_reason: to.reason,
        created_at: now,
      });
      return true;
    });
    if (!moved) return false;
    resource.action = to.action;
    resource.status = to.status;
    resource.statusReason = to.reason;
    if (change.physical_resource_id !== undefined) resource.physicalId = physicalId;
    return true;
  }

  /** Records the physical id the moment the type returns it: nothing made is forgotten. */
  async setPhysicalId(resourceId: string, physicalId: string | null): Promise<void> {
    const now = isoNow();
    await this.batch.run(({ updateResource }) =>
      updateResource(resourceId, { physical_resource_id: physicalId, updated_at: now }),
    );
  }

  async setData(resourceId: string, data: Record<string, string>): Promise<void> {
    const text = JSON.stringify(data);
    await this.batch.run(({ updateResource }) => updateResource(resourceId, { data: text }));
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

  /**
   * Heat's resource_mark_unhealthy: CHECK_FAILED with the reason (or back to CHECK_COMPLETE
   * when cleared from CHECK_FAILED), with its event. Refused (false) while an operation is
   * working on the resource, as the convergence engine's resource lock refuses it.
   */
  async markUnhealthy(
    stack: Pick<Stack, 'id' | 'name'>,
    resourceId: string,
    to: Transition,
  ): Promise<boolean> {
    const now = isoNow();
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('stack_resources')
        .selectAll()
        .where('id', '=', resourceId)
        .where('status', '!=', 'IN_PROGRESS')
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

  /** An event on a resource that changes nothing else (a signal received, a hook cleared). */
  async addResourceEvent(
    stack: Pick<Stack, 'id'>,
    resource: Pick<StackResource, 'name' | 'physicalId' | 'type'>,
    event: { action: string; status: string; reason: string },
  ): Promise<void> {
    await this.db
      .insertInto('stack_events')
      .values({
        id: randomUUID(),
        stack_id: stack.id,
        resource_name: resource.name,
        physical_resource_id: resource.physicalId ?? '',
        resource_type: resource.type,
        action: event.action,
        status: event.status,
        status_reason: event.reason,
        created_at: isoNow(),
      })
      .execute();
  }
}
