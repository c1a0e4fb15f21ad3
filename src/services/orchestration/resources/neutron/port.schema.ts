import type { ResourceType } from '../types.js';

// Generated from heat/engine/resources/openstack/neutron (unmaintained/zed): the schemas
// `resource type show` prints, as data.

/** OS::Neutron::Port */
export const PORT_SCHEMA: Pick<ResourceType, 'properties' | 'attributes' | 'supportStatus'> = {
  properties: {
    name: { type: 'string', description: 'A symbolic name for this port.', updateAllowed: true },
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
      description:
        'Network this port belongs to. If you plan to use current port to assign Floating IP, you should specify fixed_ips with subnet. Note if this changes to a different network update, the port will be replaced.',
      required: true,
      constraints: [{ kind: 'custom_constraint', name: 'neutron.network' }],
      supportStatus: { status: 'SUPPORTED', version: '2014.2' },
    },
    device_id: {
      type: 'string',
      description: 'Device ID of this port.',
      default: '',
      updateAllowed: true,
    },
    device_owner: {
      type: 'string',
      description:
        'Name of the network owning the port. The value is typically network:floatingip or network:router_interface or network:dhcp.',
      default: '',
      updateAllowed: true,
    },
    fixed_ips: {
      type: 'list',
      description: 'Desired IPs for this port.',
      updateAllowed: true,
      schema: {
        '*': {
          type: 'map',
          schema: {
            subnet_id: {
              type: 'string',
              constraints: [{ kind: 'custom_constraint', name: 'neutron.subnet' }],
              supportStatus: {
                status: 'HIDDEN',
                version: '5.0.0',
                message: 'Use property subnet.',
                previous: { status: 'DEPRECATED', version: '2014.2 ' },
              },
            },
            subnet: {
              type: 'string',
              description: 'Subnet in which to allocate the IP address for this port.',
              constraints: [{ kind: 'custom_constraint', name: 'neutron.subnet' }],
              supportStatus: { status: 'SUPPORTED', version: '2014.2' },
            },
            ip_address: {
              type: 'string',
              description: 'IP address desired in the subnet for this port.',
              constraints: [{ kind: 'custom_constraint', name: 'ip_addr' }],
            },
          },
        },
      },
    },
    security_groups: {
      type: 'list',
      description: 'Security group IDs to associate with this port.',
      updateAllowed: true,
    },
    replacement_policy: {
      type: 'string',
      description:
        'Policy on how to respond to a stack-update for this resource. REPLACE_ALWAYS will replace the port regardless of any property changes. AUTO will update the existing port for any changed update-allowed property.',
      default: 'AUTO',
      updateAllowed: true,
      constraints: [{ kind: 'allowed_values', values: ['REPLACE_ALWAYS', 'AUTO'] }],
      supportStatus: {
        status: 'HIDDEN',
        version: '9.0.0',
        previous: {
          status: 'DEPRECATED',
          version: '6.0.0',
          message:
            'Replacement policy used to work around flawed nova/neutron port interaction which has been fixed since Liberty.',
          previous: { status: 'SUPPORTED', version: '2014.2' },
        },
      },
    },
    dns_name: {
      type: 'string',
      description: 'DNS name associated with the port.',
      updateAllowed: true,
      constraints: [{ kind: 'custom_constraint', name: 'dns_name' }],
      supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
    },
    tags: {
      type: 'list',
      description: 'The tags to be added to the port.',
      updateAllowed: true,
      schema: { '*': { type: 'string' } },
      supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
    },
    value_specs: {
      type: 'map',
      description: 'Extra parameters to include in the request.',
      default: {},
      updateAllowed: true,
    },
    admin_state_up: {
      type: 'boolean',
      description: 'The administrative state of this port.',
      default: true,
      updateAllowed: true,
    },
    mac_address: {
      type: 'string',
      description:
        'MAC address to give to this port. The default update policy of this property in neutron is that allow admin role only.',
      constraints: [{ kind: 'custom_constraint', name: 'mac_addr' }],
    },
    allowed_address_pairs: {
      type: 'list',
      description: 'Additional MAC/IP address pairs allowed to pass through the port.',
      updateAllowed: true,
      schema: {
        '*': {
          type: 'map',
          schema: {
            mac_address: {
              type: 'string',
              description: 'MAC address to allow through this port.',
              constraints: [{ kind: 'custom_constraint', name: 'mac_addr' }],
            },
            ip_address: {
              type: 'string',
              description: 'IP address to allow through this port.',
              required: true,
              constraints: [{ kind: 'custom_constraint', name: 'ip_or_cidr' }],
            },
          },
        },
      },
    },
    'binding:vnic_type': {
      type: 'string',
      description:
        'The vnic type to be bound on the neutron port. To support SR-IOV PCI passthrough networking, you can request that the neutron port to be realized as normal (virtual nic), direct (pci passthrough), or macvtap (virtual interface with a tap-like software interface). Note that this only works for Neutron deployments that support the bindings extension.',
      default: 'normal',
      updateAllowed: true,
      constraints: [
        {
          kind: 'allowed_values',
          values: [
            'normal',
            'direct',
            'macvtap',
            'direct-physical',
            'baremetal',
            'virtio-forwarder',
            'smart-nic',
          ],
        },
      ],
      supportStatus: { status: 'SUPPORTED', version: '2015.1' },
    },
    port_security_enabled: {
      type: 'boolean',
      description:
        'Flag to enable/disable port security on the port. When disable this feature(set it to False), there will be no packages filtering, like security-group and address-pairs.',
      updateAllowed: true,
      supportStatus: { status: 'SUPPORTED', version: '5.0.0' },
    },
    qos_policy: {
      type: 'string',
      description: 'The name or ID of QoS policy to attach to this port.',
      updateAllowed: true,
      constraints: [{ kind: 'custom_constraint', name: 'neutron.qos_policy' }],
      supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
    },
    propagate_uplink_status: {
      type: 'boolean',
      description: 'Flag to enable/disable propagate uplink status on the port.',
      updateAllowed: true,
      supportStatus: { status: 'SUPPORTED', version: '15.0.0' },
    },
    no_fixed_ips: {
      type: 'boolean',
      description: 'Flag to disable all fixed ips on the port.',
      default: false,
      updateAllowed: true,
      supportStatus: { status: 'SUPPORTED', version: '16.0.0' },
    },
  },
  attributes: {
    admin_state_up: { description: 'The administrative state of this port.', type: 'string' },
    device_id: { description: 'Unique identifier for the device.', type: 'string' },
    device_owner: { description: 'Name of the network owning the port.', type: 'string' },
    fixed_ips: { description: 'Fixed IP addresses.', type: 'list' },
    mac_address: { description: 'MAC address of the port.', type: 'string' },
    name: { description: 'Friendly name of the port.', type: 'string' },
    network_id: {
      description: 'Unique identifier for the network owning the port.',
      type: 'string',
    },
    security_groups: { description: 'A list of security groups for the port.', type: 'list' },
    status: { description: 'The status of the port.', type: 'string' },
    tenant_id: { description: 'Tenant owning the port.', type: 'string' },
    allowed_address_pairs: {
      description: 'Additional MAC/IP address pairs allowed to pass through a port.',
      type: 'list',
    },
    subnets: { description: 'A list of all subnet attributes for the port.', type: 'list' },
    port_security_enabled: {
      description: 'Port security enabled of the port.',
      type: 'boolean',
      supportStatus: { status: 'SUPPORTED', version: '5.0.0' },
    },
    qos_policy_id: {
      description: 'The QoS policy ID attached to this port.',
      type: 'string',
      supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
    },
    dns_assignment: {
      description: 'The DNS assigned to this port.',
      type: 'map',
      supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
    },
    network: {
      description:
        'The attributes of the network owning the port. (The full list of response parameters can be found in the `Openstack Networking service API reference <https://docs.openstack.org/api-ref/network/>`_.) The following examples demonstrate some (not all) possible expressions. (Obtains the network, the MTU (Maximum transmission unit), the network tags and the l2_adjacency property): ``{get_attr: [<port>, network]}``, ``{get_attr: [<port>, network, mtu]}``, ``{get_attr: [<port>, network, tags]}?``, ``{get_attr: [<port>, network, l2_adjacency]}``.',
      type: 'map',
      supportStatus: { status: 'SUPPORTED', version: '11.0.0' },
    },
    propagate_uplink_status: {
      description: 'Enable/Disable propagate uplink status for the port.',
      type: 'boolean',
      supportStatus: { status: 'SUPPORTED', version: '15.0.0' },
    },
  },
};
