import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('volume_types')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('extra_specs', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('volumes')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('description', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('volume_type_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('availability_zone', 'varchar(255)', (c) => c.notNull())
    .addColumn('bootable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('snapshot_id', 'varchar(36)')
    .addColumn('source_volid', 'varchar(36)')
    .addColumn('image_id', 'varchar(36)')
    // The writable qcow2 head in the layer store; null until the create task has run.
    .addColumn('head_layer', 'varchar(64)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('volumes_project_created')
    .on('volumes')
    .columns(['project_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('snapshots')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('volume_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('description', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    // The sealed layer holding the data at snapshot time; null until the create task has run.
    .addColumn('layer', 'varchar(64)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('snapshots_volume').on('snapshots').column('volume_id').execute();
  await db.schema
    .createIndex('snapshots_project_created')
    .on('snapshots')
    .columns(['project_id', 'created_at', 'id'])
    .execute();

  for (const [table, owner] of [
    ['volume_metadata', 'volume_id'],
    ['volume_image_metadata', 'volume_id'],
    ['snapshot_metadata', 'snapshot_id'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn(owner, 'varchar(36)', (c) => c.notNull())
      .addColumn('key', 'varchar(255)', (c) => c.notNull())
      .addColumn('value', 'varchar(255)', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, [owner, 'key'])
      .execute();
  }

  await db.schema
    .createTable('quotas')
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('resource', 'varchar(64)', (c) => c.notNull())
    .addColumn('hard_limit', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('quotas_pk', ['project_id', 'resource'])
    .execute();

  // Durable asynchronous work: a row per task, resumed after a restart.
  await db.schema
    .createTable('tasks')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}
