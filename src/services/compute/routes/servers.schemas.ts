import type { Microversion } from '../../../http/microversion.js';
import { PARAMETER_BOOLEAN_WORDS } from '../../../http/input.js';
import { Type, type TSchema } from '../../../http/schema.js';
import { StringParam } from './parse.js';

// nova/api/openstack/compute/schemas/servers.py (Zed), the ranges the routes choose between.

const UUID = '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$';
/** parameter_types.name: printable, no leading or trailing whitespace. */
export const NAME = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^(?![\\s])[\\s\\S]*(?<![\\s])$',
  novaMessage: () =>
    "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.",
});
export /** parameter_types.boolean: a boolean or one of the words Nova's schemas take. */
const BOOLISH = Type.Union([
  Type.Boolean(),
  Type.Union(PARAMETER_BOOLEAN_WORDS.map((v) => Type.Literal(v))),
]);
const POSITIVE = Type.Union([
  Type.Integer({ minimum: 1 }),
  Type.String({ pattern: '^[0-9]*$', minLength: 1 }),
]);
const METADATA = Type.Record(
  Type.String({ pattern: '^[a-zA-Z0-9-_:. ]{1,255}$' }),
  Type.String({ maxLength: 255 }),
  {
    additionalProperties: false,
  },
);
const VOLUME_SIZE = Type.Union([
  Type.Integer({ minimum: 1, maximum: 2147483647 }),
  Type.String({ pattern: '^[0-9]+$' }),
]);
const BOOT_INDEX = Type.Union([
  Type.Integer(),
  Type.String({ pattern: '^-?[0-9]+$' }),
  Type.Null(),
]);

const networkItem = (withTag: boolean, uuidFormat: boolean) =>
  Type.Object(
    {
      fixed_ip: Type.Optional(Type.String()),
      port: Type.Optional(Type.Union([Type.String({ pattern: UUID }), Type.Null()])),
      uuid: Type.Optional(uuidFormat ? Type.String({ pattern: UUID }) : Type.String()),
      ...(withTag
        ? { tag: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '^[^,/]*$' })) }
        : {}),
    },
    { additionalProperties: false },
  );

const legacyBdm = {
  virtual_name: Type.Optional(Type.String({ maxLength: 255 })),
  volume_id: Type.Optional(Type.String({ pattern: UUID })),
  snapshot_id: Type.Optional(Type.String({ pattern: UUID })),
  volume_size: Type.Optional(VOLUME_SIZE),
  device_name: Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9._/-]*$' }),
  ),
  delete_on_termination: Type.Optional(BOOLISH),
  no_device: Type.Optional(Type.Unknown()),
  connection_info: Type.Optional(Type.String({ maxLength: 16777215 })),
};
const LEGACY_BDM = Type.Array(Type.Object(legacyBdm, { additionalProperties: false }));
const bdmV2 = (withTag: boolean, withType: boolean) =>
  Type.Array(
    Type.Object(
      {
        ...legacyBdm,
        source_type: Type.Optional(
          Type.Union(['volume', 'image', 'snapshot', 'blank'].map((v) => Type.Literal(v))),
        ),
        uuid: Type.Optional(
          Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9._-]*$' }),
        ),
        image_id: Type.Optional(Type.String({ pattern: UUID })),
        destination_type: Type.Optional(
          Type.Union([Type.Literal('local'), Type.Literal('volume')]),
        ),
        guest_format: Type.Optional(Type.String({ maxLength: 255 })),
        device_type: Type.Optional(Type.String({ maxLength: 255 })),
        disk_bus: Type.Optional(Type.String({ maxLength: 255 })),
        boot_index: Type.Optional(BOOT_INDEX),
        ...(withTag
          ? {
              tag: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '^[^,/]*$' })),
            }
          : {}),
        ...(withType
          ? {
              volume_type: Type.Optional(
                Type.Union([Type.String({ maxLength: 255 }), Type.Null()]),
              ),
            }
          : {}),
      },
      { additionalProperties: false },
    ),
  );

interface Features {
  description: boolean;
  networksRequired: boolean;
  tag: boolean;
  tags: boolean;
  personality: boolean;
  volumeType: boolean;
  hostname: boolean;
}

function createSchema(f: Features): TSchema {
  const networksList = Type.Array(networkItem(f.tag, f.networksRequired));
  const networks = f.networksRequired
    ? Type.Union([networksList, Type.Literal('none'), Type.Literal('auto')])
    : networksList;
  const server = Type.Object(
    {
      name: NAME,
      imageRef: Type.Optional(Type.Union([Type.String({ pattern: UUID }), Type.Literal('')])),
      flavorRef: Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 1 })]),
      adminPass: Type.Optional(Type.String()),
      metadata: Type.Optional(METADATA),
      networks: f.networksRequired ? networks : Type.Optional(networks),
      'OS-DCF:diskConfig': Type.Optional(
        Type.Union([Type.Literal('AUTO'), Type.Literal('MANUAL')]),
      ),
      accessIPv4: Type.Optional(Type.String()),
      accessIPv6: Type.Optional(Type.String()),
      ...(f.personality
        ? {
            personality: Type.Optional(
              Type.Array(Type.Object({ path: Type.String(), contents: Type.String() })),
            ),
          }
        : {}),
      availability_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
      block_device_mapping: Type.Optional(LEGACY_BDM),
      block_device_mapping_v2: Type.Optional(bdmV2(f.tag, f.volumeType)),
      config_drive: Type.Optional(BOOLISH),
      key_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
      min_count: Type.Optional(POSITIVE),
      max_count: Type.Optional(POSITIVE),
      return_reservation_id: Type.Optional(BOOLISH),
      security_groups: Type.Optional(
        Type.Array(
          Type.Object(
            { name: Type.String({ minLength: 1, maxLength: 255 }) },
            { additionalProperties: false },
          ),
        ),
      ),
      user_data: Type.Optional(Type.String({ maxLength: 65535 })),
      ...(f.description
        ? { description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])) }
        : {}),
      ...(f.tags
        ? {
            tags: Type.Optional(
              Type.Array(Type.String({ minLength: 1, maxLength: 60, pattern: '^[^,/]*$' }), {
                maxItems: 50,
              }),
            ),
          }
        : {}),
      ...(f.hostname
        ? {
            hostname: Type.Optional(
              Type.String({
                minLength: 2,
                maxLength: 63,
                pattern: '^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$',
              }),
            ),
          }
        : {}),
    },
    { additionalProperties: false },
  );
  return Type.Object(
    {
      server,
      'os:scheduler_hints': Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      'OS-SCH-HNT:scheduler_hints': Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    },
    { additionalProperties: false },
  );
}

const base: Features = {
  description: false,
  networksRequired: false,
  tag: false,
  tags: false,
  personality: true,
  volumeType: false,
  hostname: false,
};
export const CREATE: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], createSchema(base)],
  [[2, 19], createSchema({ ...base, description: true })],
  [[2, 32], createSchema({ ...base, description: true, tag: true })],
  [[2, 37], createSchema({ ...base, description: true, tag: true, networksRequired: true })],
  [
    [2, 52],
    createSchema({ ...base, description: true, tag: true, networksRequired: true, tags: true }),
  ],
  [
    [2, 57],
    createSchema({
      ...base,
      description: true,
      tag: true,
      networksRequired: true,
      tags: true,
      personality: false,
    }),
  ],
  [
    [2, 67],
    createSchema({
      ...base,
      description: true,
      tag: true,
      networksRequired: true,
      tags: true,
      personality: false,
      volumeType: true,
    }),
  ],
  [
    [2, 90],
    createSchema({
      description: true,
      tag: true,
      networksRequired: true,
      tags: true,
      personality: false,
      volumeType: true,
      hostname: true,
    }),
  ],
];

const updateSchema = (description: boolean, hostname: boolean) =>
  Type.Object(
    {
      server: Type.Object(
        {
          name: Type.Optional(NAME),
          accessIPv4: Type.Optional(Type.String()),
          accessIPv6: Type.Optional(Type.String()),
          'OS-DCF:diskConfig': Type.Optional(
            Type.Union([Type.Literal('AUTO'), Type.Literal('MANUAL')]),
          ),
          ...(description
            ? {
                description: Type.Optional(
                  Type.Union([Type.String({ maxLength: 255 }), Type.Null()]),
                ),
              }
            : {}),
          ...(hostname
            ? { hostname: Type.Optional(Type.String({ minLength: 2, maxLength: 63 })) }
            : {}),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  );
export const UPDATE: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], updateSchema(false, false)],
  [[2, 19], updateSchema(true, false)],
  [[2, 90], updateSchema(true, true)],
];

/** VALID_SORT_KEYS (v2.1): what orders, then what Nova accepts and ignores. */
const SORT_KEYS = [
  ...['access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'availability_zone', 'config_drive'],
  ...['created_at', 'display_description', 'display_name', 'host', 'hostname', 'image_ref'],
  ...['instance_type_id', 'kernel_id', 'key_name', 'launch_index', 'launched_at', 'locked_by'],
  ...['node', 'power_state', 'progress', 'project_id', 'ramdisk_id', 'root_device_name'],
  ...['task_state', 'terminated_at', 'updated_at', 'user_id', 'uuid', 'vm_state'],
  ...['architecture', 'cell_name', 'cleaned', 'default_ephemeral_device', 'default_swap_device'],
  ...['deleted', 'deleted_at', 'disable_terminate', 'ephemeral_gb', 'ephemeral_key_uuid', 'id'],
  ...['key_data', 'launched_on', 'locked', 'memory_mb', 'os_type', 'reservation_id', 'root_gb'],
  ...['shutdown_terminate', 'user_data', 'vcpus', 'vm_mode'],
];

/** List queries are lists (webob); before 2.75 unknown keys are ignored. */
export const LIST_QUERY = Type.Object(
  {
    limit: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]+$' }))),
    marker: StringParam,
    name: StringParam,
    status: StringParam,
    image: StringParam,
    flavor: StringParam,
    reservation_id: StringParam,
    'changes-since': StringParam,
    'changes-before': StringParam,
    all_tenants: StringParam,
    project_id: StringParam,
    tenant_id: StringParam,
    user_id: StringParam,
    host: StringParam,
    ip: StringParam,
    ip6: StringParam,
    tags: StringParam,
    'tags-any': StringParam,
    'not-tags': StringParam,
    'not-tags-any': StringParam,
    sort_key: Type.Optional(Type.Array(Type.Union(SORT_KEYS.map((k) => Type.Literal(k))))),
    sort_dir: Type.Optional(Type.Array(Type.Union([Type.Literal('asc'), Type.Literal('desc')]))),
  },
  { additionalProperties: true },
);
