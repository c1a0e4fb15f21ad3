import type { AttributeMap } from './attributes.js';
import {
  boolFilter,
  intFilter,
  listOf,
  range,
  string,
  stringOrNone,
  textFilter,
  toBoolean,
  toInt,
  toIntOrNone,
  values,
} from './validators.js';

const BOOL = { convert: toBoolean, filter: boolFilter, sort: true } as const;
const TEXT = { filter: textFilter, sort: true } as const;

/** Neutron's network attributes (neutron_lib/api/definitions: network, external_net, provider
 * net, port_security, mtu_writable, network_availability_zone, dns_domain, standard attrs). */
export const NETWORK_ATTRIBUTES: AttributeMap = {
  id: { ...TEXT },
  name: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  description: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  admin_state_up: { post: true, put: true, default: true, ...BOOL },
  status: { ...TEXT },
  subnets: {},
  shared: { post: true, put: true, default: false, adminOnly: true, ...BOOL },
  'router:external': { post: true, put: true, default: false, adminOnly: true, ...BOOL },
  is_default: { post: true, put: true, default: false, adminOnly: true, ...BOOL },
  mtu: {
    post: true,
    put: true,
    convert: toInt,
    validate: range(68, 65535),
    filter: intFilter,
    sort: true,
  },
  port_security_enabled: { post: true, put: true, default: true, ...BOOL },
  'provider:network_type': {
    post: true,
    put: true,
    adminOnly: true,
    validate: values(['vxlan', 'vlan', 'flat', 'geneve', 'gre', 'local']),
    ...TEXT,
  },
  'provider:physical_network': {
    post: true,
    put: true,
    adminOnly: true,
    validate: stringOrNone(64),
    ...TEXT,
  },
  'provider:segmentation_id': {
    post: true,
    put: true,
    adminOnly: true,
    convert: toIntOrNone,
    filter: intFilter,
    sort: true,
  },
  availability_zone_hints: { post: true, default: [], validate: listOf(string(255)) },
  availability_zones: {},
  dns_domain: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  ipv4_address_scope: {},
  ipv6_address_scope: {},
  l2_adjacency: {},
  project_id: { ...TEXT },
  tenant_id: { ...TEXT },
  revision_number: { filter: intFilter, sort: true },
  created_at: { sort: true },
  updated_at: { sort: true },
  tags: {},
};
