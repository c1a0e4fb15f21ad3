import type { SnapshotRow, VolumeAttachmentRow, VolumeRow } from '../../store/schema.js';

export const GiB = 1024 ** 3;
export const AVAILABILITY_ZONE = 'nova';
export const DEFAULT_TYPE_NAME = '__DEFAULT__';
/** The name Cinder's scheduler gives the one backend pool, as `host@backend#pool`. */
export const BACKEND_HOST = 'pocketstack@layers#layers';

export type Metadata = Record<string, string>;

/** A map of client keys without a prototype: `constructor` or `toString` are keys like any other. */
export function emptyMetadata(): Metadata {
  return Object.create(null) as Metadata;
}

export interface Volume {
  row: VolumeRow;
  metadata: Metadata;
  /** Glance metadata copied from the image the volume (or its snapshot's volume) came from. */
  imageMetadata: Metadata;
  /** The name of its volume type. */
  typeName: string;
  attachments: VolumeAttachmentRow[];
}

export interface Snapshot {
  row: SnapshotRow;
  metadata: Metadata;
}

export type Attachment = VolumeAttachmentRow;

/** Statuses from which a volume may be deleted without force (cinder/volume/api.py). */
export const DELETABLE = [
  'available',
  'error',
  'error_restoring',
  'error_extending',
  'error_managing',
];

/** Cinder Zed's one message for every reason a plain delete is refused. */
export const VOLUME_DELETE_REFUSED =
  'Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.';

export const SNAPSHOT_DELETE_REFUSED =
  'Invalid snapshot: Snapshot status must be available or error and must not be part of a group.';

/** POST /volumes, after the route has parsed and checked the body. */
export interface VolumeCreate {
  name: string | null;
  description: string | null;
  /** GiB; absent means "the source's size". */
  size?: number;
  snapshotId?: string;
  sourceVolid?: string;
  imageRef?: string;
  volumeType?: string;
  availabilityZone?: string;
  metadata: Metadata;
}

/** PUT /volumes/{id}: a field absent is left as it is. */
export interface VolumeUpdate {
  name?: string | null;
  description?: string | null;
  metadata?: Metadata;
}

export interface SnapshotCreate {
  volumeId: string;
  name: string | null;
  description: string | null;
  metadata: Metadata;
  /** Already resolved for the microversion (3.66+ always true). */
  force: boolean;
}

export interface SnapshotUpdate {
  name?: string | null;
  description?: string | null;
}

export interface UploadImage {
  imageName: string;
  diskFormat: 'raw' | 'qcow2';
  containerFormat: string;
  force: boolean;
  visibility?: string;
  protected?: boolean;
}

/** os-attach: the old attach flow (instance or host, mountpoint, mode). */
export interface AttachInput {
  instanceUuid: string | null;
  hostName: string | null;
  mountpoint: string;
  mode: 'rw' | 'ro';
}

/** POST /attachments. */
export interface AttachmentCreate {
  volumeId: string;
  instanceUuid: string | null;
  connector: Record<string, unknown> | null;
  mode: 'rw' | 'ro' | 'null';
}

export type SortDir = 'asc' | 'desc';

/** limit, offset, marker and the order of a list page, as the route read them. */
export interface Paging {
  limit: number;
  /** Whether the caller asked for a limit (decides when a next link is due). */
  limited: boolean;
  offset: number;
  marker: string | undefined;
  sort: Array<[string, SortDir]>;
}

/** Whose resources a list shows: a project id, or null for every project (admin). */
export interface ListScope {
  allTenants: boolean;
  projectId?: string;
}

export interface VolumeFilters {
  name?: string;
  status?: string;
  availabilityZone?: string;
  bootable?: boolean;
  metadata?: Metadata;
}

export interface SnapshotFilters {
  name?: string;
  status?: string;
  volumeId?: string;
}

export interface AttachmentFilters {
  volumeId?: string;
  status?: string;
  instanceId?: string;
}
