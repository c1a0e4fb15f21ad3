import type { ResourceType } from '../types.js';

// Generated from heat/engine/resources/openstack/neutron (unmaintained/zed): the schemas
// `resource type show` prints, as data.

/** Protocol numbers a rule may name instead of a protocol's name. */
const PROTOCOL_NUMBERS = Array.from({ length: 256 }, (_, i) => i);

/** OS::Neutron::SecurityGroup */
export const SECURITY_GROUP_SCHEMA: Pick<
  ResourceType,
  'properties' | 'attributes' | 'supportStatus'
> = {
  properties: {
    name: {
      type: 'string',
      description:
        'A string specifying a symbolic name for the security group, which is not required to be unique.',
      updateAllowed: true,
    },
    description: {
      type: 'string',
      description: 'Description of the security group.',
      updateAllowed: true,
    },
    rules: {
      type: 'list',
      description: 'List of security group rules.',
      default: [],
      updateAllowed: true,
      schema: {
        '*': {
          type: 'map',
          schema: {
            direction: {
              type: 'string',
              description:
                'The direction in which the security group rule is applied. For a compute instance, an ingress security group rule matches traffic that is incoming (ingress) for that instance. An egress rule is applied to traffic leaving the instance.',
              default: 'ingress',
              constraints: [{ kind: 'allowed_values', values: ['ingress', 'egress'] }],
            },
            ethertype: {
              type: 'string',
              description: 'Ethertype of the traffic.',
              default: 'IPv4',
              constraints: [{ kind: 'allowed_values', values: ['IPv4', 'IPv6'] }],
            },
            port_range_min: {
              type: 'integer',
              description:
                'The minimum port number in the range that is matched by the security group rule. If the protocol is TCP or UDP, this value must be less than or equal to the value of the port_range_max attribute. If the protocol is ICMP, this value must be an ICMP type.',
              constraints: [{ kind: 'range', min: 0, max: 65535 }],
            },
            port_range_max: {
              type: 'integer',
              description:
                'The maximum port number in the range that is matched by the security group rule. The port_range_min attribute constrains the port_range_max attribute. If the protocol is ICMP, this value must be an ICMP type.',
              constraints: [{ kind: 'range', min: 0, max: 65535 }],
            },
            protocol: {
              type: 'string',
              description:
                'The protocol that is matched by the security group rule. Valid values include tcp, udp, and icmp.',
            },
            remote_mode: {
              type: 'string',
              description: 'Whether to specify a remote group or a remote IP prefix.',
              default: 'remote_ip_prefix',
              constraints: [
                { kind: 'allowed_values', values: ['remote_ip_prefix', 'remote_group_id'] },
              ],
            },
            remote_group_id: {
              type: 'string',
              description:
                'The remote group ID to be associated with this security group rule. If no value is specified then this rule will use this security group for the remote_group_id. The remote mode parameter must be set to "remote_group_id".',
              constraints: [{ kind: 'custom_constraint', name: 'neutron.security_group' }],
            },
            remote_ip_prefix: {
              type: 'string',
              description:
                'The remote IP prefix (CIDR) to be associated with this security group rule.',
              constraints: [{ kind: 'custom_constraint', name: 'net_cidr' }],
            },
          },
        },
      },
    },
  },
  attributes: {},
  supportStatus: { status: 'SUPPORTED', version: '2014.1' },
};

/** OS::Neutron::SecurityGroupRule */
export const SECURITY_GROUP_RULE_SCHEMA: Pick<
  ResourceType,
  'properties' | 'attributes' | 'supportStatus'
> = {
  properties: {
    security_group: {
      type: 'string',
      description: 'Security group name or ID to add rule.',
      required: true,
      constraints: [{ kind: 'custom_constraint', name: 'neutron.security_group' }],
    },
    description: { type: 'string', description: 'Description of the security group rule.' },
    direction: {
      type: 'string',
      description:
        'The direction in which the security group rule is applied. For a compute instance, an ingress security group rule matches traffic that is incoming (ingress) for that instance. An egress rule is applied to traffic leaving the instance.',
      default: 'ingress',
      constraints: [{ kind: 'allowed_values', values: ['ingress', 'egress'] }],
    },
    ethertype: {
      type: 'string',
      description: 'Ethertype of the traffic.',
      default: 'IPv4',
      constraints: [{ kind: 'allowed_values', values: ['IPv4', 'IPv6'] }],
    },
    port_range_min: {
      type: 'integer',
      description:
        'The minimum port number in the range that is matched by the security group rule. If the protocol is TCP or UDP, this value must be less than or equal to the value of the port_range_max attribute. If the protocol is ICMP, this value must be an ICMP type.',
      constraints: [{ kind: 'range', min: 0, max: 65535 }],
    },
    port_range_max: {
      type: 'integer',
      description:
        'The maximum port number in the range that is matched by the security group rule. The port_range_min attribute constrains the port_range_max attribute. If the protocol is ICMP, this value must be an ICMP code.',
      constraints: [{ kind: 'range', min: 0, max: 65535 }],
    },
    protocol: {
      type: 'string',
      description:
        'The protocol that is matched by the security group rule. Allowed values are ah, dccp, egp, esp, gre, icmp, icmpv6, igmp, ipv6-encap, ipv6-frag, ipv6-icmp, ipv6-nonxt, ipv6-opts, ipv6-route, ospf, pgm, rsvp, sctp, tcp, udp, udplite, vrrp and integer representations [0-255].',
      default: 'tcp',
      constraints: [
        {
          kind: 'allowed_values',
          values: [
            ...PROTOCOL_NUMBERS,
            'ah',
            'dccp',
            'egp',
            'esp',
            'gre',
            'icmp',
            'icmpv6',
            'igmp',
            'ipv6-encap',
            'ipv6-frag',
            'ipv6-icmp',
            'ipv6-nonxt',
            'ipv6-opts',
            'ipv6-route',
            'ospf',
            'pgm',
            'rsvp',
            'sctp',
            'tcp',
            'udp',
            'udplite',
            'vrrp',
          ],
        },
      ],
    },
    remote_group: {
      type: 'string',
      description: 'The remote group name or ID to be associated with this security group rule.',
      constraints: [{ kind: 'custom_constraint', name: 'neutron.security_group' }],
    },
    remote_ip_prefix: {
      type: 'string',
      description: 'The remote IP prefix (CIDR) to be associated with this security group rule.',
      constraints: [{ kind: 'custom_constraint', name: 'net_cidr' }],
    },
  },
  attributes: {},
  supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
};
