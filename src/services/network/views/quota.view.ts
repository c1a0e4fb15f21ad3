import {
  QUOTA_RESOURCES,
  type QuotaLimits,
  type QuotaResource,
  type QuotaUsage,
} from '../quotas.js';

/** `{"network": 100, ...}`: every resource Neutron counts, in its registry's order. */
export function quotaView(limits: QuotaLimits): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of QUOTA_RESOURCES) out[r] = limits[r];
  return out;
}

/** quota_details: `{"network": {"limit", "used", "reserved"}, ...}`. */
export function quotaDetailsView(
  usage: Record<QuotaResource, QuotaUsage>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of QUOTA_RESOURCES) {
    const u = usage[r];
    out[r] = { limit: u.limit, used: u.used, reserved: u.reserved };
  }
  return out;
}
