import { pyRepr } from '../../../http/pyrepr.js';
import { Type, type TSchema } from '../../../http/schema.js';
import type { Microversion } from '../../../http/microversion.js';
import { FLAVOR_SORT_KEYS } from '../flavors.js';
import { NonNegativeIntParam, StringParam } from './parse.js';

// nova/api/openstack/compute/schemas/flavor_manage.py and flavors.py (Zed).

const MAX_INT = 0x7fffffff;

/** flavor_param_positive / _non_negative: an integer, or a string of digits (range checked after). */
const flavorInt = (minimum: number) =>
  Type.Union([Type.Integer({ minimum, maximum: MAX_INT }), Type.String({ pattern: '^[0-9]+$' })]);

const NAME = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^(?!\\s)[\\s\\S]*(?<!\\s)$',
  novaMessage: () =>
    'The name must be a string of 1 to 255 characters without leading or trailing whitespace.',
});

const RXTX_MESSAGE = { novaMessage: () => 'rxtx_factor must be a number greater than 0.' };
/** A positive float, as a number or a string of digits; 0 and below are checked after. */
const RXTX = Type.Union(
  [
    Type.Number({ exclusiveMinimum: 0, maximum: 3.40282e38, ...RXTX_MESSAGE }),
    Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$', ...RXTX_MESSAGE }),
  ],
  RXTX_MESSAGE,
);

/** parameter_types.boolean takes booleans and words; the words are oslo's (checked after). */
export const IS_PUBLIC_MESSAGE = (v: unknown) =>
  `${pyRepr(v)} is not one of the accepted boolean values`;
const IS_PUBLIC = Type.Union([Type.Boolean(), Type.String()], { novaMessage: IS_PUBLIC_MESSAGE });

const DESCRIPTION_MESSAGE = {
  novaMessage: () => 'The description must be a string of at most 65535 characters.',
};
/** 2.55: a description of at most 65535 characters (a TEXT column), or null. */
const DESCRIPTION = Type.Union(
  [Type.String({ maxLength: 65535, ...DESCRIPTION_MESSAGE }), Type.Null()],
  DESCRIPTION_MESSAGE,
);

const flavorProperties = {
  name: NAME,
  id: Type.Optional(
    Type.Union([
      Type.String({ minLength: 1, maxLength: 255, pattern: '^(?! )[a-zA-Z0-9. _-]+(?<! )$' }),
      Type.Number(),
      Type.Null(),
    ]),
  ),
  ram: flavorInt(1),
  vcpus: flavorInt(1),
  disk: flavorInt(0),
  'OS-FLV-EXT-DATA:ephemeral': Type.Optional(flavorInt(0)),
  swap: Type.Optional(flavorInt(0)),
  rxtx_factor: Type.Optional(RXTX),
  'os-flavor-access:is_public': Type.Optional(IS_PUBLIC),
};

export const Create = Type.Object(
  { flavor: Type.Object(flavorProperties, { additionalProperties: false }) },
  { additionalProperties: false },
);
export const CreateV255 = Type.Object(
  {
    flavor: Type.Object(
      { ...flavorProperties, description: Type.Optional(DESCRIPTION) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export const CREATE: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], Create],
  [[2, 55], CreateV255],
];

export const UpdateV255 = Type.Object(
  {
    flavor: Type.Object({ description: DESCRIPTION }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

const listProperties = {
  limit: NonNegativeIntParam,
  marker: StringParam,
  is_public: StringParam,
  minRam: StringParam,
  minDisk: StringParam,
  sort_key: Type.Optional(
    Type.Array(Type.Union([...FLAVOR_SORT_KEYS.keys()].map((k) => Type.Literal(k)))),
  ),
  sort_dir: Type.Optional(Type.Array(Type.Union([Type.Literal('asc'), Type.Literal('desc')]))),
};
export const ListQuery = Type.Object(listProperties, { additionalProperties: true });
/** 2.75 refuses parameters Nova does not know. */
export const ListQueryV275 = Type.Object(listProperties, { additionalProperties: false });
export const LIST_QUERY: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], ListQuery],
  [[2, 75], ListQueryV275],
];
