/**
 * OS::Heat::ResourceChain (heat/engine/resources/openstack/heat/resource_chain.py): one member
 * per type in `resources`, all with the same properties, in a child stack; each depends on the
 * one before it unless `concurrent` (and even then one engine runs them one after another, as
 * Heat limits concurrency to the number of engines).
 */
import type { Props, ResourceContext, ResourceType } from '../types.js';
import { since } from './support.js';
import { childActions, childDone, childEnvironment, nestedOf } from './stack-resource.js';
import { CHILD_VERSION, membersAttribute, refsOutput } from './resource-group.js';

const DESCRIPTION = [
  'Creates one or more resources with the same configuration.',
  '',
  'The types of resources to be created are passed into the chain',
  'through the ``resources`` property. One resource will be created for each',
  'type listed. Each is passed the configuration specified',
  'under ``resource_properties``.',
  '',
  'The ``concurrent`` property controls if the resources will be created',
  'concurrently. If omitted or set to false, each resource will be treated',
  'as having a dependency on the resource before it in the list.',
].join('\n');

/** Active engines: the concurrency limit Heat applies to a concurrent chain. */
const ENGINES = 1;

function names(props: Props): string[] {
  return ((props['resources'] ?? []) as unknown[]).map((_t, i) => String(i));
}

export function chainTemplate(props: Props): Record<string, unknown> {
  const types = (props['resources'] ?? []) as unknown[];
  const all = names(props);
  const resources: Record<string, unknown> = {};
  types.forEach((type, i) => {
    const r: Record<string, unknown> = { type };
    const p = props['resource_properties'];
    if (p !== null && p !== undefined) r['properties'] = p;
    if (i > 0 && !props['concurrent']) r['depends_on'] = [all[i - 1]];
    else if (i >= ENGINES) r['depends_on'] = [all[i - ENGINES]];
    resources[all[i]!] = r;
  });
  return {
    heat_template_version: CHILD_VERSION,
    resources,
    outputs: { refs_map: refsOutput(all) },
  };
}

function childDef(rc: ResourceContext, props: Props) {
  return {
    template: chainTemplate(props),
    files: rc.definition?.files ?? {},
    environment: childEnvironment(rc.definition?.environment, rc.resourceName),
    parameters: {},
    timeoutMins: null,
  };
}

export const resourceChain: ResourceType = {
  type: 'OS::Heat::ResourceChain',
  alwaysUpdate: true,
  description: DESCRIPTION,
  supportStatus: since('6.0.0'),
  properties: {
    resources: {
      type: 'list',
      description:
        'The list of resource types to create. This list may contain type names or aliases ' +
        'defined in the resource registry. Specific template names are not supported.',
      required: true,
      updateAllowed: true,
    },
    concurrent: {
      type: 'boolean',
      description:
        'If true, the resources in the chain will be created concurrently. If false or ' +
        'omitted, each resource will be treated as having a dependency on the previous ' +
        'resource in the list.',
      default: false,
    },
    resource_properties: {
      type: 'map',
      description: 'Properties to pass to each resource being created in the chain.',
    },
  },
  attributes: {
    refs: {
      description: 'A list of resource IDs for the resources in the chain.',
      type: 'list',
    },
    attributes: {
      description:
        'A map of resource names to the specified attribute of each individual resource.',
      type: 'map',
    },
  },

  ...childActions,

  create(rc, props) {
    return nestedOf(rc).create(childDef(rc, props));
  },

  checkCreateComplete(rc, id) {
    return childDone(rc, id, 'CREATE');
  },

  async update(rc, id, next) {
    await nestedOf(rc).update(id, childDef(rc, next));
  },

  checkUpdateComplete(rc, id) {
    return childDone(rc, id, 'UPDATE');
  },

  async delete(rc, id) {
    await nestedOf(rc).delete(id);
  },

  checkDeleteComplete(rc, id) {
    return childDone(rc, id, 'DELETE');
  },

  acceptsAttribute() {
    return true;
  },

  attribute(rc, id, name, props) {
    return membersAttribute(rc, id, name, names(props));
  },
};
