import type { Db } from '../../../store/db.js';
import type { StackSnapshotRow } from '../../../store/orchestration-schema.js';
import { isoNow } from '../../../util.js';

export interface StackSnapshot {
  id: string;
  stackId: string;
  projectId: string;
  name: string | null;
  status: 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';
  statusReason: string | null;
  /** The stack as it was (definition and each resource's snapshot data), once COMPLETE. */
  data: SnapshotData | null;
  createdAt: string;
}

/** Heat's snapshot data: the abandon-format stack with each resource's resource_data. */
export interface SnapshotData {
  id: string;
  name: string;
  action: string;
  status: string;
  template: Record<string, unknown>;
  environment: Record<string, unknown>;
  files: Record<string, string>;
  parameters: Record<string, unknown>;
  project_id: string;
  resources: Record<string, SnapshotResource>;
}

export interface SnapshotResource {
  name: string;
  type: string;
  action: string;
  status: string;
  resource_id: string | null;
  resource_data: Record<string, unknown>;
  metadata: unknown;
}

function toSnapshot(row: StackSnapshotRow): StackSnapshot {
  return {
    id: row.id,
    stackId: row.stack_id,
    projectId: row.project_id,
    name: row.name,
    status: row.status as StackSnapshot['status'],
    statusReason: row.status_reason === '' ? null : row.status_reason,
    data: row.data === null ? null : (JSON.parse(row.data) as SnapshotData),
    createdAt: row.created_at,
  };
}

/** The stack_snapshots table, and the only code that writes it. */
export class SnapshotStore {
  constructor(private readonly db: Db) {}

  async insert(id: string, stackId: string, projectId: string, name: string | null) {
    const row: StackSnapshotRow = {
      id,
      stack_id: stackId,
      project_id: projectId,
      name,
      status: 'IN_PROGRESS',
      status_reason: '',
      data: null,
      created_at: isoNow(),
    };
    await this.db.insertInto('stack_snapshots').values(row).execute();
    return toSnapshot(row);
  }

  async finish(
    id: string,
    status: 'COMPLETE' | 'FAILED',
    reason: string,
    data: SnapshotData | null,
  ) {
    await this.db
      .updateTable('stack_snapshots')
      .set({ status, status_reason: reason, data: data === null ? null : JSON.stringify(data) })
      .where('id', '=', id)
      .execute();
  }

  async get(id: string): Promise<StackSnapshot | undefined> {
    const row = await this.db
      .selectFrom('stack_snapshots')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toSnapshot(row);
  }

  async list(stackId: string): Promise<StackSnapshot[]> {
    const rows = await this.db
      .selectFrom('stack_snapshots')
      .selectAll()
      .where('stack_id', '=', stackId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toSnapshot);
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('stack_snapshots').where('id', '=', id).execute();
  }

  /** After a crash: snapshots left IN_PROGRESS failed with their stack. */
  async failInterrupted(reason: string): Promise<void> {
    await this.db
      .updateTable('stack_snapshots')
      .set({ status: 'FAILED', status_reason: reason })
      .where('status', '=', 'IN_PROGRESS')
      .execute();
  }
}
