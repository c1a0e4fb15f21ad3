import { isJsonObject } from '../../../http/input.js';
import { pyStr } from '../../../http/pyrepr.js';
import type { AttributeMap } from './attributes.js';
import {
  boolFilter,
  intFilter,
  ipAddress,
  noneToEmptyList,
  string,
  textFilter,
  toBoolean,
  uuid,
  uuidList,
  type Validator,
} from './validators.js';

const TEXT = { filter: textFilter, sort: true } as const;
const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;

export const macAddress: Validator = (v) =>
  typeof v === 'string' && MAC.test(v) ? undefined : `'${pyStr(v)}' is not a valid MAC address`;

/** validate_fixed_ips: a list of {subnet_id?, ip_address?}. */
const fixedIps: Validator = (v) => {
  if (!Array.isArray(v)) return `Invalid data format for fixed IP: '${pyStr(v)}'`;
  for (const ip of v) {
    if (!isJsonObject(ip)) return `Invalid data format for fixed IP: '${pyStr(ip)}'`;
    const extra = Object.keys(ip).find((k) => k !== 'subnet_id' && k !== 'ip_address');
    if (extra !== undefined) return `Invalid data format for fixed IP: '${pyStr(ip)}'`;
    if (Object.hasOwn(ip, 'ip_address')) {
      const bad = ipAddress(ip.ip_address);
      if (bad) return bad;
    }
    if (Object.hasOwn(ip, 'subnet_id')) {
      const bad = uuid(ip.subnet_id);
      if (bad) return bad;
    }
  }
  return undefined;
};

/** validate_allowed_address_pairs: {ip_address (address or CIDR), mac_address?}. */
const addressPairs: Validator = (v) => {
  if (!Array.isArray(v)) return `Allowed address pairs must be a list.`;
  for (const p of v) {
    if (!isJsonObject(p) || !Object.hasOwn(p, 'ip_address')) {
      return `AllowedAddressPair must contain ip_address`;
    }
    if (typeof p.ip_address !== 'string')
      return `'${pyStr(p.ip_address)}' is not a valid IP address`;
    if (Object.hasOwn(p, 'mac_address')) {
      const bad = macAddress(p.mac_address);
      if (bad) return bad;
    }
  }
  return undefined;
};

/** Neutron's port attributes (port, portbindings, port-security, allowed-address-pairs, ...). */
export const PORT_ATTRIBUTES: AttributeMap = {
  id: { ...TEXT },
  name: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  description: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  network_id: { post: true, required: true, validate: uuid, ...TEXT },
  admin_state_up: {
    post: true,
    put: true,
    default: true,
    convert: toBoolean,
    filter: boolFilter,
    sort: true,
  },
  mac_address: { post: true, put: true, validate: macAddress, ...TEXT },
  fixed_ips: { post: true, put: true, convert: noneToEmptyList, validate: fixedIps },
  device_id: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  device_owner: { post: true, put: true, default: '', validate: string(255), ...TEXT },
  status: { ...TEXT },
  security_groups: {
    post: true,
    put: true,
    convert: noneToEmptyList,
    validate: uuidList,
    filter: textFilter,
  },
  port_security_enabled: {
    post: true,
    put: true,
    convert: toBoolean,
    filter: boolFilter,
    sort: true,
  },
  allowed_address_pairs: {
    post: true,
    put: true,
    convert: noneToEmptyList,
    validate: addressPairs,
  },
  extra_dhcp_opts: { post: true, put: true, convert: noneToEmptyList },
  'binding:host_id': { post: true, put: true, adminOnly: true, validate: string(255), ...TEXT },
  'binding:vnic_type': { post: true, put: true, validate: string(64), ...TEXT },
  'binding:profile': { post: true, put: true, adminOnly: true },
  'binding:vif_type': {},
  'binding:vif_details': {},
  dns_name: { post: true, put: true, validate: string(255), ...TEXT },
  dns_assignment: {},
  ip_allocation: {},
  propagate_uplink_status: {},
  resource_request: {},
  project_id: { ...TEXT },
  tenant_id: { ...TEXT },
  revision_number: { filter: intFilter, sort: true },
  created_at: { sort: true },
  updated_at: { sort: true },
  tags: {},
};
