import { NeutronFault } from '../../../network/errors.js';
import type { Props, ResourceContext, ResourceType } from '../types.js';
import { create, remove, show, update } from './client.js';
import {
  field,
  ignoreNotFound,
  isBuilt,
  prepareProperties,
  setTags,
  updateDiff,
  checkValueSpecs,
} from './common.js';
import { NET_SCHEMA } from './net.schema.js';

/**
 * DHCP agent scheduling (`dhcp_agent_ids`) is not served by this Neutron: the agent
 * scheduler's calls answer 404, as a Neutron without that extension does.
 */
function noDhcpScheduler(): NeutronFault {
  return new NeutronFault(404, 'NotFound', 'The resource could not be found.');
}

/** qos_policy would be sent as qos_policy_id, which Neutron without QoS does not know. */
function qosBody(body: Record<string, unknown>): void {
  if (!Object.hasOwn(body, 'qos_policy')) return;
  const qos = body.qos_policy;
  delete body.qos_policy;
  body.qos_policy_id = qos;
}

/** OS::Neutron::Net (heat/engine/resources/openstack/neutron/net.py). */
export const NET: ResourceType = {
  type: 'OS::Neutron::Net',
  description:
    'A resource for managing Neutron net.\n\nA network is a virtual isolated layer-2 broadcast domain which is typically\nreserved to the tenant who created it, unless the network has been\nexplicitly configured to be shared.',
  ...NET_SCHEMA,

  // Only Net keeps this check: the types that override validate drop what it returns.
  async validate(_rc, props) {
    checkValueSpecs(NET_SCHEMA.properties, props);
  },

  async create(rc: ResourceContext, props: Props) {
    const body = prepareProperties(props, rc.physicalName());
    const agents = body.dhcp_agent_ids;
    const tags = body.tags;
    delete body.dhcp_agent_ids;
    delete body.tags;
    qosBody(body);
    const id = await create(rc, 'network', body);
    if (Array.isArray(agents) && agents.length > 0) throw noDhcpScheduler();
    if (Array.isArray(tags) && tags.length > 0) await setTags(rc, 'networks', id, tags);
    return id;
  },

  async checkCreateComplete(rc, id) {
    return isBuilt((await show(rc, 'network', id)).status);
  },

  async update(rc, id, next, prev, changed) {
    const diff = updateDiff(rc, next, prev, changed);
    if (Object.hasOwn(diff, 'dhcp_agent_ids')) throw noDhcpScheduler();
    qosBody(diff);
    if (Object.hasOwn(diff, 'tags')) {
      await setTags(rc, 'networks', id, diff.tags);
      delete diff.tags;
    }
    if (Object.keys(diff).length > 0) await update(rc, 'network', id, diff);
  },

  async checkUpdateComplete(rc, id) {
    return isBuilt((await show(rc, 'network', id)).status);
  },

  async delete(rc, id) {
    await ignoreNotFound(remove(rc, 'network', id));
  },

  async attribute(rc, id, name) {
    // Segments come from the segments API, which this Neutron does not serve.
    if (name === 'segments') return null;
    return field(await show(rc, 'network', id), name);
  },

  show: (rc, id) => show(rc, 'network', id),
};
