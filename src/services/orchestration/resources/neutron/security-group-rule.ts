import { HeatFault, validationFailed } from '../../errors.js';
import type { Props, ResourceType } from '../types.js';
import { create, remove, show } from './client.js';
import { findId, ignoreNotFound, prepareProperties } from './common.js';
import { SECURITY_GROUP_RULE_SCHEMA } from './security-group.schema.js';

const ICMP = ['icmp', 'icmpv6', 'ipv6-icmp'];

/** SecurityGroupRule.validate: one remote, and a port range that is a range. */
function check(props: Props): void {
  if (props.remote_group != null && props.remote_ip_prefix != null) {
    throw new HeatFault(
      'ResourcePropertyConflict',
      'Cannot define the following properties at the same time: remote_group, remote_ip_prefix.',
    );
  }
  const max = props.port_range_max;
  const min = props.port_range_min;
  if (
    typeof max === 'number' &&
    typeof min === 'number' &&
    !ICMP.includes(props.protocol as string) &&
    max < min
  ) {
    throw validationFailed(
      'The minimum port number must be less than or equal to the maximum port number.',
    );
  }
}

/** OS::Neutron::SecurityGroupRule (security_group_rule.py): no property updates in place. */
export const SECURITY_GROUP_RULE: ResourceType = {
  type: 'OS::Neutron::SecurityGroupRule',
  description:
    'A resource for managing Neutron security group rules.\n\nRules to use in security group resource.',
  ...SECURITY_GROUP_RULE_SCHEMA,

  validate: async (_rc, props) => check(props),

  async create(rc, props) {
    const body = prepareProperties(props, null);
    body.security_group_id = await findId(rc, 'security_group', body.security_group);
    delete body.security_group;
    if (Object.hasOwn(body, 'remote_group')) {
      body.remote_group_id = await findId(rc, 'security_group', body.remote_group);
      delete body.remote_group;
    }
    for (const key of ['port_range_min', 'port_range_max']) {
      if (body[key] != null) body[key] = String(body[key] as number);
    }
    return create(rc, 'security_group_rule', body);
  },

  async delete(rc, id) {
    await ignoreNotFound(remove(rc, 'security_group_rule', id));
  },

  attribute: () => Promise.resolve(null),

  show: (rc, id) => show(rc, 'security_group_rule', id),
};
