import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Nova's quotas: a project's limits (user_id '') and a user's limits inside that project.
  await db.schema
    .createTable('compute_quotas')
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull().defaultTo(''))
    .addColumn('resource', 'varchar(64)', (c) => c.notNull())
    .addColumn('hard_limit', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('compute_quotas_pk', ['project_id', 'user_id', 'resource'])
    .execute();

  // Quota classes of Nova and Cinder: the `default` class overrides the built-in defaults.
  await db.schema
    .createTable('quota_classes')
    .addColumn('service', 'varchar(16)', (c) => c.notNull())
    .addColumn('class_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource', 'varchar(64)', (c) => c.notNull())
    .addColumn('hard_limit', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('quota_classes_pk', ['service', 'class_name', 'resource'])
    .execute();
}
