import { NotFound } from '../../../../errors.js';
import { serverGroupView } from '../../../compute/views/server-group.view.js';
import type { ResourceType } from '../types.js';
import { NOVA_MICROVERSION } from './finders.js';

/** OS::Nova::ServerGroup (nova/server_group.py): nothing updates in place. */
export const SERVER_GROUP: ResourceType = {
  type: 'OS::Nova::ServerGroup',
  description:
    'A resource for managing a Nova server group.\n\nServer groups allow you to make sure instances (VM/VPS) are on the same hypervisor host or on a different one.',
  supportStatus: { status: 'SUPPORTED', version: '2014.2' },
  properties: {
    name: { type: 'string', description: 'Server Group name.' },
    policies: {
      type: 'list',
      description: 'A list of exactly one policy to apply. Defaults to anti-affinity.',
      default: ['anti-affinity'],
      constraints: [
        {
          kind: 'allowed_values',
          values: ['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity'],
        },
      ],
      schema: { '*': { type: 'string' } },
    },
    rules: {
      type: 'map',
      description: 'Rules for a policy.',
      schema: {
        max_server_per_host: {
          type: 'number',
          description: 'Maximum servers in a group on a given host. Rule for anti-affinity policy.',
        },
      },
      supportStatus: { status: 'SUPPORTED', version: '17.0.0' },
    },
  },
  attributes: {},

  /** Nova speaks 2.64+, so Heat sends `policy` (the first) with `rules`. */
  async create(rc, props) {
    const policies = Array.isArray(props.policies) ? (props.policies as string[]) : [];
    const rules: Record<string, number> = {};
    for (const [k, v] of Object.entries((props.rules ?? {}) as Record<string, unknown>))
      if (typeof v === 'number') rules[k] = v;
    const group = await rc.services.compute.serverGroups.create(rc.ctx, {
      name: typeof props.name === 'string' && props.name !== '' ? props.name : rc.physicalName(),
      policy: policies[0] ?? 'anti-affinity',
      rules,
    });
    return group.row.id;
  },

  async delete(rc, id) {
    await rc.services.compute.serverGroups.delete(rc.ctx, id).catch((err: unknown) => {
      if (!(err instanceof NotFound)) throw err;
    });
  },

  async attribute() {
    return null;
  },

  async show(rc, id) {
    const g = await rc.services.compute.serverGroups.get(rc.ctx, id);
    return serverGroupView(g, NOVA_MICROVERSION);
  },
};
