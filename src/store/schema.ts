import type { Generated } from 'kysely';
import type { ComputeTables } from './compute-schema.js';
import type { NetworkTables } from './network-schema.js';
import type { OrchestrationTables } from './orchestration-schema.js';

/**
 * Row types of every table, as Kysely sees them. Booleans are stored as 0/1 integers and
 * timestamps as ISO-8601 text in UTC with milliseconds, so SQLite and PostgreSQL store the same
 * values and text order is time order.
 */
export interface Database extends NetworkTables, ComputeTables, OrchestrationTables {
  domains: DomainRow;
  projects: ProjectRow;
  users: UserRow;
  roles: RoleRow;
  role_assignments: RoleAssignmentRow;
  tokens: TokenRow;
  images: ImageRow;
  image_properties: ImagePropertyRow;
  image_tags: ImageTagRow;
  image_members: ImageMemberRow;
  volume_types: VolumeTypeRow;
  volumes: VolumeRow;
  snapshots: SnapshotRow;
  volume_metadata: VolumeMetadataRow;
  volume_image_metadata: VolumeMetadataRow;
  snapshot_metadata: SnapshotMetadataRow;
  volume_attachments: VolumeAttachmentRow;
  quotas: QuotaRow;
  compute_quotas: ComputeQuotaRow;
  quota_classes: QuotaClassRow;
  flavors: FlavorRow;
  flavor_extra_specs: FlavorExtraSpecRow;
  flavor_projects: FlavorProjectRow;
  key_pairs: KeyPairRow;
  tasks: TaskRow;
  layer_refs: LayerRefRow;
}

export interface DomainRow {
  id: string;
  name: string;
  description: string;
  enabled: number;
  created_at: string;
}

export interface ProjectRow {
  id: string;
  name: string;
  domain_id: string;
  description: string;
  enabled: number;
  /** JSON array of strings. */
  tags: string;
  created_at: string;
}

export interface UserRow {
  id: string;
  name: string;
  domain_id: string;
  /** scrypt$N$r$p$salt$hash, or null for a user that cannot log in with a password. */
  password_hash: string | null;
  enabled: number;
  default_project_id: string | null;
  description: string | null;
  email: string | null;
  created_at: string;
}

export interface RoleRow {
  id: string;
  name: string;
  domain_id: string | null;
  description: string | null;
}

export interface RoleAssignmentRow {
  actor_id: string;
  /** 'project', 'domain' or 'system'; target_id is 'all' for the system. */
  target_type: string;
  target_id: string;
  role_id: string;
}

export interface TokenRow {
  /** sha256 of the token string: a leaked database holds no usable token. */
  id_hash: string;
  user_id: string;
  /** 'project', 'domain', 'system' or 'unscoped'. */
  scope_type: string;
  scope_id: string | null;
  /** JSON array of auth methods, e.g. ["password"]. */
  methods: string;
  audit_id: string;
  /** audit id of the token this one was made from, for Keystone's audit chain. */
  parent_audit_id: string | null;
  issued_at: string;
  expires_at: string;
}

export interface ImageRow {
  id: string;
  name: string | null;
  status: string;
  visibility: string;
  protected: number;
  os_hidden: number;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  owner: string | null;
  size: number | null;
  virtual_size: number | null;
  container_format: string | null;
  disk_format: string | null;
  min_disk: number;
  min_ram: number;
  /** Name of the file holding the bytes in the image file store, set when data is committed. */
  file_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ImagePropertyRow {
  image_id: string;
  name: string;
  value: string;
}

export interface ImageTagRow {
  image_id: string;
  value: string;
}

export interface ImageMemberRow {
  image_id: string;
  member: string;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface VolumeTypeRow {
  id: string;
  name: string;
  description: string | null;
  is_public: number;
  /** JSON object of string values. */
  extra_specs: string;
  created_at: string;
}

export interface VolumeRow {
  id: string;
  project_id: string;
  user_id: string;
  name: string | null;
  description: string | null;
  /** GiB. */
  size: number;
  status: string;
  volume_type_id: string;
  availability_zone: string;
  bootable: number;
  snapshot_id: string | null;
  source_volid: string | null;
  image_id: string | null;
  head_layer: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface SnapshotRow {
  id: string;
  project_id: string;
  user_id: string;
  volume_id: string;
  name: string | null;
  description: string | null;
  size: number;
  status: string;
  layer: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface VolumeMetadataRow {
  volume_id: string;
  key: string;
  value: string;
}

export interface VolumeAttachmentRow {
  id: string;
  volume_id: string;
  project_id: string;
  instance_uuid: string | null;
  attached_host: string | null;
  mountpoint: string | null;
  attach_mode: string;
  /** reserved, attaching, attached (cinder/objects/fields.py VolumeAttachStatus). */
  attach_status: string;
  /** The connector JSON given by the caller, if any. */
  connector: string | null;
  attach_time: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface SnapshotMetadataRow {
  snapshot_id: string;
  key: string;
  value: string;
}

export interface QuotaRow {
  project_id: string;
  resource: string;
  hard_limit: number;
}

export interface ComputeQuotaRow {
  project_id: string;
  /** '' for the project's own limits. */
  user_id: string;
  resource: string;
  hard_limit: number;
}

export interface QuotaClassRow {
  service: 'compute' | 'volume';
  class_name: string;
  resource: string;
  hard_limit: number;
}

export interface FlavorRow {
  id: string;
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  swap: number;
  rxtx_factor: number;
  is_public: number;
  disabled: number;
  description: string | null;
  created_at: string;
}

export interface FlavorExtraSpecRow {
  flavor_id: string;
  key: string;
  value: string;
}

export interface FlavorProjectRow {
  flavor_id: string;
  project_id: string;
}

export interface KeyPairRow {
  id: Generated<number>;
  user_id: string;
  name: string;
  type: 'ssh' | 'x509';
  public_key: string;
  fingerprint: string;
  created_at: string;
}

export interface TaskRow {
  id: Generated<number>;
  kind: string;
  target_id: string;
  /** JSON object. */
  payload: string;
  created_at: string;
  /** Tasks with the same key run one at a time, in id order; null on rows older than 007. */
  serial_key: string | null;
  /** Whose turn it is: the runner goes round-robin across projects. */
  project_id: string | null;
  /** The runner running it; null while it waits. */
  claimed_by: string | null;
  claimed_at: string | null;
}

export interface LayerRefRow {
  layer_id: string;
  backing_layer: string | null;
  /** Relative to the layer directory, as in the qcow2 header (`../images/<file>`). */
  external_file: string | null;
}
