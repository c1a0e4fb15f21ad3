import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('domains')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('projects')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('projects_domain_name', ['domain_id', 'name'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('default_project_id', 'varchar(64)')
    .addColumn('description', 'text')
    .addColumn('email', 'varchar(255)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('users_domain_name', ['domain_id', 'name'])
    .execute();

  await db.schema
    .createTable('roles')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('domain_id', 'varchar(64)')
    .addColumn('description', 'text')
    .execute();
  await db.schema.createIndex('roles_name').on('roles').column('name').execute();

  await db.schema
    .createTable('role_assignments')
    .addColumn('actor_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('role_id', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_assignments_pk', [
      'actor_id',
      'target_type',
      'target_id',
      'role_id',
    ])
    .execute();
  await db.schema
    .createIndex('role_assignments_target')
    .on('role_assignments')
    .columns(['target_id'])
    .execute();

  await db.schema
    .createTable('tokens')
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('scope_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('scope_id', 'varchar(64)')
    .addColumn('methods', 'text', (c) => c.notNull())
    .addColumn('audit_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('parent_audit_id', 'varchar(64)')
    .addColumn('issued_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tokens_user').on('tokens').column('user_id').execute();
  await db.schema.createIndex('tokens_expires').on('tokens').column('expires_at').execute();

  await db.schema
    .createTable('images')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)')
    .addColumn('status', 'varchar(30)', (c) => c.notNull())
    .addColumn('visibility', 'varchar(20)', (c) => c.notNull())
    .addColumn('protected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('os_hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('checksum', 'varchar(32)')
    .addColumn('os_hash_algo', 'varchar(64)')
    .addColumn('os_hash_value', 'varchar(128)')
    .addColumn('owner', 'varchar(255)')
    .addColumn('size', 'bigint')
    .addColumn('virtual_size', 'bigint')
    .addColumn('container_format', 'varchar(32)')
    .addColumn('disk_format', 'varchar(32)')
    .addColumn('min_disk', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('min_ram', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('file_id', 'varchar(64)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // The default listing order is created_at desc, id desc; owner narrows a non-admin's view.
  await db.schema
    .createIndex('images_created')
    .on('images')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('images_owner_created')
    .on('images')
    .columns(['owner', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('images_visibility')
    .on('images')
    .columns(['visibility', 'created_at'])
    .execute();

  await db.schema
    .createTable('image_properties')
    .addColumn('image_id', 'varchar(36)', (c) =>
      c.notNull().references('images.id').onDelete('cascade'),
    )
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('image_properties_pk', ['image_id', 'name'])
    .execute();

  await db.schema
    .createTable('image_tags')
    .addColumn('image_id', 'varchar(36)', (c) =>
      c.notNull().references('images.id').onDelete('cascade'),
    )
    .addColumn('value', 'varchar(255)', (c) => c.notNull())
    .addPrimaryKeyConstraint('image_tags_pk', ['image_id', 'value'])
    .execute();
  await db.schema.createIndex('image_tags_value').on('image_tags').column('value').execute();

  await db.schema
    .createTable('image_members')
    .addColumn('image_id', 'varchar(36)', (c) =>
      c.notNull().references('images.id').onDelete('cascade'),
    )
    .addColumn('member', 'varchar(255)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('image_members_pk', ['image_id', 'member'])
    .execute();
  await db.schema
    .createIndex('image_members_member')
    .on('image_members')
    .columns(['member', 'status'])
    .execute();
}
