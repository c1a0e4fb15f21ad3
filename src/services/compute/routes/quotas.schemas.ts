import type { TObject } from '../../../vendor/typebox.js';
import { Type, type TSchema } from '../../../http/schema.js';
import type { Microversion } from '../../../http/microversion.js';
import { QUOTA_RESOURCES, type QuotaResource } from '../quotas.js';
import { INJECTED_QUOTAS, NETWORK_QUOTAS } from '../views/quota.view.js';
import { StringParam } from './parse.js';

// nova/api/openstack/compute/schemas/quota_sets.py and quota_classes.py (Zed).

/** common_quota: an integer or a string of digits, -1 (unlimited) to 2^31-1 (strings checked after). */
const QUOTA = Type.Union([
  Type.Integer({ minimum: -1, maximum: 0x7fffffff }),
  Type.String({ pattern: '^-?[0-9]+$' }),
]);

/** parameter_types.boolean: a boolean or a word (read with oslo's bool_from_string after). */
const FORCE = Type.Union([Type.Boolean(), Type.String()]);

function resources(without: QuotaResource[], networks: boolean): Record<string, TSchema> {
  const props: Record<string, TSchema> = {};
  for (const r of QUOTA_RESOURCES) if (!without.includes(r)) props[r] = Type.Optional(QUOTA);
  // nova-network's `networks`: in the schema before 2.36 (2.50 for classes), always refused after.
  if (networks) props.networks = Type.Optional(QUOTA);
  return props;
}

function envelope(key: string, props: Record<string, TSchema>): TObject {
  return Type.Object(
    { [key]: Type.Object(props, { additionalProperties: false }) },
    { additionalProperties: false },
  );
}

const set = (without: QuotaResource[], networks: boolean) =>
  envelope('quota_set', { ...resources(without, networks), force: Type.Optional(FORCE) });

export const QUOTA_SET_UPDATE: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], set([], true)],
  [[2, 36], set(NETWORK_QUOTAS, false)],
  [[2, 57], set([...NETWORK_QUOTAS, ...INJECTED_QUOTAS], false)],
];

export const QUOTA_CLASS_UPDATE: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], envelope('quota_class_set', resources([], true))],
  [[2, 50], envelope('quota_class_set', resources(NETWORK_QUOTAS, false))],
  [[2, 57], envelope('quota_class_set', resources([...NETWORK_QUOTAS, ...INJECTED_QUOTAS], false))],
];

/** An update body once it passed: resource names to integers or digit strings. */
export type QuotaValues = Record<string, number | string | boolean>;

const Query = Type.Object({ user_id: StringParam }, { additionalProperties: true });
const QueryV275 = Type.Object({ user_id: StringParam }, { additionalProperties: false });
export const QUOTA_QUERY: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], Query],
  [[2, 75], QueryV275],
];
export interface QuotaQuery {
  user_id?: string[];
}
