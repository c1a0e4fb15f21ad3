import {
  CONTAINER_FORMATS,
  DISK_FORMATS,
  MEMBER_STATUSES,
  STATUSES,
  VISIBILITIES,
} from '../model.js';

const nullableString = (description: string, maxLength = 255) => ({
  type: ['null', 'string'],
  description,
  maxLength,
});
const readOnly = <T extends object>(o: T) => ({ ...o, readOnly: true });

/** GET /v2/schemas/image: the JSON Schema of an image record, as Glance publishes it. */
export function imageSchema(): Record<string, unknown> {
  return {
    name: 'image',
    additionalProperties: { type: 'string' },
    properties: {
      id: {
        type: 'string',
        description: 'An identifier for the image',
        pattern:
          '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$',
      },
      name: nullableString('Descriptive name for the image'),
      status: readOnly({ type: 'string', description: 'Status of the image', enum: STATUSES }),
      visibility: {
        type: 'string',
        description: 'Scope of image accessibility',
        enum: VISIBILITIES,
      },
      protected: { type: 'boolean', description: 'If true, image will not be deletable.' },
      os_hidden: {
        type: 'boolean',
        description: 'If true, image will not appear in default image list response.',
      },
      checksum: readOnly({ ...nullableString('md5 hash of image contents.', 32) }),
      os_hash_algo: readOnly({ ...nullableString('Algorithm to calculate the os_hash_value', 64) }),
      os_hash_value: readOnly({
        ...nullableString(
          'Hexdigest of the image contents using the algorithm specified by the os_hash_algo',
          128,
        ),
      }),
      owner: nullableString('Owner of the image'),
      size: readOnly({ type: ['null', 'integer'], description: 'Size of image file in bytes' }),
      virtual_size: readOnly({
        type: ['null', 'integer'],
        description: 'Virtual size of image in bytes',
      }),
      container_format: {
        type: ['null', 'string'],
        description: 'Format of the container',
        enum: [null, ...CONTAINER_FORMATS],
      },
      disk_format: {
        type: ['null', 'string'],
        description: 'Format of the disk',
        enum: [null, ...DISK_FORMATS],
      },
      created_at: readOnly({ type: 'string', description: 'Date and time of image registration' }),
      updated_at: readOnly({
        type: 'string',
        description: 'Date and time of the last image modification',
      }),
      tags: {
        type: 'array',
        description: 'List of strings related to the image',
        items: { type: 'string', maxLength: 255 },
      },
      min_ram: { type: 'integer', description: 'Amount of ram (in MB) required to boot image.' },
      min_disk: {
        type: 'integer',
        description: 'Amount of disk space (in GB) required to boot image.',
      },
      self: readOnly({ type: 'string', description: 'An image self url' }),
      file: readOnly({ type: 'string', description: 'An image file url' }),
      schema: readOnly({ type: 'string', description: 'An image schema url' }),
    },
    links: [
      { rel: 'self', href: '{self}' },
      { rel: 'enclosure', href: '{file}' },
      { rel: 'describedby', href: '{schema}' },
    ],
  };
}

export function imagesSchema(): Record<string, unknown> {
  return {
    name: 'images',
    properties: {
      images: { type: 'array', items: imageSchema() },
      schema: { type: 'string' },
      first: { type: 'string' },
      next: { type: 'string' },
    },
    links: [
      { rel: 'first', href: '{first}' },
      { rel: 'next', href: '{next}' },
      { rel: 'describedby', href: '{schema}' },
    ],
  };
}

export function memberSchema(): Record<string, unknown> {
  return {
    name: 'member',
    properties: {
      created_at: { type: 'string', description: 'Date and time of image member creation' },
      image_id: { type: 'string', description: 'An identifier for the image' },
      member_id: { type: 'string', description: 'An identifier for the image member (tenantId)' },
      schema: { type: 'string', readOnly: true },
      status: {
        type: 'string',
        description: 'The status of this image member',
        enum: MEMBER_STATUSES,
      },
      updated_at: {
        type: 'string',
        description: 'Date and time of last modification of image member',
      },
    },
  };
}

export function membersSchema(): Record<string, unknown> {
  return {
    name: 'members',
    properties: { members: { type: 'array', items: memberSchema() }, schema: { type: 'string' } },
    links: [{ rel: 'describedby', href: '{schema}' }],
  };
}
