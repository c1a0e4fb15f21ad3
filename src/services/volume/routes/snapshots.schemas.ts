import { Type } from '../../../http/schema.js';
import { NullableText } from './input.js';

export const SnapshotCreateBody = Type.Object({
  volume_id: Type.Optional(Type.Unknown()),
  name: Type.Optional(NullableText(255)),
  display_name: Type.Optional(NullableText(255)),
  description: Type.Optional(NullableText(65535)),
  display_description: Type.Optional(NullableText(65535)),
  force: Type.Optional(Type.Unknown()),
  metadata: Type.Optional(Type.Unknown()),
});

export const SnapshotUpdateBody = Type.Object({
  name: Type.Optional(NullableText(255)),
  display_name: Type.Optional(NullableText(255)),
  description: Type.Optional(NullableText(65535)),
  display_description: Type.Optional(NullableText(65535)),
});

export const SNAPSHOT_SORT_KEYS = [
  'id',
  'name',
  'status',
  'size',
  'created_at',
  'updated_at',
  'volume_id',
] as const;

/** etc/cinder/resource_filters.json's `snapshot`. */
export const SNAPSHOT_FILTERS = new Set([
  'name',
  'status',
  'volume_id',
  'metadata',
  'availability_zone',
  'consumes_quota',
]);

export const FORCE_366 =
  "Invalid input received: Since microversion 3.66 the 'force' flag is invalid for this request. For backward compatability, however, when the 'force' flag is passed with a value evaluating to True, it is silently ignored.";
