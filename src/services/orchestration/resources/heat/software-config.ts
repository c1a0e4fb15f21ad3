import { stringify } from 'yaml';
import { HeatFault } from '../../errors.js';
import type { SoftwareConfigInput, SoftwareConfigs } from '../../software-configs.js';
import type { PropertySchema, Props, ResourceContext, ResourceType } from '../types.js';
import { DOCS } from './docs.js';
import { since } from './support.js';

/**
 * OS::Heat::SoftwareConfig, StructuredConfig and CloudConfig (software_config.py,
 * structured_config.py, cloud_config.py): each stores one immutable config through the
 * software configs API and has its id as physical id. No property is update_allowed, so any
 * change replaces the resource: a new config made, the old one deleted.
 */

const IO_NAME = (what: string): PropertySchema => ({
  type: 'string',
  description: `Name of the ${what}.`,
  required: true,
});
const IO_DESCRIPTION = (what: string): PropertySchema => ({
  type: 'string',
  description: `Description of the ${what}.`,
});
const IO_TYPE = (what: string): PropertySchema => ({
  type: 'string',
  description: `Type of the value of the ${what}.`,
  default: 'String',
  constraints: [
    {
      kind: 'allowed_values',
      values: ['String', 'Number', 'CommaDelimitedList', 'Json', 'Boolean'],
    },
  ],
});

/** software_config_io.py's input_config_schema and output_config_schema. */
const INPUT_SCHEMA: Record<string, PropertySchema> = {
  name: IO_NAME('input'),
  description: IO_DESCRIPTION('input'),
  type: IO_TYPE('input'),
  default: { type: 'any', description: 'Default value for the input if none is specified.' },
  replace_on_change: {
    type: 'boolean',
    description: 'Replace the deployment instead of updating it when the input value changes.',
    default: false,
  },
};
const OUTPUT_SCHEMA: Record<string, PropertySchema> = {
  name: IO_NAME('output'),
  description: IO_DESCRIPTION('output'),
  type: IO_TYPE('output'),
  error_output: {
    type: 'boolean',
    description: 'Denotes that the deployment is in an error state if this output has a value.',
    default: false,
  },
};

export const GROUP_PROPERTY: PropertySchema = {
  type: 'string',
  description:
    'Namespace to group this software config by when delivered to a server. This may imply ' +
    'what configuration tool is going to perform the configuration.',
  default: 'Heat::Ungrouped',
};

const CONFIG_PROPERTIES: Record<string, PropertySchema> = {
  group: GROUP_PROPERTY,
  config: {
    type: 'string',
    description:
      'Configuration script or manifest which specifies what actual configuration is performed.',
  },
  options: {
    type: 'map',
    description:
      'Map containing options specific to the configuration management tool used by this resource.',
  },
  inputs: {
    type: 'list',
    description: 'Schema representing the inputs that this software config is expecting.',
    schema: { '*': { type: 'map', schema: INPUT_SCHEMA } },
  },
  outputs: {
    type: 'list',
    description: 'Schema representing the outputs that this software config will produce.',
    schema: { '*': { type: 'map', schema: OUTPUT_SCHEMA } },
  },
};

const CONFIG_ATTRIBUTES: ResourceType['attributes'] = {
  config: { description: 'The config value of the software config.', type: 'string' },
};

/** The parts every config type shares: delete, the `config` attribute, `show`. */
export function configSteps(
  configs: SoftwareConfigs,
): Pick<ResourceType, 'delete' | 'attribute' | 'show'> {
  return {
    async delete(rc, id) {
      if (id) await ignoreNotFound(() => configs.delete(rc.ctx, id));
    },
    async attribute(rc, id, name) {
      if (name !== 'config' || !id) return null;
      const sc = await ignoreNotFound(() => configs.get(rc.ctx, id));
      return sc ? sc.config : null;
    },
    async show(rc, id) {
      return configs.get(rc.ctx, id);
    },
  };
}

export async function ignoreNotFound<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof HeatFault && err.type === 'NotFound') return null;
    throw err;
  }
}

async function createConfig(
  configs: SoftwareConfigs,
  rc: ResourceContext,
  input: Omit<SoftwareConfigInput, 'name'>,
): Promise<string> {
  const sc = await configs.create(rc.ctx, { ...input, name: rc.physicalName() });
  return sc.id;
}

function fromProps(props: Props): Omit<SoftwareConfigInput, 'name'> {
  return {
    group: (props.group as string | null) ?? null,
    config: props.config ?? null,
    inputs: props.inputs,
    outputs: props.outputs,
    options: props.options,
  };
}

export function softwareConfig(configs: SoftwareConfigs): ResourceType {
  return {
    type: 'OS::Heat::SoftwareConfig',
    description: DOCS.softwareConfig,
    supportStatus: since('2014.1'),
    properties: CONFIG_PROPERTIES,
    attributes: CONFIG_ATTRIBUTES,
    create: (rc, props) => createConfig(configs, rc, fromProps(props)),
    ...configSteps(configs),
  };
}

export function structuredConfig(configs: SoftwareConfigs): ResourceType {
  return {
    ...softwareConfig(configs),
    type: 'OS::Heat::StructuredConfig',
    description: DOCS.structuredConfig,
    properties: {
      ...CONFIG_PROPERTIES,
      config: {
        type: 'map',
        description:
          'Map representing the configuration data structure which will be serialized to JSON ' +
          'format.',
      },
    },
  };
}

export function cloudConfig(configs: SoftwareConfigs): ResourceType {
  return {
    type: 'OS::Heat::CloudConfig',
    description: DOCS.cloudConfig,
    supportStatus: since('2014.1'),
    properties: {
      cloud_config: {
        type: 'map',
        description:
          'Map representing the cloud-config data structure which will be formatted as YAML.',
      },
    },
    attributes: CONFIG_ATTRIBUTES,
    create: (rc, props) =>
      createConfig(configs, rc, {
        group: 'Heat::Ungrouped',
        config: `#cloud-config\n${pyYamlDump(props.cloud_config ?? null)}`,
      }),
    ...configSteps(configs),
  };
}

/**
 * yaml.dump with Heat's safe dumper: block style, keys sorted, sequences not indented under
 * their key, lines folded at 80. Quoting of odd scalars may differ from PyYAML's in detail.
 */
export function pyYamlDump(value: unknown): string {
  if (value === null) return 'null\n...\n';
  return stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 80 });
}
