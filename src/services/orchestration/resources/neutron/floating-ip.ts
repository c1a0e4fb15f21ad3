import { randomUUID } from 'node:crypto';
import { HeatFault } from '../../errors.js';
import type { ResourceType } from '../types.js';
import { create, remove, show, update } from './client.js';
import { field, findId, ignoreNotFound, prepareProperties } from './common.js';
import { FLOATING_IP_ASSOCIATION_SCHEMA, FLOATING_IP_SCHEMA } from './floating-ip.schema.js';
import { floatingIpAssociationRequires, floatingIpRequires } from './implicit-deps.js';

/** OS::Neutron::FloatingIP (heat/engine/resources/openstack/neutron/floatingip.py). */
export const FLOATING_IP: ResourceType = {
  implicitRequires: floatingIpRequires,
  type: 'OS::Neutron::FloatingIP',
  description:
    'A resource for managing Neutron floating ips.\n\nFloating IP addresses can change their association between routers by\naction of the user. One of the most common use cases for floating IPs is\nto provide public IP addresses to a private cloud, where there are a\nlimited number of IP addresses available. Another is for a public cloud\nuser to have a "static" IP address that can be reassigned when an instance\nis upgraded or moved.',
  ...FLOATING_IP_SCHEMA,
  translations: [{ from: ['floating_network_id'], to: 'floating_network' }],

  async validate(_rc, props) {
    if (props.port_id == null && props.fixed_ip_address != null) {
      throw new HeatFault(
        'ResourcePropertyDependency',
        'fixed_ip_address cannot be specified without port_id.',
      );
    }
  },

  async create(rc, props) {
    const body = prepareProperties(props, null);
    body.floating_network_id = await findId(rc, 'network', body.floating_network);
    delete body.floating_network;
    if (Object.hasOwn(body, 'floating_subnet')) {
      body.subnet_id = await findId(rc, 'subnet', body.floating_subnet);
      delete body.floating_subnet;
    }
    return create(rc, 'floatingip', body);
  },

  async update(rc, id, next, prev, changed) {
    const pick = (k: string) => (changed.includes(k) ? next[k] : prev[k]) ?? null;
    const body: Record<string, unknown> = {
      port_id: pick('port_id'),
      fixed_ip_address: pick('fixed_ip_address'),
    };
    // dns_name and dns_domain are update_allowed too; Heat sends only the association.
    await update(rc, 'floatingip', id, body);
  },

  async delete(rc, id) {
    await ignoreNotFound(remove(rc, 'floatingip', id));
  },

  async attribute(rc, id, name) {
    return field(await show(rc, 'floatingip', id), name);
  },

  show: (rc, id) => show(rc, 'floatingip', id),
};

/**
 * OS::Neutron::FloatingIPAssociation: associates on create, disassociates on delete. Heat's
 * physical id is its own resource row id; here it is a fresh UUID (the rows have no integer).
 */
export const FLOATING_IP_ASSOCIATION: ResourceType = {
  implicitRequires: floatingIpAssociationRequires,
  type: 'OS::Neutron::FloatingIPAssociation',
  description:
    'A resource for associating floating ips and ports.\n\nThis resource allows associating a floating IP to a port with at least one\nIP address to associate with this floating IP.',
  ...FLOATING_IP_ASSOCIATION_SCHEMA,

  async create(rc, props) {
    const body = prepareProperties(props, null);
    const fip = body.floatingip_id as string;
    delete body.floatingip_id;
    await update(rc, 'floatingip', fip, body);
    return randomUUID();
  },

  async update(rc, _id, next, prev, changed) {
    const changedTo = (k: string) => (changed.includes(k) ? next[k] : null);
    if (changed.includes('floatingip_id')) {
      await ignoreNotFound(
        update(rc, 'floatingip', prev.floatingip_id as string, { port_id: null }),
      );
    }
    const fip = (changedTo('floatingip_id') || prev.floatingip_id) as string;
    const body = {
      port_id: changedTo('port_id') || prev.port_id,
      fixed_ip_address: changedTo('fixed_ip_address') || prev.fixed_ip_address || null,
    };
    await update(rc, 'floatingip', fip, body);
  },

  async delete(rc, _id, props) {
    await ignoreNotFound(
      update(rc, 'floatingip', props.floatingip_id as string, { port_id: null }),
    );
  },

  attribute: () => Promise.resolve(null),
};
