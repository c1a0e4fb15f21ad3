import type { AttributeSchema, PropertySchema } from '../types.js';

const custom = (name: string) => [{ kind: 'custom_constraint' as const, name }];
const attr = (description: string, type: AttributeSchema['type'] = 'string'): AttributeSchema => ({
  description,
  type,
});

/** heat/engine/resources/openstack/cinder/volume.py CinderVolume properties_schema (Zed). */
export const VOLUME_PROPERTIES: Record<string, PropertySchema> = {
  availability_zone: {
    type: 'string',
    description: 'The availability zone in which the volume will be created.',
  },
  size: {
    type: 'integer',
    description:
      'The size of the volume in GB. On update only increase in size is supported. This property is required unless property backup_id or source_volid or snapshot_id is specified.',
    updateAllowed: true,
    constraints: [{ kind: 'range', min: 1 }],
  },
  snapshot_id: {
    type: 'string',
    description: 'If specified, the snapshot to create the volume from.',
    constraints: custom('cinder.snapshot'),
  },
  backup_id: {
    type: 'string',
    description: 'If specified, the backup to create the volume from.',
    updateAllowed: true,
    constraints: custom('cinder.backup'),
  },
  name: {
    type: 'string',
    description: 'A name used to distinguish the volume.',
    updateAllowed: true,
  },
  description: { type: 'string', description: 'A description of the volume.', updateAllowed: true },
  volume_type: {
    type: 'string',
    description: 'If specified, the type of volume to use, mapping to a specific backend.',
    constraints: custom('cinder.vtype'),
    updateAllowed: true,
  },
  metadata: {
    type: 'map',
    description: 'Key/value pairs to associate with the volume.',
    updateAllowed: true,
    default: {},
  },
  imageRef: {
    type: 'string',
    description: 'The ID of the image to create the volume from.',
    supportStatus: {
      status: 'HIDDEN',
      message: 'Use property image.',
      version: '5.0.0',
      previous: { status: 'DEPRECATED', version: '2014.1' },
    },
  },
  image: {
    type: 'string',
    description: 'If specified, the name or ID of the image to create the volume from.',
    constraints: custom('glance.image'),
  },
  source_volid: {
    type: 'string',
    description: 'If specified, the volume to use as source.',
    constraints: custom('cinder.volume'),
  },
  scheduler_hints: {
    type: 'map',
    description:
      'Arbitrary key-value pairs specified by the client to help the Cinder scheduler creating a volume.',
    supportStatus: { status: 'SUPPORTED', version: '2015.1' },
  },
  read_only: {
    type: 'boolean',
    description: 'Enables or disables read-only access mode of volume.',
    supportStatus: { status: 'SUPPORTED', version: '5.0.0' },
    updateAllowed: true,
  },
  multiattach: {
    type: 'boolean',
    description: 'Whether allow the volume to be attached more than once.',
    default: false,
    supportStatus: {
      status: 'HIDDEN',
      version: '13.0.0',
      previous: { status: 'SUPPORTED', version: '6.0.0' },
    },
  },
};

export const VOLUME_ATTRIBUTES: Record<string, AttributeSchema> = {
  availability_zone: attr('The availability zone in which the volume is located.'),
  size: attr('The size of the volume in GB.'),
  snapshot_id: attr('The snapshot the volume was created from, if any.'),
  display_name: attr('Name of the volume.'),
  display_description: attr('Description of the volume.'),
  volume_type: attr('The type of the volume mapping to a backend, if any.'),
  metadata: attr('Key/value pairs associated with the volume.'),
  source_volid: attr('The volume used as source, if any.'),
  status: attr('The current status of the volume.'),
  created_at: attr('The timestamp indicating volume creation.'),
  bootable: attr('Boolean indicating if the volume can be booted or not.'),
  metadata_values: attr('Key/value pairs associated with the volume in raw dict form.', 'map'),
  encrypted: attr('Boolean indicating if the volume is encrypted or not.'),
  attachments: {
    ...attr('A string representation of the list of attachments of the volume.'),
    supportStatus: {
      status: 'DEPRECATED',
      message: 'Use property attachments_list.',
      version: '9.0.0',
      previous: { status: 'SUPPORTED', version: '2015.1' },
    },
  },
  attachments_list: {
    ...attr('The list of attachments of the volume.', 'list'),
    supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
  },
  multiattach: {
    ...attr(
      'Boolean indicating whether allow the volume to be attached more than once.',
      'boolean',
    ),
    supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
  },
};
