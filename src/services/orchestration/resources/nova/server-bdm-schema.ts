import type { PropertySchema } from '../types.js';

/** server.py's block_device_mapping and block_device_mapping_v2 entry schemas (Zed). */

export const str = (description: string, extra: Partial<PropertySchema> = {}): PropertySchema => ({
  type: 'string',
  description,
  ...extra,
});
export const int = (description: string, extra: Partial<PropertySchema> = {}): PropertySchema => ({
  type: 'integer',
  description,
  ...extra,
});
export const custom = (name: string) => [{ kind: 'custom_constraint' as const, name }];
export const allowed = (values: string[]) => [{ kind: 'allowed_values' as const, values }];

const DEVICE_NAME =
  'A device name where the volume will be attached in the system at /dev/device_name. This value is typically vda.';
const SNAPSHOT = 'The ID of the snapshot to create a volume from.';

export const BDM: Record<string, PropertySchema> = {
  device_name: str(DEVICE_NAME, { required: true }),
  volume_id: str(
    'The ID of the volume to boot from. Only one of volume_id or snapshot_id should be provided.',
    { constraints: custom('cinder.volume') },
  ),
  snapshot_id: str(SNAPSHOT, { constraints: custom('cinder.snapshot') }),
  volume_size: int(
    'The size of the volume, in GB. It is safe to leave this blank and have the Compute service infer the size.',
  ),
  delete_on_termination: {
    type: 'boolean',
    description: 'Indicate whether the volume should be deleted when the server is terminated.',
  },
};

export const BDM_V2: Record<string, PropertySchema> = {
  device_name: str(DEVICE_NAME),
  volume_id: str('The volume_id can be boot or non-boot device to the server.', {
    constraints: custom('cinder.volume'),
  }),
  image: str('The ID or name of the image to create a volume from.', {
    constraints: custom('glance.image'),
    supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
  }),
  snapshot_id: str(SNAPSHOT, { constraints: custom('cinder.snapshot') }),
  swap_size: int('The size of the swap, in MB.'),
  ephemeral_size: int('The size of the local ephemeral block device, in GB.', {
    constraints: [{ kind: 'range', min: 1 }],
    supportStatus: { status: 'SUPPORTED', version: '8.0.0' },
  }),
  ephemeral_format: str(
    'The format of the local ephemeral block device. If no format is specified, uses default value, defined in nova configuration file.',
    {
      constraints: allowed(['ext2', 'ext3', 'ext4', 'xfs', 'ntfs']),
      supportStatus: { status: 'SUPPORTED', version: '8.0.0' },
    },
  ),
  device_type: str(
    'Device type: at the moment we can make distinction only between disk and cdrom.',
    {
      constraints: allowed(['cdrom', 'disk']),
    },
  ),
  disk_bus: str('Bus of the device: hypervisor driver chooses a suitable default if omitted.', {
    constraints: allowed(['ide', 'lame_bus', 'scsi', 'usb', 'virtio']),
  }),
  boot_index: int(
    'Integer used for ordering the boot disks. If it is not specified, value "0" will be set for bootable sources (volume, snapshot, image); value "-1" will be set for non-bootable sources.',
  ),
  volume_size: int(
    'Size of the block device in GB. If it is omitted, hypervisor driver calculates size.',
  ),
  delete_on_termination: {
    type: 'boolean',
    description:
      'Indicate whether the volume should be deleted when the server is terminated. Defaults to "False" in case of a volume, snapshot or image and to "True" in case of swap or ephemeral.',
  },
};
