import type { SecurityGroup } from '../security-groups.js';
import { standardView } from './common.js';
import { securityGroupRuleView } from './security-group-rule.view.js';

/** A security group as Neutron shows it, with its rules in full. */
export function securityGroupView(g: SecurityGroup): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    stateful: g.stateful,
    shared: g.shared,
    security_group_rules: g.rules.map(securityGroupRuleView),
    ...standardView(g),
  };
}
