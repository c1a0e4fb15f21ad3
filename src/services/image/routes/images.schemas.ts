import { Type, type TSchema } from '../../../http/schema.js';
import {
  CONTAINER_FORMATS,
  DISK_FORMATS,
  MEMBER_STATUSES,
  STATUSES,
  UUID_PATTERN,
  VISIBILITIES,
} from '../model.js';

/** jsonschema's `type: 'string', enum: [...]`, worded as it words it. */
function stringEnum<T extends string>(values: readonly T[]) {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    { glanceEnum: { values, types: ['string'] } },
  );
}

/** jsonschema's `type: ['null', 'string'], enum: [None, ...]`. */
function nullableEnum(values: readonly string[]): TSchema {
  return Type.Union([Type.Null(), Type.Union(values.map((v) => Type.Literal(v)))], {
    glanceEnum: { values: [null, ...values], types: ['null', 'string'] },
  });
}

const nullableString = (maxLength: number) => Type.Union([Type.Null(), Type.String({ maxLength })]);
const nullableInteger = Type.Union([Type.Null(), Type.Integer()]);

/**
 * Glance's image schema (glance/api/v2/images.py get_base_properties, PermissiveSchema): base
 * properties typed, any other property a string. Read-only properties are typed too, as in
 * Glance, which checks types before it refuses them as read-only.
 */
export const ImageBody = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: UUID_PATTERN })),
    name: Type.Optional(nullableString(255)),
    status: Type.Optional(stringEnum(STATUSES)),
    visibility: Type.Optional(stringEnum(VISIBILITIES)),
    protected: Type.Optional(Type.Boolean()),
    os_hidden: Type.Optional(Type.Boolean()),
    checksum: Type.Optional(nullableString(32)),
    os_hash_algo: Type.Optional(nullableString(64)),
    os_hash_value: Type.Optional(nullableString(128)),
    owner: Type.Optional(nullableString(255)),
    size: Type.Optional(nullableInteger),
    virtual_size: Type.Optional(nullableInteger),
    container_format: Type.Optional(nullableEnum(CONTAINER_FORMATS)),
    disk_format: Type.Optional(nullableEnum(DISK_FORMATS)),
    created_at: Type.Optional(Type.String()),
    updated_at: Type.Optional(Type.String()),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 255 }))),
    min_ram: Type.Optional(Type.Integer()),
    min_disk: Type.Optional(Type.Integer()),
    // Glance's schema has locations (an array); pocketstack keeps none, so it is read-only.
    locations: Type.Optional(Type.Array(Type.Unknown())),
  },
  { additionalProperties: Type.String() },
);

/** A query parameter: one value, or several when the key repeats. */
const Param = Type.Union([Type.String(), Type.Array(Type.String())]);

/**
 * GET /v2/images. Glance reads a few parameters by name and takes every other one as a filter
 * (a base column or an extra property), so any key is allowed; `routes/list-params.ts` gives
 * each its meaning and Glance's text.
 */
export const ListImagesQuery = Type.Object(
  {
    limit: Type.Optional(Param),
    marker: Type.Optional(Param),
    sort: Type.Optional(Param),
    sort_key: Type.Optional(Param),
    sort_dir: Type.Optional(Param),
    visibility: Type.Optional(Param),
    member_status: Type.Optional(Param),
    tag: Type.Optional(Param),
  },
  { additionalProperties: Param },
);

const MEMBER_FORM = 'Expected a member in the form: {"member": "image_id"}';

/**
 * POST /v2/images/{id}/members (image_members.py RequestDeserializer.create). The column holds
 * 255 characters; Glance would fail in its database beyond that, pocketstack answers 400.
 */
export const MemberBody = Type.Object({
  member: Type.String({
    maxLength: 255,
    message: MEMBER_FORM,
    missing: 'Member to be added not specified',
  }),
});

/** PUT /v2/images/{id}/members/{member}: the domain's ValueError, as Glance words it. */
export const MemberStatusBody = Type.Object({
  status: Type.Union(
    MEMBER_STATUSES.map((s) => Type.Literal(s)),
    {
      message: 'Incorrect request: Status must be "pending", "accepted" or "rejected".',
      missing: 'Status not specified',
    },
  ),
});

export const NOT_AN_OBJECT = {
  member: MEMBER_FORM,
  status: 'Expected a status in the form: {"status": "status"}',
} as const;
