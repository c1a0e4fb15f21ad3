import type { PropertySchema, Translation } from '../types.js';
import { allowed, BDM, BDM_V2, custom, str } from './server-bdm-schema.js';

/** heat/engine/resources/openstack/nova/server.py properties_schema (Zed), as type show prints. */

const NETWORK: Record<string, PropertySchema> = {
  network: str('Name or ID of network to create a port on.', {
    constraints: custom('neutron.network'),
  }),
  allocate_network: str(
    'The special string values of network, auto: means either a network that is already available to the project will be used, or if one does not exist, will be automatically created for the project; none: means no networking will be allocated for the created server. Supported by Nova API since version "2.37". This property can not be used with other network keys.',
    {
      constraints: allowed(['none', 'auto']),
      updateAllowed: true,
      supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
    },
  ),
  fixed_ip: str('Fixed IP address to specify for the port created on the requested network.', {
    constraints: custom('ip_addr'),
  }),
  port: str('ID of an existing port to associate with this server.', {
    constraints: custom('neutron.port'),
  }),
  subnet: str(
    'Subnet in which to allocate the IP address for port. Used for creating port, based on derived properties. If subnet is specified, network property becomes optional.',
    { supportStatus: { status: 'SUPPORTED', version: '5.0.0' } },
  ),
  floating_ip: str('ID of the floating IP to associate.', {
    supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
  }),
  tag: str('Port tag. Heat ignores any update on this property as nova does not support it.', {
    supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
  }),
};

export const SERVER_PROPERTIES: Record<string, PropertySchema> = {
  name: str('Server name.', { updateAllowed: true }),
  image: str('The ID or name of the image to boot with.', {
    constraints: custom('glance.image'),
    updateAllowed: true,
  }),
  block_device_mapping: {
    type: 'list',
    description: 'Block device mappings for this server.',
    schema: { '*': { type: 'map', schema: BDM } },
  },
  block_device_mapping_v2: {
    type: 'list',
    description: 'Block device mappings v2 for this server.',
    schema: { '*': { type: 'map', schema: BDM_V2 } },
    supportStatus: { status: 'SUPPORTED', version: '2015.1' },
  },
  flavor: str('The ID or name of the flavor to boot onto.', {
    required: true,
    updateAllowed: true,
    constraints: custom('nova.flavor'),
  }),
  flavor_update_policy: str(
    'Policy on how to apply a flavor update; either by requesting a server resize or by replacing the entire server.',
    { default: 'RESIZE', constraints: allowed(['RESIZE', 'REPLACE']), updateAllowed: true },
  ),
  image_update_policy: str(
    'Policy on how to apply an image-id update; either by requesting a server rebuild or by replacing the entire server.',
    {
      default: 'REBUILD',
      constraints: allowed(['REBUILD', 'REPLACE', 'REBUILD_PRESERVE_EPHEMERAL']),
      updateAllowed: true,
    },
  ),
  key_name: str('Name of keypair to inject into the server.', {
    constraints: custom('nova.keypair'),
  }),
  admin_user: str('Name of the administrative user to use on the server.', {
    supportStatus: {
      status: 'HIDDEN',
      version: '5.0.0',
      message:
        'The default cloud-init user set up for each image (e.g. "ubuntu" for Ubuntu 12.04+, "fedora" for Fedora 19+ and "cloud-user" for CentOS/RHEL 6.5).',
      previous: {
        status: 'DEPRECATED',
        version: '2014.1',
        previous: { status: 'SUPPORTED', version: '2013.2' },
      },
    },
  }),
  availability_zone: str('Name of the availability zone for server placement.'),
  security_groups: {
    type: 'list',
    description:
      'List of security group names or IDs. Cannot be used if neutron ports are associated with this server; assign security groups to the ports instead.',
    default: [],
  },
  networks: {
    type: 'list',
    description:
      'An ordered list of nics to be added to this server, with information about connected networks, fixed ips, port etc.',
    schema: { '*': { type: 'map', schema: NETWORK } },
    updateAllowed: true,
  },
  scheduler_hints: {
    type: 'map',
    description: 'Arbitrary key-value pairs specified by the client to help boot a server.',
  },
  metadata: {
    type: 'map',
    description:
      'Arbitrary key/value metadata to store for this server. Both keys and values must be 255 characters or less. Non-string values will be serialized to JSON (and the serialized string must be 255 characters or less).',
    updateAllowed: true,
    default: {},
  },
  user_data_format: str(
    'How the user_data should be formatted for the server. For HEAT_CFNTOOLS, the user_data is bundled as part of the heat-cfntools cloud-init boot configuration data. For RAW the user_data is passed to Nova unmodified. For SOFTWARE_CONFIG user_data is bundled as part of the software config data, and metadata is derived from any associated SoftwareDeployment resources. And if the user_data is in CoreOS ignition(json) format, the metadata will be injected into the user_data automatically by Heat.',
    // heat.conf default_user_data_format.
    { default: 'HEAT_CFNTOOLS', constraints: allowed(['HEAT_CFNTOOLS', 'RAW', 'SOFTWARE_CONFIG']) },
  ),
  software_config_transport: str(
    'How the server should receive the metadata required for software configuration. POLL_SERVER_CFN will allow calls to the cfn API action DescribeStackResource authenticated with the provided keypair. POLL_SERVER_HEAT will allow calls to the Heat API resource-show using the provided keystone credentials. POLL_TEMP_URL will create and populate a Swift TempURL with metadata for polling. ZAQAR_MESSAGE will create a dedicated zaqar queue and post the metadata for polling.',
    {
      default: 'POLL_SERVER_CFN',
      updateAllowed: true,
      constraints: allowed([
        'POLL_SERVER_CFN',
        'POLL_SERVER_HEAT',
        'POLL_TEMP_URL',
        'ZAQAR_MESSAGE',
      ]),
    },
  ),
  user_data_update_policy: str(
    'Policy on how to apply a user_data update; by ignoring it, by replacing the entire server, or rebuild the server.',
    {
      default: 'REPLACE',
      constraints: allowed(['REPLACE', 'IGNORE', 'REBUILD']),
      supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
      updateAllowed: true,
    },
  ),
  user_data: str(
    'User data script to be executed by cloud-init or CoreOS ignition. Changes cause replacement of the resource by default, but can be ignored altogether by setting the `user_data_update_policy` property.',
    { default: '', updateAllowed: true },
  ),
  reservation_id: str('A UUID for the set of servers being requested.'),
  config_drive: { type: 'boolean', description: 'If True, enable config drive on the server.' },
  diskConfig: str('Control how the disk is partitioned when the server is created.', {
    constraints: allowed(['AUTO', 'MANUAL']),
  }),
  personality: {
    type: 'map',
    description:
      'A map of files to create/overwrite on the server upon boot. Keys are file names and values are the file contents.',
    supportStatus: {
      status: 'DEPRECATED',
      version: '12.0.0',
      message:
        'This is not supported with nova api microversion 2.57 and above. OS::Nova::Server resource will not support it in the future. Please use user_data or metadata instead. However, you can set heat config option max_nova_api_microversion < 2.57 to use this property in the meantime.',
    },
    default: {},
  },
  admin_pass: str('The administrator password for the server.', { updateAllowed: true }),
  tags: {
    type: 'list',
    description: 'Server tags. Supported since client version 2.26.',
    supportStatus: { status: 'SUPPORTED', version: '8.0.0' },
    schema: { '*': { type: 'string' } },
    updateAllowed: true,
  },
  deployment_swift_data: {
    type: 'map',
    description:
      'Swift container and object to use for storing deployment data for the server resource. The parameter is a map value with the keys "container" and "object", and the values are the corresponding container and object names. The software_config_transport parameter must be set to POLL_TEMP_URL for swift to be used. If not specified, and software_config_transport is set to POLL_TEMP_URL, a container will be automatically created from the resource name, and the object name will be a generated uuid.',
    supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
    default: {},
    updateAllowed: true,
    schema: {
      container: str('Name of the container.', { constraints: [{ kind: 'length', min: 1 }] }),
      object: str('Name of the object.', { constraints: [{ kind: 'length', min: 1 }] }),
    },
  },
};

/** Heat's REPLACE rules: the hidden old names move to the new ones before validation. */
export const SERVER_TRANSLATIONS: Translation[] = [
  { from: ['networks', '*', 'uuid'], to: 'network' },
  { from: ['block_device_mapping_v2', '*', 'image_id'], to: 'image' },
];
