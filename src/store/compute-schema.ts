import type { Generated } from 'kysely';

/**
 * Row types of Nova's server tables (migration 012). Booleans are 0/1; JSON columns are noted;
 * timestamps ISO-8601 text in UTC with milliseconds, so text order is time order.
 */
export interface ComputeTables {
  servers: ServerRow;
  server_metadata: ServerMetadataRow;
  server_tags: ServerTagRow;
  server_interfaces: ServerInterfaceRow;
  block_device_mappings: BlockDeviceMappingRow;
  instance_actions: InstanceActionRow;
  instance_action_events: InstanceActionEventRow;
  server_groups: ServerGroupRow;
  server_group_members: ServerGroupMemberRow;
  server_snapshots: ServerSnapshotRow;
  server_migrations: ServerMigrationRow;
}

export interface ServerRow {
  id: string;
  project_id: string;
  user_id: string;
  name: string;
  description: string | null;
  hostname: string;
  vm_state: string;
  task_state: string | null;
  power_state: number;
  flavor_id: string;
  /** JSON: `EmbeddedFlavor`. */
  flavor: string;
  vcpus: number;
  memory_mb: number;
  image_id: string;
  /** JSON: `ImageMeta`. */
  image_meta: string;
  /** JSON: string values Nova keeps in system_metadata and passes on to snapshots. */
  system_metadata: string;
  root_layer: string | null;
  key_name: string | null;
  key_data: string | null;
  user_data: string | null;
  config_drive: string;
  availability_zone: string;
  access_ip_v4: string;
  access_ip_v6: string;
  host: string | null;
  locked: number;
  locked_by: string | null;
  locked_reason: string | null;
  progress: number;
  /** JSON: `ServerFault`. */
  fault: string | null;
  reservation_id: string;
  launch_index: number;
  root_device_name: string;
  launched_at: string | null;
  terminated_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ServerMetadataRow {
  server_id: string;
  key: string;
  value: string;
}

export interface ServerTagRow {
  server_id: string;
  tag: string;
}

export interface ServerInterfaceRow {
  server_id: string;
  port_id: string;
  position: number;
  preserve: number;
  tag: string | null;
}

export interface BlockDeviceMappingRow {
  id: string;
  server_id: string;
  boot_index: number | null;
  source_type: string;
  destination_type: string;
  device_name: string | null;
  device_type: string | null;
  disk_bus: string | null;
  guest_format: string | null;
  volume_id: string | null;
  snapshot_id: string | null;
  image_id: string | null;
  volume_size: number | null;
  volume_type: string | null;
  delete_on_termination: number;
  tag: string | null;
  attachment_id: string | null;
  created_at: string;
}

export interface InstanceActionRow {
  id: Generated<number>;
  server_id: string;
  project_id: string;
  user_id: string;
  request_id: string;
  action: string;
  message: string | null;
  start_time: string;
  finish_time: string | null;
  updated_at: string;
}

export interface InstanceActionEventRow {
  id: Generated<number>;
  action_id: number;
  event: string;
  result: string | null;
  traceback: string | null;
  host: string | null;
  start_time: string;
  finish_time: string | null;
}

export interface ServerGroupRow {
  id: string;
  project_id: string;
  user_id: string;
  name: string;
  policy: string;
  rules: string;
  created_at: string;
}

export interface ServerGroupMemberRow {
  group_id: string;
  server_id: string;
}

export interface ServerSnapshotRow {
  image_id: string;
  server_id: string;
  layer: string | null;
  created_at: string;
}

/** A resize under way or awaiting confirmation (Nova's migrations table, one host). */
export interface ServerMigrationRow {
  server_id: string;
  /** JSON `EmbeddedFlavor` each. */
  old_flavor: string;
  new_flavor: string;
  /** The vm_state to go back to on confirm or revert (Nova's system_metadata old_vm_state). */
  old_vm_state: string;
  /** The root disk sealed before it grew: a revert puts a head of the old size over it. */
  old_layer: string | null;
  /** pre-migrating, migrating, finished, reverting, reverted, confirmed, error. */
  status: string;
  created_at: string;
  updated_at: string;
}
