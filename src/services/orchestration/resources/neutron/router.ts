import { routerRequires } from './implicit-deps.js';
import { NeutronFault } from '../../../network/errors.js';
import { HeatFault, validationFailed } from '../../errors.js';
import type { Props, ResourceContext, ResourceType } from '../types.js';
import { create, remove, show, update } from './client.js';
import {
  field,
  findId,
  ignoreNotFound,
  isBuilt,
  prepareProperties,
  setTags,
  updateDiff,
} from './common.js';
import { ROUTER_SCHEMA } from './router.schema.js';

type Body = Record<string, unknown>;

/**
 * _resolve_gateway: `network` (a name or id) becomes `network_id`, unset enable_snat and
 * external_fixed_ips are left out, and each fixed IP's `subnet` becomes `subnet_id`.
 */
async function resolveGateway(rc: ResourceContext, body: Body): Promise<void> {
  const gw = body.external_gateway_info;
  if (!gw || typeof gw !== 'object') return;
  const g = { ...(gw as Body) };
  g.network_id = await findId(rc, 'network', g.network);
  delete g.network;
  if (g.enable_snat == null) delete g.enable_snat;
  if (g.external_fixed_ips == null) {
    delete g.external_fixed_ips;
  } else {
    g.external_fixed_ips = await Promise.all(
      (g.external_fixed_ips as Body[]).map(async (ip) => {
        const out = Object.fromEntries(Object.entries(ip).filter(([, v]) => v !== null));
        if (Object.hasOwn(out, 'subnet')) {
          out.subnet_id = await findId(rc, 'subnet', out.subnet);
          delete out.subnet;
        }
        return out;
      }),
    );
  }
  body.external_gateway_info = g;
}

/** L3 agent scheduling is not served by this Neutron (no l3_agent_scheduler extension). */
function noL3Scheduler(): NeutronFault {
  return new NeutronFault(404, 'NotFound', 'The resource could not be found.');
}

/** Router.validate: agents, DVR and HA as Heat allows them together. */
function check(props: Props): void {
  const { distributed, ha, l3_agent_id: one, l3_agent_ids: many } = props;
  const conflict = (props: string) =>
    new HeatFault(
      'ResourcePropertyConflict',
      `Cannot define the following properties at the same time: ${props}.`,
    );
  if (one && many) throw conflict('l3_agent_id, l3_agent_ids');
  if (distributed && (one || many)) throw conflict('distributed, l3_agent_id/l3_agent_ids');
  if (ha && distributed) throw conflict('distributed, ha');
  if (!ha && Array.isArray(many) && many.length > 1) {
    throw validationFailed('Non HA routers can only have one L3 agent.');
  }
}

/** OS::Neutron::Router (heat/engine/resources/openstack/neutron/router.py). */
export const ROUTER: ResourceType = {
  implicitRequires: routerRequires,
  type: 'OS::Neutron::Router',
  description:
    'A resource that implements Neutron router.\n\nRouter is a physical or virtual network device that passes network traffic\nbetween different networks.',
  ...ROUTER_SCHEMA,

  validate: async (_rc, props) => check(props),

  async create(rc, props) {
    const body = prepareProperties(props, rc.physicalName());
    await resolveGateway(rc, body);
    const agents = body.l3_agent_ids ?? (body.l3_agent_id ? [body.l3_agent_id] : null);
    delete body.l3_agent_id;
    delete body.l3_agent_ids;
    const tags = body.tags;
    delete body.tags;
    const id = await create(rc, 'router', body);
    if (Array.isArray(agents) && agents.length > 0) throw noL3Scheduler();
    if (Array.isArray(tags) && tags.length > 0) await setTags(rc, 'routers', id, tags);
    return id;
  },

  async checkCreateComplete(rc, id) {
    return isBuilt((await show(rc, 'router', id)).status);
  },

  async update(rc, id, next, prev, changed) {
    const diff = updateDiff(rc, next, prev, changed);
    if (Object.hasOwn(diff, 'external_gateway_info')) await resolveGateway(rc, diff);
    if (Object.hasOwn(diff, 'l3_agent_ids') || Object.hasOwn(diff, 'l3_agent_id')) {
      throw noL3Scheduler();
    }
    if (Object.hasOwn(diff, 'tags')) {
      await setTags(rc, 'routers', id, diff.tags);
      delete diff.tags;
    }
    if (Object.keys(diff).length > 0) await update(rc, 'router', id, diff);
  },

  async delete(rc, id) {
    await ignoreNotFound(remove(rc, 'router', id));
  },

  async attribute(rc, id, name) {
    return field(await show(rc, 'router', id), name);
  },

  show: (rc, id) => show(rc, 'router', id),
};
