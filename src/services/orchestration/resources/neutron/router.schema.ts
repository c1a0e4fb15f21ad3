import type { ResourceType } from '../types.js';

// Generated from heat/engine/resources/openstack/neutron (unmaintained/zed): the schemas
// `resource type show` prints, as data.

/** OS::Neutron::Router */
export const ROUTER_SCHEMA: Pick<ResourceType, 'properties' | 'attributes' | 'supportStatus'> = {
  properties: {
    name: { type: 'string', description: 'The name of the router.', updateAllowed: true },
    external_gateway_info: {
      type: 'map',
      description: 'External network gateway configuration for a router.',
      updateAllowed: true,
      schema: {
        network: {
          type: 'string',
          description: 'ID or name of the external network for the gateway.',
          required: true,
          updateAllowed: true,
        },
        enable_snat: {
          type: 'boolean',
          description:
            'Enables Source NAT on the router gateway. NOTE: The default policy setting in Neutron restricts usage of this property to administrative users only.',
          updateAllowed: true,
        },
        external_fixed_ips: {
          type: 'list',
          description: 'External fixed IP addresses for the gateway.',
          updateAllowed: true,
          schema: {
            '*': {
              type: 'map',
              schema: {
                ip_address: {
                  type: 'string',
                  description: 'External fixed IP address.',
                  constraints: [{ kind: 'custom_constraint', name: 'ip_addr' }],
                },
                subnet: {
                  type: 'string',
                  description: 'Subnet of external fixed IP address.',
                  constraints: [{ kind: 'custom_constraint', name: 'neutron.subnet' }],
                },
              },
            },
          },
          supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
        },
      },
    },
    value_specs: {
      type: 'map',
      description: 'Extra parameters to include in the creation request.',
      default: {},
      updateAllowed: true,
    },
    admin_state_up: {
      type: 'boolean',
      description: 'The administrative state of the router.',
      default: true,
      updateAllowed: true,
    },
    l3_agent_id: {
      type: 'string',
      description:
        'ID of the L3 agent. NOTE: The default policy setting in Neutron restricts usage of this property to administrative users only.',
      updateAllowed: true,
      supportStatus: {
        status: 'HIDDEN',
        version: '6.0.0',
        previous: {
          status: 'DEPRECATED',
          version: '2015.1',
          message: 'Use property l3_agent_ids.',
          previous: { status: 'SUPPORTED', version: '2014.1' },
        },
      },
    },
    l3_agent_ids: {
      type: 'list',
      description:
        'ID list of the L3 agent. User can specify multi-agents for highly available router. NOTE: The default policy setting in Neutron restricts usage of this property to administrative users only.',
      updateAllowed: true,
      schema: { '*': { type: 'string' } },
      supportStatus: { status: 'SUPPORTED', version: '2015.1' },
    },
    distributed: {
      type: 'boolean',
      description:
        'Indicates whether or not to create a distributed router. NOTE: The default policy setting in Neutron restricts usage of this property to administrative users only. This property can not be used in conjunction with the L3 agent ID.',
      supportStatus: { status: 'SUPPORTED', version: '2015.1' },
    },
    ha: {
      type: 'boolean',
      description:
        'Indicates whether or not to create a highly available router. NOTE: The default policy setting in Neutron restricts usage of this property to administrative users only. And now neutron do not support distributed and ha at the same time.',
      supportStatus: { status: 'SUPPORTED', version: '2015.1' },
    },
    availability_zone_hints: {
      type: 'list',
      description:
        'Availability zone candidates for the router. It requires the availability_zone extension to be available.',
      updateAllowed: true,
      supportStatus: { status: 'SUPPORTED', version: '19.0.0' },
    },
    tags: {
      type: 'list',
      description: 'The tags to be added to the router.',
      updateAllowed: true,
      schema: { '*': { type: 'string' } },
      supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
    },
  },
  attributes: {
    status: { description: 'The status of the router.', type: 'string' },
    external_gateway_info: { description: 'Gateway network for the router.', type: 'map' },
    name: { description: 'Friendly name of the router.', type: 'string' },
    admin_state_up: { description: 'Administrative state of the router.', type: 'string' },
    tenant_id: { description: 'Tenant owning the router.', type: 'string' },
  },
};

/** OS::Neutron::RouterInterface */
export const ROUTER_INTERFACE_SCHEMA: Pick<
  ResourceType,
  'properties' | 'attributes' | 'supportStatus'
> = {
  properties: {
    router: {
      type: 'string',
      description: 'The router.',
      required: true,
      constraints: [{ kind: 'custom_constraint', name: 'neutron.router' }],
    },
    router_id: {
      type: 'string',
      description: 'ID of the router.',
      constraints: [{ kind: 'custom_constraint', name: 'neutron.router' }],
      supportStatus: {
        status: 'HIDDEN',
        version: '6.0.0',
        previous: {
          status: 'DEPRECATED',
          version: '2015.1',
          message: 'Use property router.',
          previous: { status: 'SUPPORTED', version: '2013.1' },
        },
      },
    },
    subnet_id: {
      type: 'string',
      constraints: [{ kind: 'custom_constraint', name: 'neutron.subnet' }],
      supportStatus: {
        status: 'HIDDEN',
        version: '5.0.0',
        message: 'Use property subnet.',
        previous: { status: 'DEPRECATED', version: '2014.2' },
      },
    },
    subnet: {
      type: 'string',
      description: 'The subnet, either subnet or port should be specified.',
      constraints: [{ kind: 'custom_constraint', name: 'neutron.subnet' }],
    },
    port_id: {
      type: 'string',
      description: 'The port id, either subnet or port_id should be specified.',
      constraints: [{ kind: 'custom_constraint', name: 'neutron.port' }],
      supportStatus: {
        status: 'HIDDEN',
        version: '6.0.0',
        previous: {
          status: 'DEPRECATED',
          version: '2015.1',
          message: 'Use property port.',
          previous: { status: 'SUPPORTED', version: '2014.1' },
        },
      },
    },
    port: {
      type: 'string',
      description: 'The port, either subnet or port should be specified.',
      constraints: [{ kind: 'custom_constraint', name: 'neutron.port' }],
      supportStatus: { status: 'SUPPORTED', version: '2015.1' },
    },
  },
  attributes: {},
};

/** OS::Neutron::RouterGateway */
export const ROUTER_GATEWAY_SCHEMA: Pick<
  ResourceType,
  'properties' | 'attributes' | 'supportStatus'
> = {
  properties: {
    router_id: {
      type: 'string',
      description: 'ID of the router.',
      required: true,
      constraints: [{ kind: 'custom_constraint', name: 'neutron.router' }],
    },
    network_id: {
      type: 'string',
      constraints: [{ kind: 'custom_constraint', name: 'neutron.network' }],
      supportStatus: {
        status: 'HIDDEN',
        version: '9.0.0',
        message: 'Use property network.',
        previous: { status: 'DEPRECATED', version: '2014.2' },
      },
    },
    network: {
      type: 'string',
      description: 'external network for the gateway.',
      constraints: [{ kind: 'custom_constraint', name: 'neutron.network' }],
    },
  },
  attributes: {},
  supportStatus: {
    status: 'HIDDEN',
    version: '5.0.0',
    message:
      'Use the `external_gateway_info` property in the router resource to set up the gateway.',
    previous: { status: 'DEPRECATED', version: '2014.1' },
  },
};
