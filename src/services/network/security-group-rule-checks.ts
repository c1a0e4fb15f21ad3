import { NeutronFault } from './errors.js';
import { parseAddress } from './ip.js';
import {
  IPV6_ONLY,
  isIcmp,
  PORT_PROTOCOL_NAMES,
  protocolKey,
  protocolNumber,
  takesPorts,
} from './security-group-protocols.js';
import type { RuleInput } from './security-group-rules.js';

/**
 * What neutron/db/securitygroups_db.py checks of a rule before it looks anything up
 * (_validate_security_group_rule), in its order and with its texts: all 400s.
 */
function invalid(type: string, message: string): NeutronFault {
  return new NeutronFault(400, type, message);
}

/** _validate_port_range: ports only for protocols that have them; ICMP type and code. */
function checkPorts(rule: RuleInput): void {
  const { port_range_min: min, port_range_max: max } = rule;
  if (min === null && max === null) return;
  if (rule.protocol === null) {
    throw invalid(
      'SecurityGroupProtocolRequiredWithPorts',
      'Must also specify protocol if port range is given.',
    );
  }
  const number = protocolNumber(rule.protocol);
  if (takesPorts(number)) {
    if (min === 0 || max === 0) {
      throw invalid('SecurityGroupInvalidPortValue', 'Invalid value for port 0');
    }
    if (min === null || max === null || min > max) {
      throw invalid(
        'SecurityGroupInvalidPortRange',
        'For TCP/UDP protocols, port_range_min must be <= port_range_max',
      );
    }
  } else if (isIcmp(number)) {
    for (const [attr, field, value] of [
      ['port_range_min', 'type', min],
      ['port_range_max', 'code', max],
    ] as const) {
      if (value !== null && !(value >= 0 && value <= 255)) {
        throw invalid(
          'SecurityGroupInvalidIcmpValue',
          `Invalid value for ICMP ${field} (${attr}) ${value}. It must be 0 to 255.`,
        );
      }
    }
    if (min === null && max !== null) {
      throw invalid(
        'SecurityGroupMissingIcmpType',
        `ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`,
      );
    }
  } else {
    const names = PORT_PROTOCOL_NAMES.map((n) => n.toUpperCase()).join(', ');
    throw invalid(
      'SecurityGroupInvalidProtocolForPort',
      `Ports cannot be specified for protocol ${number}. Ports are only supported for ${names}.`,
    );
  }
}

/**
 * The rule as Neutron stores it, or the first thing wrong with it: IPv6 ICMP under its one
 * name, the whole port range as no range, the port range, the remote prefix's version, the
 * protocol's ethertype, and one remote at most.
 */
export function canonicalRule(input: RuleInput): RuleInput {
  const rule = { ...input };
  if (rule.ethertype === 'IPv6') {
    if (rule.protocol === 'icmp' || rule.protocol === 'icmpv6') rule.protocol = 'ipv6-icmp';
    else if (rule.protocol === '1') rule.protocol = '58';
  }
  if (rule.port_range_min === 1 && rule.port_range_max === 65535) {
    rule.port_range_min = null;
    rule.port_range_max = null;
  }
  checkPorts(rule);
  if (rule.remote_ip_prefix !== null) {
    const version = parseAddress(rule.remote_ip_prefix.split('/')[0])?.version;
    if (rule.ethertype !== `IPv${version}`) {
      throw invalid(
        'SecurityGroupRuleParameterConflict',
        `Conflicting value ethertype ${rule.ethertype} for CIDR ${rule.remote_ip_prefix}`,
      );
    }
  }
  if (rule.protocol !== null && IPV6_ONLY.has(rule.protocol) && rule.ethertype === 'IPv4') {
    throw invalid(
      'SecurityGroupEthertypeConflictWithProtocol',
      `Invalid ethertype ${rule.ethertype} for protocol ${rule.protocol}.`,
    );
  }
  const remotes = [rule.remote_ip_prefix, rule.remote_group_id, rule.remote_address_group_id];
  if (remotes.filter((r) => r !== null).length > 1) {
    throw invalid(
      'SecurityGroupMultipleRemoteEntites',
      'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.',
    );
  }
  return rule;
}

type KeyFields = Pick<
  RuleInput,
  | 'direction'
  | 'ethertype'
  | 'port_range_min'
  | 'port_range_max'
  | 'protocol'
  | 'remote_group_id'
  | 'remote_address_group_id'
  | 'remote_ip_prefix'
  | 'security_group_id'
>;

/**
 * _rule_to_key: what makes two rules the same. The description does not count; `tcp` is `6`;
 * any-address prefixes are no prefix.
 */
export function ruleKey(rule: KeyFields): string {
  const prefix = rule.remote_ip_prefix;
  const anyAddress = prefix === null || prefix === '0.0.0.0/0' || prefix === '::/0';
  return JSON.stringify([
    rule.direction,
    rule.ethertype,
    rule.port_range_max,
    rule.port_range_min,
    rule.protocol === null ? null : protocolKey(rule.protocol, rule.ethertype),
    rule.remote_group_id,
    rule.remote_address_group_id,
    anyAddress ? null : prefix,
    rule.security_group_id,
  ]);
}
