import type { AttributeMap } from './attributes.js';
import { conflict } from '../errors.js';
import { boolFilter, intFilter, string, textFilter, toBoolean } from './validators.js';

const TEXT = { filter: textFilter, sort: true } as const;

/**
 * The name_not_default validator: no second group may be called `default`, in any case. Neutron
 * raises it as a 409 from the validator, after the string checks (which `validate` makes).
 */
function nameNotDefault(v: unknown): unknown {
  if (typeof v === 'string' && v.length <= 255 && v.toLowerCase() === 'default') {
    throw conflict('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
  }
  return v;
}

/** Neutron's security group attributes (neutron/extensions/securitygroup.py, stateful and
 * shared-filtering extensions, standard attributes). */
export const SECURITY_GROUP_ATTRIBUTES: AttributeMap = {
  id: { ...TEXT },
  name: {
    post: true,
    put: true,
    default: '',
    convert: nameNotDefault,
    validate: string(255),
    ...TEXT,
  },
  description: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  stateful: { post: true, put: true, default: true, convert: toBoolean },
  shared: { filter: boolFilter },
  security_group_rules: {},
  project_id: { ...TEXT },
  tenant_id: { ...TEXT },
  revision_number: { filter: intFilter, sort: true },
  created_at: { sort: true },
  updated_at: { sort: true },
  tags: {},
};
