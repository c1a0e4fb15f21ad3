import { Type } from '../../../http/schema.js';
import { NullableText, OptionalBoolean } from './input.js';

/**
 * The inside of POST /volumes' `volume` (cinder/api/schemas/volumes.py); size and metadata
 * are checked by the route with Cinder's own texts. Unknown keys are allowed, as in Cinder.
 */
export const VolumeCreateBody = Type.Object({
  name: Type.Optional(NullableText(255)),
  display_name: Type.Optional(NullableText(255)),
  description: Type.Optional(NullableText(65535)),
  display_description: Type.Optional(NullableText(65535)),
  volume_type: Type.Optional(NullableText(255)),
  snapshot_id: Type.Optional(NullableText(255)),
  source_volid: Type.Optional(NullableText(255)),
  imageRef: Type.Optional(NullableText(255)),
  availability_zone: Type.Optional(NullableText(255)),
  size: Type.Optional(Type.Unknown()),
  metadata: Type.Optional(Type.Unknown()),
  multiattach: Type.Optional(OptionalBoolean),
});

export const VolumeUpdateBody = Type.Object({
  name: Type.Optional(NullableText(255)),
  display_name: Type.Optional(NullableText(255)),
  description: Type.Optional(NullableText(65535)),
  display_description: Type.Optional(NullableText(65535)),
  metadata: Type.Optional(Type.Unknown()),
});

export const DeleteQuery = Type.Object({
  cascade: Type.Optional(Type.Unknown()),
  force: Type.Optional(Type.Unknown()),
});

/** Cinder's text for the multiattach flag it removed (cinder/api/v3/volumes.py, Zed). */
export const MULTIATTACH_REMOVED =
  'multiattach parameter has been removed. The default behavior is to use multiattach enabled volume types. Contact your administrator to create a multiattach enabled volume type and use it to create multiattach volumes.';

export const VOLUME_SORT_KEYS = [
  'id',
  'name',
  'size',
  'status',
  'created_at',
  'updated_at',
  'availability_zone',
  'bootable',
] as const;

/** etc/cinder/resource_filters.json's `volume`, and the legacy display_name. */
export const VOLUME_FILTERS = new Set([
  'name',
  'status',
  'metadata',
  'bootable',
  'migration_status',
  'availability_zone',
  'group_id',
  'size',
  'created_at',
  'updated_at',
  'consumes_quota',
]);
