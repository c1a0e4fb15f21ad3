import { Type } from '../../../http/schema.js';

// nova/api/openstack/compute/schemas/flavor_access.py (Zed).

const TENANT = Type.Object(
  { tenant: Type.String({ minLength: 1, maxLength: 255 }) },
  { additionalProperties: false },
);

export const AddTenantAccess = Type.Object(
  { addTenantAccess: TENANT },
  { additionalProperties: false },
);
export const RemoveTenantAccess = Type.Object(
  { removeTenantAccess: TENANT },
  { additionalProperties: false },
);
