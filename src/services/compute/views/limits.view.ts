import { versionBelow, type Microversion } from '../../../http/microversion.js';
import type { QuotaSet } from '../quotas.js';

/** GET /limits: absolute limits under Nova's names; 2.36, 2.39 and 2.57 drop fields; no rates. */
export function limitsView(limits: QuotaSet, used: QuotaSet, mv: Microversion): unknown {
  const absolute: Record<string, number> = {
    maxServerMeta: limits.metadata_items,
    maxTotalInstances: limits.instances,
    maxTotalCores: limits.cores,
    maxTotalRAMSize: limits.ram,
    maxTotalKeypairs: limits.key_pairs,
    maxServerGroups: limits.server_groups,
    maxServerGroupMembers: limits.server_group_members,
    totalInstancesUsed: used.instances,
    totalCoresUsed: used.cores,
    totalRAMUsed: used.ram,
    totalServerGroupsUsed: used.server_groups,
  };
  if (versionBelow(mv, [2, 36])) {
    Object.assign(absolute, {
      maxTotalFloatingIps: limits.floating_ips,
      maxSecurityGroups: limits.security_groups,
      maxSecurityGroupRules: limits.security_group_rules,
      totalFloatingIpsUsed: used.floating_ips,
      totalSecurityGroupsUsed: used.security_groups,
    });
  }
  if (versionBelow(mv, [2, 39])) absolute.maxImageMeta = limits.metadata_items;
  if (versionBelow(mv, [2, 57])) {
    absolute.maxPersonality = limits.injected_files;
    absolute.maxPersonalitySize = limits.injected_file_content_bytes;
  }
  return { limits: { rate: [], absolute } };
}
