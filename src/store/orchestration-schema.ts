import type { Generated } from 'kysely';

/**
 * Row types of Heat's tables (migration 013). JSON columns are noted; timestamps are ISO-8601
 * text in UTC with milliseconds.
 */
export interface OrchestrationTables {
  stacks: StackRow;
  stack_resources: StackResourceRow;
  stack_events: StackEventRow;
  stack_snapshots: StackSnapshotRow;
  software_configs: SoftwareConfigRow;
  software_deployments: SoftwareDeploymentRow;
}

export interface StackRow {
  id: string;
  name: string;
  project_id: string;
  user_id: string;
  /** JSON string[]. */
  user_roles: string;
  owner_id: string | null;
  nested_depth: number;
  action: string;
  status: string;
  status_reason: string;
  /** JSON. */
  template: string;
  environment: string;
  files: string;
  parameters: string;
  previous: string | null;
  disable_rollback: number;
  timeout_mins: number | null;
  tags: string | null;
  traversal: number;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
}

export interface StackResourceRow {
  id: string;
  stack_id: string;
  name: string;
  type: string;
  action: string;
  status: string;
  status_reason: string;
  physical_resource_id: string | null;
  properties: string | null;
  metadata: string | null;
  data: string;
  replaces: string | null;
  current: number;
  created_at: string;
  updated_at: string | null;
}

export interface StackEventRow {
  seq: Generated<number>;
  id: string;
  stack_id: string;
  resource_name: string;
  physical_resource_id: string | null;
  resource_type: string;
  action: string;
  status: string;
  status_reason: string;
  created_at: string;
}

export interface StackSnapshotRow {
  id: string;
  stack_id: string;
  project_id: string;
  name: string | null;
  status: string;
  status_reason: string;
  data: string | null;
  created_at: string;
}

export interface SoftwareConfigRow {
  id: string;
  project_id: string;
  name: string | null;
  group: string;
  config: string;
  created_at: string;
}

export interface SoftwareDeploymentRow {
  id: string;
  project_id: string;
  config_id: string;
  server_id: string;
  input_values: string;
  output_values: string;
  action: string;
  status: string;
  status_reason: string;
  created_at: string;
  updated_at: string | null;
}
