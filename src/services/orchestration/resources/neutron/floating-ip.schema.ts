import type { ResourceType } from '../types.js';

// Generated from heat/engine/resources/openstack/neutron (unmaintained/zed): the schemas
// `resource type show` prints, as data.

/** OS::Neutron::FloatingIP */
export const FLOATING_IP_SCHEMA: Pick<ResourceType, 'properties' | 'attributes' | 'supportStatus'> =
  {
    properties: {
      floating_network_id: {
        type: 'string',
        constraints: [{ kind: 'custom_constraint', name: 'neutron.network' }],
        supportStatus: {
          status: 'HIDDEN',
          version: '5.0.0',
          message: 'Use property floating_network.',
          previous: { status: 'DEPRECATED', version: '2014.2' },
        },
      },
      floating_network: {
        type: 'string',
        description: 'Network to allocate floating IP from.',
        required: true,
        constraints: [{ kind: 'custom_constraint', name: 'neutron.network' }],
        supportStatus: { status: 'SUPPORTED', version: '2014.2' },
      },
      floating_subnet: {
        type: 'string',
        description: 'Subnet to allocate floating IP from.',
        constraints: [{ kind: 'custom_constraint', name: 'neutron.subnet' }],
        supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
      },
      value_specs: {
        type: 'map',
        description:
          'Extra parameters to include in the "floatingip" object in the creation request. Parameters are often specific to installed hardware or extensions.',
        default: {},
      },
      port_id: {
        type: 'string',
        description:
          'ID of an existing port with at least one IP address to associate with this floating IP.',
        updateAllowed: true,
        constraints: [{ kind: 'custom_constraint', name: 'neutron.port' }],
      },
      fixed_ip_address: {
        type: 'string',
        description: 'IP address to use if the port has multiple addresses.',
        updateAllowed: true,
        constraints: [{ kind: 'custom_constraint', name: 'ip_addr' }],
      },
      floating_ip_address: {
        type: 'string',
        description:
          'IP address of the floating IP. NOTE: The default policy setting in Neutron restricts usage of this property to administrative users only.',
        constraints: [{ kind: 'custom_constraint', name: 'ip_addr' }],
        supportStatus: { status: 'SUPPORTED', version: '5.0.0' },
      },
      dns_name: {
        type: 'string',
        description: 'DNS name associated with floating ip.',
        updateAllowed: true,
        constraints: [{ kind: 'custom_constraint', name: 'rel_dns_name' }],
        supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
      },
      dns_domain: {
        type: 'string',
        description: 'DNS domain associated with floating ip.',
        updateAllowed: true,
        constraints: [{ kind: 'custom_constraint', name: 'dns_domain' }],
        supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
      },
    },
    attributes: {
      router_id: {
        description: 'ID of the router used as gateway, set when associated with a port.',
        type: 'string',
      },
      tenant_id: { description: 'The tenant owning this floating IP.', type: 'string' },
      floating_network_id: {
        description: 'ID of the network in which this IP is allocated.',
        type: 'string',
      },
      fixed_ip_address: {
        description: 'IP address of the associated port, if specified.',
        type: 'string',
      },
      floating_ip_address: { description: 'The allocated address of this IP.', type: 'string' },
      port_id: { description: 'ID of the port associated with this IP.', type: 'string' },
    },
  };

/** OS::Neutron::FloatingIPAssociation */
export const FLOATING_IP_ASSOCIATION_SCHEMA: Pick<
  ResourceType,
  'properties' | 'attributes' | 'supportStatus'
> = {
  properties: {
    floatingip_id: {
      type: 'string',
      description: 'ID of the floating IP to associate.',
      required: true,
      updateAllowed: true,
    },
    port_id: {
      type: 'string',
      description:
        'ID of an existing port with at least one IP address to associate with this floating IP.',
      required: true,
      updateAllowed: true,
      constraints: [{ kind: 'custom_constraint', name: 'neutron.port' }],
    },
    fixed_ip_address: {
      type: 'string',
      description: 'IP address to use if the port has multiple addresses.',
      updateAllowed: true,
      constraints: [{ kind: 'custom_constraint', name: 'ip_addr' }],
    },
  },
  attributes: {},
};
