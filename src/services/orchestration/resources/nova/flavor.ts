import { NotFound } from '../../../../errors.js';
import { flavorView } from '../../../compute/views/flavor.view.js';
import type { ResourceType } from '../types.js';
import { NOVA_MICROVERSION } from './finders.js';

const specsOf = (v: unknown): Map<string, string> =>
  new Map(
    Object.entries((v ?? {}) as Record<string, unknown>).map(([k, x]) => [
      k,
      typeof x === 'string' ? x : JSON.stringify(x),
    ]),
  );

const int = (description: string, extra: Record<string, unknown> = {}) => ({
  type: 'integer' as const,
  description,
  ...extra,
});

/**
 * OS::Nova::Flavor (nova/flavor.py): admin-only as Nova's policy is, so a member's stack gets
 * Nova's 403 from createFlavor.
 */
export const FLAVOR: ResourceType = {
  type: 'OS::Nova::Flavor',
  description:
    'A resource for creating OpenStack virtual hardware templates.\n\nDue to default nova security policy usage of this resource is limited to being used by administrators only. The rights may also be delegated to other users by redefining the access controls on the nova-api server.\n\nNote that the current implementation of the Nova Flavor resource does not allow specifying the name and flavorid properties for the resource. This is done to avoid potential naming collision upon flavor creation as all flavor have a global scope.',
  supportStatus: { status: 'SUPPORTED', version: '2014.2' },
  properties: {
    tenants: {
      type: 'list',
      description: 'List of tenants.',
      updateAllowed: true,
      default: [],
      schema: {
        '*': {
          type: 'string',
          constraints: [{ kind: 'custom_constraint', name: 'keystone.project' }],
        },
      },
      supportStatus: { status: 'SUPPORTED', version: '8.0.0' },
    },
    flavorid: {
      type: 'string',
      description:
        'Unique ID of the flavor. If not specified, an UUID will be auto generated and used.',
      supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
    },
    name: {
      type: 'string',
      description: 'Name of the flavor.',
      supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
    },
    ram: int('Memory in MB for the flavor.', { required: true }),
    vcpus: int('Number of VCPUs for the flavor.', { required: true }),
    disk: int(
      'Size of local disk in GB. The "0" size is a special case that uses the native base image size as the size of the ephemeral root volume.',
      { default: 0 },
    ),
    swap: int('Swap space in MB.', { default: 0 }),
    ephemeral: int('Size of a secondary ephemeral data disk in GB.', { default: 0 }),
    rxtx_factor: { type: 'number', description: 'RX/TX factor.', default: 1.0 },
    extra_specs: {
      type: 'map',
      description: 'Key/Value pairs to extend the capabilities of the flavor.',
      updateAllowed: true,
    },
    is_public: {
      type: 'boolean',
      description:
        'Scope of flavor accessibility. Public or private. Default value is True, means public, shared across all projects.',
      default: true,
      supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
    },
  },
  attributes: {
    is_public: {
      description: 'Whether the flavor is shared across all projects.',
      type: 'boolean',
      supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
    },
    extra_specs: {
      description: 'Extra specs of the flavor in key-value pairs.',
      type: 'map',
      supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
    },
  },

  async create(rc, p) {
    const compute = rc.services.compute;
    const flavor = await compute.createFlavor(rc.ctx, {
      ...(typeof p.flavorid === 'string' && p.flavorid !== '' ? { id: p.flavorid } : {}),
      name: typeof p.name === 'string' && p.name !== '' ? p.name : rc.physicalName(),
      ram: Number(p.ram),
      vcpus: Number(p.vcpus),
      disk: Number(p.disk ?? 0),
      ephemeral: Number(p.ephemeral ?? 0),
      swap: Number(p.swap ?? 0),
      rxtxFactor: Number(p.rxtx_factor ?? 1),
      isPublic: p.is_public !== false,
      description: null,
    });
    const id = flavor.row.id;
    const specs = specsOf(p.extra_specs);
    if (specs.size > 0) await compute.setFlavorExtraSpecs(rc.ctx, id, specs, 'create');
    if (p.is_public === false) {
      const tenants = Array.isArray(p.tenants) ? (p.tenants as string[]) : [];
      // Heat gives a private flavor without tenants to the stack's own project.
      for (const t of tenants.length > 0 ? tenants : [rc.stack.projectId])
        await compute.addFlavorAccess(rc.ctx, id, t);
    }
    return id;
  },

  async update(rc, id, next, prev, changed) {
    const compute = rc.services.compute;
    if (changed.includes('extra_specs')) {
      for (const key of Object.keys(await compute.flavorExtraSpecs(rc.ctx, id)))
        await compute.unsetFlavorExtraSpec(rc.ctx, id, key);
      const specs = specsOf(next.extra_specs);
      if (specs.size > 0) await compute.setFlavorExtraSpecs(rc.ctx, id, specs, 'update');
    }
    if (changed.includes('tenants') && prev.is_public === false) {
      const old = await compute.flavorAccess(rc.ctx, id);
      const want = Array.isArray(next.tenants) ? (next.tenants as string[]) : [];
      for (const t of old.filter((x) => !want.includes(x)))
        await compute.removeFlavorAccess(rc.ctx, id, t);
      for (const t of want.filter((x) => !old.includes(x)))
        await compute.addFlavorAccess(rc.ctx, id, t);
    }
  },

  async delete(rc, id) {
    await rc.services.compute.deleteFlavor(rc.ctx, id).catch((err: unknown) => {
      if (!(err instanceof NotFound)) throw err;
    });
  },

  async show(rc, id) {
    return flavorView(await rc.services.compute.getFlavor(rc.ctx, id), NOVA_MICROVERSION, '');
  },

  async attribute(rc, id, name) {
    const flavor = await rc.services.compute.getFlavor(rc.ctx, id);
    if (name === 'is_public') return flavor.row.is_public === 1;
    if (name === 'extra_specs') return Object.fromEntries(Object.entries(flavor.extraSpecs));
    return null;
  },
};
