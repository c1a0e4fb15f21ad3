import type { Kysely } from 'kysely';

type Db = Kysely<unknown>;

/**
 * Nova's servers and what hangs off them: metadata, tags, block device mappings, instance
 * actions and their events, server groups, and the sealed disk layers of instance snapshots
 * that are still being uploaded.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('servers')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'varchar(255)')
    .addColumn('hostname', 'varchar(255)', (c) => c.notNull())
    .addColumn('vm_state', 'varchar(32)', (c) => c.notNull())
    .addColumn('task_state', 'varchar(32)')
    .addColumn('power_state', 'integer', (c) => c.notNull())
    .addColumn('flavor_id', 'varchar(255)', (c) => c.notNull())
    /** JSON: the flavor as it was at boot (Nova embeds it in the instance). */
    .addColumn('flavor', 'text', (c) => c.notNull())
    // Quota usage sums these, as Nova's instances table does.
    .addColumn('vcpus', 'integer', (c) => c.notNull())
    .addColumn('memory_mb', 'integer', (c) => c.notNull())
    /** '' for a server that boots from a volume. */
    .addColumn('image_id', 'varchar(36)', (c) => c.notNull())
    /** JSON: the base image's fields and properties (Nova's system_metadata image_*). */
    .addColumn('image_meta', 'text', (c) => c.notNull())
    /** JSON: who built it (owner_user_name, owner_project_name, boot_roles): snapshots inherit it. */
    .addColumn('system_metadata', 'text', (c) => c.notNull())
    /** The writable head of the local root disk; null for a volume-backed server. */
    .addColumn('root_layer', 'varchar(64)')
    .addColumn('key_name', 'varchar(255)')
    .addColumn('key_data', 'text')
    .addColumn('user_data', 'text')
    .addColumn('config_drive', 'varchar(16)', (c) => c.notNull())
    .addColumn('availability_zone', 'varchar(255)', (c) => c.notNull())
    .addColumn('access_ip_v4', 'varchar(64)', (c) => c.notNull())
    .addColumn('access_ip_v6', 'varchar(64)', (c) => c.notNull())
    .addColumn('host', 'varchar(255)')
    .addColumn('locked', 'integer', (c) => c.notNull())
    .addColumn('locked_by', 'varchar(16)')
    .addColumn('locked_reason', 'varchar(255)')
    .addColumn('progress', 'integer', (c) => c.notNull())
    /** JSON {code, message, details, created}; set when the server went to ERROR. */
    .addColumn('fault', 'text')
    .addColumn('reservation_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('launch_index', 'integer', (c) => c.notNull())
    .addColumn('root_device_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('launched_at', 'varchar(32)')
    .addColumn('terminated_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // Nova's default order is newest first: a project's page is a range of this index.
  await db.schema
    .createIndex('servers_project_created')
    .on('servers')
    .columns(['project_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('servers_created')
    .on('servers')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema.createIndex('servers_root_layer').on('servers').column('root_layer').execute();

  await db.schema
    .createTable('server_metadata')
    .addColumn('server_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('key', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', 'varchar(255)', (c) => c.notNull())
    .addPrimaryKeyConstraint('server_metadata_pk', ['server_id', 'key'])
    .execute();

  await db.schema
    .createTable('server_tags')
    .addColumn('server_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('tag', 'varchar(60)', (c) => c.notNull())
    .addPrimaryKeyConstraint('server_tags_pk', ['server_id', 'tag'])
    .execute();
  await db.schema.createIndex('server_tags_tag').on('server_tags').column('tag').execute();

  // The ports a server uses, in attach order; `preserve` marks a port the user brought (it is
  // unbound, not deleted, with the server: Nova's preserve_on_delete).
  await db.schema
    .createTable('server_interfaces')
    .addColumn('server_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('port_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('preserve', 'integer', (c) => c.notNull())
    .addColumn('tag', 'varchar(255)')
    .addPrimaryKeyConstraint('server_interfaces_pk', ['server_id', 'port_id'])
    .execute();
  await db.schema
    .createIndex('server_interfaces_port')
    .on('server_interfaces')
    .column('port_id')
    .execute();

  await db.schema
    .createTable('block_device_mappings')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('server_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('boot_index', 'integer')
    .addColumn('source_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('destination_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('device_name', 'varchar(255)')
    .addColumn('device_type', 'varchar(32)')
    .addColumn('disk_bus', 'varchar(32)')
    .addColumn('guest_format', 'varchar(32)')
    .addColumn('volume_id', 'varchar(36)')
    .addColumn('snapshot_id', 'varchar(36)')
    .addColumn('image_id', 'varchar(36)')
    .addColumn('volume_size', 'integer')
    .addColumn('volume_type', 'varchar(255)')
    .addColumn('delete_on_termination', 'integer', (c) => c.notNull())
    .addColumn('tag', 'varchar(255)')
    .addColumn('attachment_id', 'varchar(36)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // With the destination, a list page finds each server's attached volumes in the index alone:
  // the row of an image-backed server's local disk is never read.
  await db.schema
    .createIndex('bdm_server')
    .on('block_device_mappings')
    .columns(['server_id', 'destination_type'])
    .execute();
  await db.schema
    .createIndex('bdm_volume')
    .on('block_device_mappings')
    .column('volume_id')
    .execute();

  await db.schema
    .createTable('instance_actions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('server_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('message', 'varchar(255)')
    .addColumn('start_time', 'varchar(32)', (c) => c.notNull())
    .addColumn('finish_time', 'varchar(32)')
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('instance_actions_server')
    .on('instance_actions')
    .columns(['server_id', 'id'])
    .execute();

  await db.schema
    .createTable('instance_action_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('action_id', 'integer', (c) => c.notNull())
    .addColumn('event', 'varchar(255)', (c) => c.notNull())
    .addColumn('result', 'varchar(255)')
    .addColumn('traceback', 'text')
    .addColumn('host', 'varchar(255)')
    .addColumn('start_time', 'varchar(32)', (c) => c.notNull())
    .addColumn('finish_time', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('instance_action_events_action')
    .on('instance_action_events')
    .column('action_id')
    .execute();

  await db.schema
    .createTable('server_groups')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('policy', 'varchar(32)', (c) => c.notNull())
    /** JSON object, e.g. {"max_server_per_host": 3}. */
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('server_group_members')
    .addColumn('group_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('server_id', 'varchar(36)', (c) => c.notNull())
    .addPrimaryKeyConstraint('server_group_members_pk', ['group_id', 'server_id'])
    .execute();
  await db.schema
    .createIndex('server_group_members_server')
    .on('server_group_members')
    .column('server_id')
    .execute();

  // The sealed layer an instance snapshot uploads from, from the moment the disk was sealed
  // until the image is active: a root for the layer sweep, and what a restarted upload reads.
  await db.schema
    .createTable('server_snapshots')
    .addColumn('image_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('server_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('layer', 'varchar(64)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('server_snapshots_layer')
    .on('server_snapshots')
    .column('layer')
    .execute();

  // The resize of a server, from resize to confirm or revert (Nova's migrations, one host).
  await db.schema
    .createTable('server_migrations')
    .addColumn('server_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('old_flavor', 'text', (c) => c.notNull())
    .addColumn('new_flavor', 'text', (c) => c.notNull())
    .addColumn('old_vm_state', 'varchar(32)', (c) => c.notNull())
    .addColumn('old_layer', 'varchar(64)')
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}
