import { portRequires } from './implicit-deps.js';
import type { Props, ResourceContext, ResourceType } from '../types.js';
import { create, remove, show, update } from './client.js';
import {
  field,
  findId,
  ignoreNotFound,
  isBuilt,
  prepareProperties,
  securityGroupIds,
  setTags,
  updateDiff,
} from './common.js';
import { PORT_SCHEMA } from './port.schema.js';
import { HeatFault } from '../../errors.js';

type Body = Record<string, unknown>;

/** Drops the keys of a map whose value is None (Heat fills every key of a map's schema). */
function withoutNulls(m: unknown): Body {
  return Object.fromEntries(Object.entries(m as Body).filter(([, v]) => v !== null));
}

/**
 * _prepare_port_properties: fixed IPs without empty keys and with `subnet` (a name or id)
 * as `subnet_id`, or none at all for no_fixed_ips; address pairs without a null MAC; security
 * groups by id (on update, no groups means `default`); replacement_policy is Heat's own.
 */
async function preparePort(rc: ResourceContext, body: Body, forUpdate: boolean): Promise<void> {
  const noFixed = body.no_fixed_ips === true;
  delete body.no_fixed_ips;
  if (noFixed) {
    body.fixed_ips = [];
  } else if (Object.hasOwn(body, 'fixed_ips')) {
    const ips = body.fixed_ips;
    if (Array.isArray(ips) && ips.length > 0) {
      body.fixed_ips = await Promise.all(
        ips.map(async (ip) => {
          const out = withoutNulls(ip);
          if (Object.hasOwn(out, 'subnet')) {
            out.subnet_id = await findId(rc, 'subnet', out.subnet);
            delete out.subnet;
          }
          return out;
        }),
      );
    } else {
      delete body.fixed_ips;
    }
  }
  if (Object.hasOwn(body, 'allowed_address_pairs')) {
    const pairs = body.allowed_address_pairs;
    body.allowed_address_pairs = Array.isArray(pairs) ? pairs.map(withoutNulls) : [];
  }
  if (Object.hasOwn(body, 'security_groups')) {
    const groups = body.security_groups;
    if (Array.isArray(groups)) body.security_groups = await securityGroupIds(rc, groups);
    else if (forUpdate) body.security_groups = await securityGroupIds(rc, ['default']);
  }
  delete body.replacement_policy;
}

function qosBody(body: Body): void {
  if (!Object.hasOwn(body, 'qos_policy')) return;
  body.qos_policy_id = body.qos_policy;
  delete body.qos_policy;
}

/** Port.validate: fixed_ips and no_fixed_ips exclude each other. */
function check(props: Props): void {
  const ips = props.fixed_ips;
  if (Array.isArray(ips) && ips.length > 0 && props.no_fixed_ips === true) {
    throw new HeatFault(
      'ResourcePropertyConflict',
      'Cannot define the following properties at the same time: fixed_ips, no_fixed_ips.',
    );
  }
}

/** OS::Neutron::Port (heat/engine/resources/openstack/neutron/port.py). */
export const PORT: ResourceType = {
  implicitRequires: portRequires,
  type: 'OS::Neutron::Port',
  description:
    'A resource for managing Neutron ports.\n\nA port represents a virtual switch port on a logical network switch.\nVirtual instances attach their interfaces into ports. The logical port also\ndefines the MAC address and the IP address(es) to be assigned to the\ninterfaces plugged into them. When IP addresses are associated to a port,\nthis also implies the port is associated with a subnet, as the IP address\nwas taken from the allocation pool for a specific subnet.',
  ...PORT_SCHEMA,
  translations: [
    { from: ['network_id'], to: 'network' },
    { from: ['fixed_ips', '*', 'subnet_id'], to: 'subnet' },
  ],

  validate: async (_rc, props) => check(props),

  async create(rc, props) {
    const body = prepareProperties(props, rc.physicalName());
    body.network_id = await findId(rc, 'network', body.network);
    delete body.network;
    await preparePort(rc, body, false);
    qosBody(body);
    const tags = body.tags;
    delete body.tags;
    const id = await create(rc, 'port', body);
    if (Array.isArray(tags) && tags.length > 0) await setTags(rc, 'ports', id, tags);
    return id;
  },

  async checkCreateComplete(rc, id) {
    return isBuilt((await show(rc, 'port', id)).status);
  },

  async update(rc, id, next, prev, changed) {
    const diff = updateDiff(rc, next, prev, changed);
    qosBody(diff);
    if (Object.hasOwn(diff, 'tags')) {
      await setTags(rc, 'ports', id, diff.tags);
      delete diff.tags;
    }
    await preparePort(rc, diff, true);
    if (Object.keys(diff).length > 0) await update(rc, 'port', id, diff);
  },

  // port.py prepare_for_replace: the new port may want the same fixed IPs, so the old one
  // lets go of its addresses (kept in the data, as Heat does) before the new one is made.
  async prepareForReplace(rc, id) {
    const fixedIps = (await show(rc, 'port', id)).fixed_ips ?? [];
    await rc.data.set('port_fip', JSON.stringify(fixedIps));
    await update(rc, 'port', id, { fixed_ips: [] });
  },

  async checkUpdateComplete(rc, id) {
    return isBuilt((await show(rc, 'port', id)).status);
  },

  async delete(rc, id) {
    await ignoreNotFound(remove(rc, 'port', id));
  },

  async attribute(rc, id, name) {
    const port = await show(rc, 'port', id);
    // Heat logs a failure to read these two and answers None.
    if (name === 'subnets') {
      const ips = (port.fixed_ips ?? []) as { subnet_id?: string }[];
      const ids = ips.flatMap((ip) => (ip.subnet_id ? [ip.subnet_id] : []));
      return Promise.all(ids.map((s) => show(rc, 'subnet', s))).catch(() => null);
    }
    if (name === 'network') {
      return show(rc, 'network', port.network_id as string).catch(() => null);
    }
    return field(port, name);
  },

  show: (rc, id) => show(rc, 'port', id),
};
