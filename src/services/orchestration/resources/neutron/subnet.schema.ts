import type { ResourceType } from '../types.js';

// Generated from heat/engine/resources/openstack/neutron (unmaintained/zed): the schemas
// `resource type show` prints, as data.

/** OS::Neutron::Subnet */
export const SUBNET_SCHEMA: Pick<ResourceType, 'properties' | 'attributes' | 'supportStatus'> = {
  properties: {
    network_id: {
      type: 'string',
      constraints: [{ kind: 'custom_constraint', name: 'neutron.network' }],
      supportStatus: {
        status: 'HIDDEN',
        version: '5.0.0',
        message: 'Use property network.',
        previous: { status: 'DEPRECATED', version: '2014.2' },
      },
    },
    network: {
      type: 'string',
      description: 'The ID of the attached network.',
      required: true,
      constraints: [{ kind: 'custom_constraint', name: 'neutron.network' }],
      supportStatus: { status: 'SUPPORTED', version: '2014.2' },
    },
    subnetpool: {
      type: 'string',
      description: 'The name or ID of the subnet pool.',
      constraints: [{ kind: 'custom_constraint', name: 'neutron.subnetpool' }],
      supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
    },
    prefixlen: {
      type: 'integer',
      description: 'Prefix length for subnet allocation from subnet pool.',
      constraints: [{ kind: 'range', min: 0 }],
      supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
    },
    cidr: {
      type: 'string',
      description: 'The CIDR.',
      constraints: [{ kind: 'custom_constraint', name: 'net_cidr' }],
    },
    value_specs: {
      type: 'map',
      description: 'Extra parameters to include in the request.',
      default: {},
      updateAllowed: true,
    },
    name: { type: 'string', description: 'The name of the subnet.', updateAllowed: true },
    ip_version: {
      type: 'integer',
      description: 'The IP version, which is 4 or 6.',
      default: 4,
      constraints: [{ kind: 'allowed_values', values: [4, 6] }],
    },
    dns_nameservers: {
      type: 'list',
      description: 'A specified set of DNS name servers to be used.',
      default: [],
      updateAllowed: true,
    },
    gateway_ip: {
      type: 'string',
      description:
        'The gateway IP address. Set to any of [ null | ~ | "" ] to create/update a subnet without a gateway. If omitted when creation, neutron will assign the first free IP address within the subnet to the gateway automatically. If remove this from template when update, the old gateway IP address will be detached.',
      updateAllowed: true,
    },
    enable_dhcp: {
      type: 'boolean',
      description: 'Set to true if DHCP is enabled and false if DHCP is disabled.',
      default: true,
      updateAllowed: true,
    },
    allocation_pools: {
      type: 'list',
      description: 'The start and end addresses for the allocation pools.',
      updateAllowed: true,
      schema: {
        '*': {
          type: 'map',
          schema: {
            start: {
              type: 'string',
              description: 'Start address for the allocation pool.',
              required: true,
              constraints: [{ kind: 'custom_constraint', name: 'ip_addr' }],
            },
            end: {
              type: 'string',
              description: 'End address for the allocation pool.',
              required: true,
              constraints: [{ kind: 'custom_constraint', name: 'ip_addr' }],
            },
          },
        },
      },
    },
    tenant_id: {
      type: 'string',
      description:
        'The ID of the tenant who owns the network. Only administrative users can specify a tenant ID other than their own.',
    },
    host_routes: {
      type: 'list',
      description: 'A list of host route dictionaries for the subnet.',
      updateAllowed: true,
      schema: {
        '*': {
          type: 'map',
          schema: {
            destination: {
              type: 'string',
              description: 'The destination for static route.',
              required: true,
              constraints: [{ kind: 'custom_constraint', name: 'net_cidr' }],
            },
            nexthop: {
              type: 'string',
              description: 'The next hop for the destination.',
              required: true,
              constraints: [{ kind: 'custom_constraint', name: 'ip_addr' }],
            },
          },
        },
      },
    },
    ipv6_ra_mode: {
      type: 'string',
      description: 'IPv6 RA (Router Advertisement) mode.',
      constraints: [
        { kind: 'allowed_values', values: ['dhcpv6-stateful', 'dhcpv6-stateless', 'slaac'] },
      ],
      supportStatus: { status: 'SUPPORTED', version: '2015.1' },
    },
    ipv6_address_mode: {
      type: 'string',
      description: 'IPv6 address mode.',
      constraints: [
        { kind: 'allowed_values', values: ['dhcpv6-stateful', 'dhcpv6-stateless', 'slaac'] },
      ],
      supportStatus: { status: 'SUPPORTED', version: '2015.1' },
    },
    segment: {
      type: 'string',
      description: 'The name/ID of the segment to associate.',
      updateAllowed: true,
      constraints: [{ kind: 'custom_constraint', name: 'neutron.segment' }],
      supportStatus: {
        status: 'SUPPORTED',
        version: '11.0.0',
        message: 'Update allowed since version 11.0.0.',
        previous: { status: 'SUPPORTED', version: '9.0.0' },
      },
    },
    tags: {
      type: 'list',
      description: 'The tags to be added to the subnet.',
      updateAllowed: true,
      schema: { '*': { type: 'string' } },
      supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
    },
  },
  attributes: {
    name: { description: 'Friendly name of the subnet.', type: 'string' },
    network_id: { description: 'Parent network of the subnet.', type: 'string' },
    tenant_id: { description: 'Tenant owning the subnet.', type: 'string' },
    allocation_pools: { description: 'Ip allocation pools and their ranges.', type: 'list' },
    gateway_ip: { description: "Ip of the subnet's gateway.", type: 'string' },
    host_routes: { description: 'Additional routes for this subnet.', type: 'list' },
    ip_version: { description: 'Ip version for the subnet.', type: 'string' },
    cidr: { description: 'CIDR block notation for this subnet.', type: 'string' },
    dns_nameservers: { description: 'List of dns nameservers.', type: 'list' },
    enable_dhcp: {
      description: "'true' if DHCP is enabled for this subnet; 'false' otherwise.",
      type: 'string',
    },
  },
};
