import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Cinder's volume_attachment: one row per attachment of a volume to a server or host, from
  // `reserved` (os-reserve or POST /attachments) to `attached`; a detach deletes the row.
  await db.schema
    .createTable('volume_attachments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('volume_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('instance_uuid', 'varchar(36)')
    .addColumn('attached_host', 'varchar(255)')
    .addColumn('mountpoint', 'varchar(255)')
    .addColumn('attach_mode', 'varchar(8)', (c) => c.notNull())
    .addColumn('attach_status', 'varchar(32)', (c) => c.notNull())
    .addColumn('connector', 'text')
    .addColumn('attach_time', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('volume_attachments_volume')
    .on('volume_attachments')
    .column('volume_id')
    .execute();
}
