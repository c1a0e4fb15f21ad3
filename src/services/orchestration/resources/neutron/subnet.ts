import { pyRepr } from '../../../../http/pyrepr.js';
import { parseAddress } from '../../../network/ip.js';
import { HeatFault, validationFailed } from '../../errors.js';
import type { Props, ResourceType } from '../types.js';
import { create, remove, show, update } from './client.js';
import { field, findId, ignoreNotFound, prepareProperties, setTags, updateDiff } from './common.js';
import { SUBNET_SCHEMA } from './subnet.schema.js';

/** _null_gateway_ip: an empty gateway_ip asks for a subnet without a gateway. */
function nullGateway(body: Record<string, unknown>): void {
  if (Object.hasOwn(body, 'gateway_ip') && body.gateway_ip === '') body.gateway_ip = null;
}

/** Subnet.validate: the property combinations Heat refuses before anything is made. */
function check(props: Props): void {
  const { subnetpool, prefixlen, cidr } = props;
  if (subnetpool != null && cidr) {
    throw new HeatFault(
      'ResourcePropertyConflict',
      'Cannot define the following properties at the same time: subnetpool, cidr.',
    );
  }
  if (subnetpool == null && !cidr) {
    throw new HeatFault(
      'PropertyUnspecifiedError',
      'At least one of the following properties must be specified: subnetpool, cidr.',
    );
  }
  if (prefixlen && cidr) {
    throw new HeatFault(
      'ResourcePropertyConflict',
      'Cannot define the following properties at the same time: prefixlen, cidr.',
    );
  }
  const ra = props.ipv6_ra_mode;
  const addr = props.ipv6_address_mode;
  if (props.ip_version === 4 && (ra || addr)) {
    throw validationFailed('ipv6_ra_mode and ipv6_address_mode are not supported for ipv4.');
  }
  if (ra && addr && ra !== addr) {
    throw validationFailed(
      'When both ipv6_ra_mode and ipv6_address_mode are set, they must be equal.',
    );
  }
  const gw = props.gateway_ip;
  if (gw && gw !== '~' && gw !== '' && !parseAddress(gw)) {
    // Heat builds this message as a tuple by mistake, and prints the tuple.
    throw validationFailed(
      `('Gateway IP address "%(gateway)s" is in invalid format.', ${pyRepr(gw)})`,
    );
  }
}

/** OS::Neutron::Subnet (heat/engine/resources/openstack/neutron/subnet.py). */
export const SUBNET: ResourceType = {
  type: 'OS::Neutron::Subnet',
  description:
    'A resource for managing Neutron subnets.\n\nA subnet represents an IP address block that can be used for assigning IP\naddresses to virtual instances. Each subnet must have a CIDR and must be\nassociated with a network. IPs can be either selected from the whole subnet\nCIDR, or from "allocation pools" that can be specified by the user.',
  ...SUBNET_SCHEMA,
  translations: [{ from: ['network_id'], to: 'network' }],

  validate: async (_rc, props) => check(props),

  async create(rc, props) {
    const body = prepareProperties(props, rc.physicalName());
    body.network_id = await findId(rc, 'network', body.network);
    delete body.network;
    if (body.segment) body.segment_id = body.segment;
    delete body.segment;
    const tags = body.tags;
    delete body.tags;
    if (body.subnetpool) body.subnetpool_id = await findId(rc, 'subnetpool', body.subnetpool);
    delete body.subnetpool;
    nullGateway(body);
    const id = await create(rc, 'subnet', body);
    if (Array.isArray(tags) && tags.length > 0) await setTags(rc, 'subnets', id, tags);
    return id;
  },

  async update(rc, id, next, prev, changed) {
    const diff = updateDiff(rc, next, prev, changed);
    if (Object.hasOwn(diff, 'allocation_pools') && diff.allocation_pools === null) {
      diff.allocation_pools = [];
    }
    if (diff.segment) {
      if (prev.segment != null) {
        throw new HeatFault(
          'ResourceActionNotSupported',
          'Updating the subnet segment assciation only allowed when the current segment_id is None. The subnet is currently associated with segment. In this state update is not supported for resource.',
        );
      }
      diff.segment_id = diff.segment;
      delete diff.segment;
    }
    nullGateway(diff);
    if (Object.hasOwn(diff, 'tags')) {
      await setTags(rc, 'subnets', id, diff.tags);
      delete diff.tags;
    }
    await update(rc, 'subnet', id, diff);
  },

  async delete(rc, id) {
    await ignoreNotFound(remove(rc, 'subnet', id));
  },

  async attribute(rc, id, name) {
    return field(await show(rc, 'subnet', id), name);
  },

  show: (rc, id) => show(rc, 'subnet', id),
};
