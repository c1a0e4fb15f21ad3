import { pyRepr } from '../../../http/pyrepr.js';
import type { Microversion } from '../../../http/microversion.js';
import { Type } from '../../../http/schema.js';
import { BOOLISH } from './servers.schemas.js';
import { NonNegativeIntParam } from './parse.js';

// nova/api/openstack/compute/schemas/volumes.py and attach_interfaces.py (Zed).

const UUID_PATTERN =
  '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$';
/** parameter_types.volume_id and its kin: `{'type': 'string', 'format': 'uuid'}`. */
const UUID = Type.String({
  pattern: UUID_PATTERN,
  novaMessage: (v: unknown) =>
    typeof v === 'string' ? `${pyRepr(v)} is not a 'uuid'` : `${pyRepr(v)} is not of type 'string'`,
});
const TAG = Type.String({ minLength: 1, maxLength: 60, pattern: '^[^,/]*$' });
/** The pattern of nova/block_device.py match_device. */
const DEVICE_PATTERN = '(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$';
const deviceMessage = (v: unknown): string =>
  typeof v === 'string'
    ? `${pyRepr(v)} does not match '${DEVICE_PATTERN}'`
    : `${pyRepr(v)} is not of type 'string', 'null'`;
const DEVICE = Type.Union(
  [Type.String({ pattern: DEVICE_PATTERN, novaMessage: deviceMessage }), Type.Null()],
  { novaMessage: deviceMessage },
);

const attach = (tag: boolean, deleteOnTermination: boolean) =>
  Type.Object(
    {
      volumeAttachment: Type.Object(
        {
          volumeId: UUID,
          device: Type.Optional(DEVICE),
          ...(tag ? { tag: Type.Optional(TAG) } : {}),
          ...(deleteOnTermination ? { delete_on_termination: Type.Optional(BOOLISH) } : {}),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  );

export const ATTACH_VOLUME: ReadonlyArray<readonly [Microversion, ReturnType<typeof attach>]> = [
  [[2, 0], attach(false, false)],
  [[2, 49], attach(true, false)],
  [[2, 79], attach(true, true)],
];

/** PUT before 2.85: a swap, only volumeId. */
export const SWAP_VOLUME = Type.Object(
  {
    volumeAttachment: Type.Object({ volumeId: UUID }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

/** PUT from 2.85: what GET shows may be sent back; only delete_on_termination changes. */
export const UPDATE_VOLUME_ATTACHMENT = Type.Object(
  {
    volumeAttachment: Type.Object(
      {
        volumeId: UUID,
        device: Type.Optional(DEVICE),
        tag: Type.Optional(TAG),
        delete_on_termination: Type.Optional(BOOLISH),
        serverId: Type.Optional(UUID),
        id: Type.Optional(UUID),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const pageQuery = (strict: boolean) =>
  Type.Object(
    { limit: NonNegativeIntParam, offset: NonNegativeIntParam },
    { additionalProperties: !strict },
  );
export const ATTACHMENTS_QUERY: ReadonlyArray<
  readonly [Microversion, ReturnType<typeof pageQuery>]
> = [
  [[2, 0], pageQuery(false)],
  [[2, 75], pageQuery(true)],
];

const attachInterface = (tag: boolean) =>
  Type.Object(
    {
      interfaceAttachment: Type.Optional(
        Type.Object(
          {
            net_id: Type.Optional(UUID),
            port_id: Type.Optional(UUID),
            fixed_ips: Type.Optional(
              Type.Array(
                Type.Object({ ip_address: Type.String() }, { additionalProperties: false }),
                { minItems: 1, maxItems: 1 },
              ),
            ),
            ...(tag ? { tag: Type.Optional(TAG) } : {}),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  );

export const ATTACH_INTERFACE: ReadonlyArray<
  readonly [Microversion, ReturnType<typeof attachInterface>]
> = [
  [[2, 0], attachInterface(false)],
  [[2, 49], attachInterface(true)],
];
