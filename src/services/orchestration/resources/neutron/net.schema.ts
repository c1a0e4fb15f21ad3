import type { ResourceType } from '../types.js';

// Generated from heat/engine/resources/openstack/neutron (unmaintained/zed): the schemas
// `resource type show` prints, as data.

/** OS::Neutron::Net */
export const NET_SCHEMA: Pick<ResourceType, 'properties' | 'attributes' | 'supportStatus'> = {
  properties: {
    name: {
      type: 'string',
      description:
        'A string specifying a symbolic name for the network, which is not required to be unique.',
      updateAllowed: true,
    },
    value_specs: {
      type: 'map',
      description:
        'Extra parameters to include in the request. Parameters are often specific to installed hardware or extensions.',
      default: {},
      updateAllowed: true,
    },
    admin_state_up: {
      type: 'boolean',
      description: 'A boolean value specifying the administrative status of the network.',
      default: true,
      updateAllowed: true,
    },
    tenant_id: {
      type: 'string',
      description:
        'The ID of the tenant which will own the network. Only administrative users can set the tenant identifier; this cannot be changed using authorization policies.',
    },
    shared: {
      type: 'boolean',
      description:
        'Whether this network should be shared across all tenants. Note that the default policy setting restricts usage of this attribute to administrative users only.',
      default: false,
      updateAllowed: true,
    },
    dhcp_agent_ids: {
      type: 'list',
      description:
        'The IDs of the DHCP agent to schedule the network. Note that the default policy setting in Neutron restricts usage of this property to administrative users only.',
      updateAllowed: true,
    },
    port_security_enabled: {
      type: 'boolean',
      description:
        'Flag to enable/disable port security on the network. It provides the default value for the attribute of the ports created on this network.',
      updateAllowed: true,
      supportStatus: { status: 'SUPPORTED', version: '5.0.0' },
    },
    qos_policy: {
      type: 'string',
      description: 'The name or ID of QoS policy to attach to this network.',
      updateAllowed: true,
      constraints: [{ kind: 'custom_constraint', name: 'neutron.qos_policy' }],
      supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
    },
    dns_domain: {
      type: 'string',
      description: 'DNS domain associated with this network.',
      updateAllowed: true,
      constraints: [{ kind: 'custom_constraint', name: 'dns_domain' }],
      supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
    },
    availability_zone_hints: {
      type: 'list',
      description:
        'Availability zone candidates for the network. It requires the availability_zone extension to be available.',
      supportStatus: { status: 'SUPPORTED', version: '19.0.0' },
    },
    tags: {
      type: 'list',
      description: 'The tags to be added to the network.',
      updateAllowed: true,
      schema: { '*': { type: 'string' } },
      supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
    },
  },
  attributes: {
    status: { description: 'The status of the network.', type: 'string' },
    name: { description: 'The name of the network.', type: 'string' },
    subnets: { description: 'Subnets of this network.', type: 'list' },
    admin_state_up: { description: 'The administrative status of the network.', type: 'string' },
    tenant_id: { description: 'The tenant owning this network.', type: 'string' },
    port_security_enabled: {
      description: 'Port security enabled of the network.',
      type: 'boolean',
      supportStatus: { status: 'SUPPORTED', version: '5.0.0' },
    },
    mtu: {
      description: 'The maximum transmission unit size(in bytes) for the network.',
      type: 'integer',
      supportStatus: { status: 'SUPPORTED', version: '5.0.0' },
    },
    qos_policy_id: {
      description: 'The QoS policy ID attached to this network.',
      type: 'string',
      supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
    },
    l2_adjacency: {
      description:
        'A boolean value for L2 adjacency, True means that you can expect L2 connectivity throughout the Network.',
      type: 'boolean',
      supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
    },
    segments: {
      description: 'The segments of this network.',
      type: 'list',
      supportStatus: { status: 'SUPPORTED', version: '11.0.0' },
    },
  },
};
