import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The task runner runs tasks in parallel: serial per `serial_key` (a volume, a layer chain, a
  // server), round-robin across `project_id`, claimed by a conditional UPDATE of `claimed_by`.
  // Rows written before this migration have no key: the runner fills it in before it runs them.
  await db.schema.alterTable('tasks').addColumn('serial_key', 'varchar(128)').execute();
  await db.schema.alterTable('tasks').addColumn('project_id', 'varchar(64)').execute();
  await db.schema.alterTable('tasks').addColumn('claimed_by', 'varchar(64)').execute();
  await db.schema.alterTable('tasks').addColumn('claimed_at', 'varchar(32)').execute();
  // The head of each key's queue is found through this index.
  await db.schema.createIndex('tasks_serial').on('tasks').columns(['serial_key', 'id']).execute();
  // "Which image files do waiting volume creates read" looks at one kind only.
  await db.schema.createIndex('tasks_kind').on('tasks').columns(['kind', 'id']).execute();
}
