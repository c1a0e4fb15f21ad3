import type { FastifyInstance } from 'fastify';
import { Forbidden } from '../../../errors.js';
import { first, type Query } from '../../../http/query.js';
import { versionBelow } from '../../../http/microversion.js';
import type { ComputeQuotas } from '../quotas.js';

/** GET /limits: the project's quotas and usage under Nova's absolute-limit names; no rate limits. */
export function limitRoutes(app: FastifyInstance, quotas: ComputeQuotas): void {
  app.get('/limits', async (req) => {
    const asked = first(req.query as Query, 'tenant_id');
    if (asked && asked !== req.ctx.projectId && !req.ctx.isAdmin) {
      throw new Forbidden(
        "Policy doesn't allow os_compute_api:limits:other_project to be performed.",
      );
    }
    const project = asked ?? req.ctx.projectId ?? '';
    const limits = await quotas.limits(project);
    const used = await quotas.usage(project);
    const mv = req.computeMv;
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
  });
}
