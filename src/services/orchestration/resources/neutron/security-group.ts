import { validationFailed } from '../../errors.js';
import type { ResourceContext, ResourceType } from '../types.js';
import { create, remove, show, update } from './client.js';
import { ignoreNotFound, isConflict, prepareProperties, updateDiff } from './common.js';
import { SECURITY_GROUP_SCHEMA } from './security-group.schema.js';

type Rule = Record<string, unknown>;

/** The rules a group gets back when the template's rules are taken away. */
const DEFAULT_EGRESS: Rule[] = [
  { direction: 'egress', ethertype: 'IPv4' },
  { direction: 'egress', ethertype: 'IPv6' },
];

/**
 * _format_rule: the rule for the group; remote_mode picks the remote (a remote_group_id mode
 * without a group means the group itself), and port numbers go as text, as Heat sends them.
 */
function formatRule(groupId: string, r: Rule): Rule {
  const rule: Rule = { ...r, security_group_id: groupId };
  if (Object.hasOwn(rule, 'remote_mode')) {
    const mode = rule.remote_mode;
    delete rule.remote_mode;
    if (mode === 'remote_group_id') {
      rule.remote_ip_prefix = null;
      if (!rule.remote_group_id) rule.remote_group_id = groupId;
    } else {
      rule.remote_group_id = null;
    }
  }
  for (const key of ['port_range_min', 'port_range_max']) {
    if (rule[key] != null) rule[key] = String(rule[key] as number);
  }
  return rule;
}

/** _delete_rules: the group's rules (those `which` picks), each gone or already gone. */
async function deleteRules(rc: ResourceContext, id: string, which?: (r: Rule) => boolean) {
  let group: Record<string, unknown>;
  try {
    group = await show(rc, 'security_group', id);
  } catch (err) {
    await ignoreNotFound(Promise.reject(err));
    return;
  }
  for (const rule of group.security_group_rules as Rule[]) {
    if (which && !which(rule)) continue;
    await ignoreNotFound(remove(rc, 'security_group_rule', rule.id as string));
  }
}

/**
 * _create_rules: the first egress rule given replaces the group's default egress rules; a
 * rule that already exists (409) is not an error.
 */
async function createRules(rc: ResourceContext, id: string, rules: Rule[]): Promise<void> {
  let egressCleared = false;
  for (const r of rules) {
    if (r.direction === 'egress' && !egressCleared) {
      egressCleared = true;
      await deleteRules(rc, id, (rule) => rule.direction === 'egress');
    }
    try {
      await create(rc, 'security_group_rule', formatRule(id, r));
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
}

/** A rule as Heat's properties give it: every key of the rule schema, defaults filled in. */
function withDefaults(r: unknown): Rule {
  const given = (r ?? {}) as Rule;
  return {
    direction: 'ingress',
    ethertype: 'IPv4',
    port_range_min: null,
    port_range_max: null,
    protocol: null,
    remote_mode: 'remote_ip_prefix',
    remote_group_id: null,
    remote_ip_prefix: null,
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
  };
}

/** OS::Neutron::SecurityGroup (heat/engine/resources/openstack/neutron/security_group.py). */
export const SECURITY_GROUP: ResourceType = {
  type: 'OS::Neutron::SecurityGroup',
  description:
    'A resource for managing Neutron security groups.\n\nSecurity groups are sets of IP filter rules that are applied to an\ninstance\'s networking. They are project specific, and project members can\nedit the default rules for their group and add new rules sets. All projects\nhave a "default" security group, which is applied to instances that have no\nother security group defined.',
  ...SECURITY_GROUP_SCHEMA,

  async validate(_rc, props) {
    if (props.name === 'default') {
      throw validationFailed('Security groups cannot be assigned the name "default".');
    }
  },

  async create(rc, props) {
    const body = prepareProperties(props, rc.physicalName());
    const rules = Array.isArray(body.rules) ? body.rules.map(withDefaults) : [];
    delete body.rules;
    const id = await create(rc, 'security_group', body);
    await createRules(rc, id, rules);
    return id;
  },

  async update(rc, id, next, prev, changed) {
    const diff = updateDiff(rc, next, prev, changed);
    let rules: Rule[] | null = null;
    if (Object.hasOwn(diff, 'rules')) {
      rules = Array.isArray(diff.rules) ? diff.rules.map(withDefaults) : [];
      delete diff.rules;
      await deleteRules(rc, id);
      await createRules(rc, id, DEFAULT_EGRESS);
    }
    if (Object.keys(diff).length > 0) await update(rc, 'security_group', id, diff);
    if (rules && rules.length > 0) await createRules(rc, id, rules);
  },

  async delete(rc, id) {
    await deleteRules(rc, id);
    await ignoreNotFound(remove(rc, 'security_group', id));
  },

  // The group has no attributes of its own; `show` gives the whole group.
  attribute: () => Promise.resolve(null),

  show: (rc, id) => show(rc, 'security_group', id),
};
