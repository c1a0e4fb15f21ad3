/** OS::Heat::ResourceGroup's schemas and docstring as `resource type show` prints them. */
import type { AttributeSchema, PropertySchema } from '../types.js';
import { since } from './support.js';

const DESCRIPTION = [
  'Creates one or more identically configured nested resources.',
  '',
  'In addition to the `refs` attribute, this resource implements synthetic',
  'attributes that mirror those of the resources in the group. When',
  'getting an attribute from this resource, however, a list of attribute',
  'values for each resource in the group is returned. To get attribute values',
  'for a single resource in the group, synthetic attributes of the form',
  '`resource.{resource index}.{attribute name}` can be used. The resource ID',
  'of a particular resource in the group can be obtained via the synthetic',
  'attribute `resource.{resource index}`. Note, that if you get attribute',
  "without `{resource index}`, e.g. `[resource, {attribute_name}]`, you'll get",
  "a list of this attribute's value for all resources in group.",
  '',
  'While each resource in the group will be identically configured, this',
  'resource does allow for some index-based customization of the properties',
  'of the resources in the group. For example::',
  '',
  '  resources:',
  '    my_indexed_group:',
  '      type: OS::Heat::ResourceGroup',
  '      properties:',
  '        count: 3',
  '        resource_def:',
  '          type: OS::Nova::Server',
  '          properties:',
  '            # create a unique name for each server',
  '            # using its index in the group',
  '            name: my_server_%index%',
  '            image: CentOS 6.5',
  '            flavor: 4GB Performance',
  '',
  'would result in a group of three servers having the same image and flavor,',
  'but names of `my_server_0`, `my_server_1`, and `my_server_2`. The variable',
  'used for substitution can be customized by using the `index_var` property.',
].join('\n');

export const GROUP_PROPERTIES: Record<string, PropertySchema> = {
  count: {
    type: 'integer',
    description: 'The number of resources to create.',
    default: 1,
    constraints: [{ kind: 'range', min: 0 }],
    updateAllowed: true,
  },
  index_var: {
    type: 'string',
    description:
      'A variable that this resource will use to replace with the current index of a given ' +
      'resource in the group. Can be used, for example, to customize the name property of ' +
      'grouped servers in order to differentiate them when listed with nova client.',
    default: '%index%',
    constraints: [{ kind: 'length', min: 3 }],
    supportStatus: since('2014.2'),
  },
  resource_def: {
    type: 'map',
    description:
      'Resource definition for the resources in the group. The value of this property is the ' +
      'definition of a resource just as if it had been declared in the template itself.',
    required: true,
    updateAllowed: true,
    schema: {
      type: {
        type: 'string',
        description: 'The type of the resources in the group.',
        required: true,
      },
      properties: { type: 'map', description: 'Property values for the resources in the group.' },
      metadata: {
        type: 'map',
        description: 'Supplied metadata for the resources in the group.',
        supportStatus: since('5.0.0'),
      },
    },
  },
  removal_policies: {
    type: 'list',
    description: 'Policies for removal of resources on update.',
    default: [],
    updateAllowed: true,
    supportStatus: since('2015.1'),
    schema: {
      '*': {
        type: 'map',
        description:
          'Policy to be processed when doing an update which requires removal of specific ' +
          'resources.',
        schema: {
          resource_list: {
            type: 'list',
            description:
              'List of resources to be removed when doing an update which requires removal of ' +
              'specific resources. The resource may be specified several ways: (1) The ' +
              'resource name, as in the nested stack, (2) The resource reference returned from ' +
              "get_resource in a template, as available via the 'refs' attribute. Note this " +
              'is destructive on update when specified; even if the count is not being ' +
              'reduced, and once a resource name is removed, its name is never reused in ' +
              'subsequent updates.',
            default: [],
          },
        },
      },
    },
  },
  removal_policies_mode: {
    type: 'string',
    description:
      'How to handle changes to removal_policies on update. The default "append" mode ' +
      'appends to the internal list, "update" replaces it on update.',
    default: 'append',
    constraints: [{ kind: 'allowed_values', values: ['append', 'update'] }],
    updateAllowed: true,
    supportStatus: since('10.0.0'),
  },
};

const ATTRIBUTES: Record<string, AttributeSchema> = {
  refs: { description: 'A list of resource IDs for the resources in the group.', type: 'list' },
  refs_map: {
    description: 'A map of resource names to IDs for the resources in the group.',
    type: 'map',
    supportStatus: since('7.0.0'),
  },
  attributes: {
    description:
      'A map of resource names to the specified attribute of each individual resource. ' +
      'Requires heat_template_version: 2014-10-16.',
    type: 'map',
    supportStatus: since('2014.2'),
  },
  removed_rsrc_list: {
    description: 'A list of removed resource names.',
    type: 'list',
    supportStatus: since('7.0.0'),
  },
};

export const GROUP_DOCS = { description: DESCRIPTION, attributes: ATTRIBUTES };
