import type { AttributeMap } from './attributes.js';
import { intFilter, ipAddressOrNone, string, textFilter, uuid, uuidOrNone } from './validators.js';

const TEXT = { filter: textFilter, sort: true } as const;

/** Neutron's floating IP attributes (l3, fip-port-details, standard attributes). */
export const FLOATINGIP_ATTRIBUTES: AttributeMap = {
  id: { ...TEXT },
  floating_ip_address: { post: true, validate: ipAddressOrNone, ...TEXT },
  subnet_id: { post: true, validate: uuidOrNone },
  floating_network_id: { post: true, required: true, validate: uuid, ...TEXT },
  router_id: { ...TEXT },
  port_id: { post: true, put: true, validate: uuidOrNone, filter: textFilter },
  fixed_ip_address: { post: true, put: true, validate: ipAddressOrNone, ...TEXT },
  status: { ...TEXT },
  port_details: {},
  description: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  project_id: { ...TEXT },
  tenant_id: { ...TEXT },
  revision_number: { filter: intFilter, sort: true },
  created_at: { sort: true },
  updated_at: { sort: true },
  tags: {},
};
