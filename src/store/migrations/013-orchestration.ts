import { sql, type Kysely } from 'kysely';

type Db = Kysely<unknown>;

/**
 * Heat's stacks, their resources and events, stack snapshots, and software configs and
 * deployments. A stack's state and every resource's physical id are rows, written as each step
 * happens, so a crash leaves nothing a stack made unrecorded.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('stacks')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
    /** JSON list: the owner's roles when the stack was made; its work runs with them. */
    .addColumn('user_roles', 'text', (c) => c.notNull())
    /** The parent stack of a nested stack; null for a top-level one. */
    .addColumn('owner_id', 'varchar(36)')
    .addColumn('nested_depth', 'integer', (c) => c.notNull())
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('status_reason', 'text', (c) => c.notNull())
    /** JSON: the template, environment, files and given parameters of the current definition. */
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('files', 'text', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull())
    /** JSON {template, environment, files, parameters}: the definition before the last update,
     *  which a rollback returns to. */
    .addColumn('previous', 'text')
    .addColumn('disable_rollback', 'integer', (c) => c.notNull())
    .addColumn('timeout_mins', 'integer')
    /** JSON list of strings, or null. */
    .addColumn('tags', 'text')
    /** Bumped by every operation: work of an older one (cancelled, or cut by a crash) stops. */
    .addColumn('traversal', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)')
    .addColumn('deleted_at', 'varchar(32)')
    .execute();
  // One live stack of a name per project: two racing creates cannot both insert.
  await sql`CREATE UNIQUE INDEX stacks_live_name ON stacks (project_id, name)
    WHERE deleted_at IS NULL`.execute(db);
  await db.schema.createIndex('stacks_owner').on('stacks').column('owner_id').execute();

  await db.schema
    .createTable('stack_resources')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('stack_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('type', 'varchar(255)', (c) => c.notNull())
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('status_reason', 'text', (c) => c.notNull())
    .addColumn('physical_resource_id', 'varchar(255)')
    /** JSON: the resolved properties it was last created or updated with. */
    .addColumn('properties', 'text')
    /** JSON: its resolved metadata (resource metadata show). */
    .addColumn('metadata', 'text')
    /** JSON map of strings: the type's resource_data (passwords, keys, snapshot ids). */
    .addColumn('data', 'text', (c) => c.notNull())
    /** The resource an update's replacement replaced; the old one is deleted at the end. */
    .addColumn('replaces', 'varchar(36)')
    /** 1 while this row is the stack's resource of its name (0: being replaced, then deleted). */
    .addColumn('current', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('stack_resources_stack')
    .on('stack_resources')
    .columns(['stack_id', 'name'])
    .execute();
  await db.schema
    .createIndex('stack_resources_physical')
    .on('stack_resources')
    .column('physical_resource_id')
    .execute();

  await db.schema
    .createTable('stack_events')
    // The order events happened in; markers page by it.
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('id', 'varchar(36)', (c) => c.notNull().unique())
    .addColumn('stack_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('resource_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('physical_resource_id', 'varchar(255)')
    .addColumn('resource_type', 'varchar(255)', (c) => c.notNull())
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('status_reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stack_events_stack')
    .on('stack_events')
    .columns(['stack_id', 'seq'])
    .execute();

  await db.schema
    .createTable('stack_snapshots')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('stack_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('status_reason', 'text', (c) => c.notNull())
    /** JSON: the stack's definition and each resource's snapshot data. */
    .addColumn('data', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stack_snapshots_stack')
    .on('stack_snapshots')
    .column('stack_id')
    .execute();

  await db.schema
    .createTable('software_configs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('group', 'varchar(255)', (c) => c.notNull())
    /** JSON {config, inputs, outputs, options}. */
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('software_deployments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('config_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('server_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('input_values', 'text', (c) => c.notNull())
    .addColumn('output_values', 'text', (c) => c.notNull())
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('status_reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)')
    .execute();
}
