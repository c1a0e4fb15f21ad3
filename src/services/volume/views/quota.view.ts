import { DEFAULT_QUOTAS, type QuotaSet, type Usage } from '../quotas.js';

/** A quota set (or class set): limits, or with usage `{limit, in_use, reserved, allocated}`. */
export function quotaView(id: string | undefined, limits: QuotaSet, usage?: Usage) {
  const used: Record<string, number> = {
    volumes: usage?.volumes ?? 0,
    snapshots: usage?.snapshots ?? 0,
    gigabytes: usage?.gigabytes ?? 0,
  };
  const set: Record<string, unknown> = id === undefined ? {} : { id };
  for (const key of Object.keys(DEFAULT_QUOTAS) as Array<keyof QuotaSet>) {
    set[key] = usage
      ? { limit: limits[key], in_use: used[key] ?? 0, reserved: 0, allocated: 0 }
      : limits[key];
  }
  // Per-type quotas of the one default type, unlimited as in Cinder.
  for (const key of ['volumes', 'snapshots', 'gigabytes']) {
    set[`${key}___DEFAULT__`] = usage
      ? { limit: -1, in_use: used[key] ?? 0, reserved: 0, allocated: 0 }
      : -1;
  }
  return set;
}

/** GET /limits: Cinder's absolute limits (no rate limits). */
export function limitsView(limits: QuotaSet, used: Usage) {
  return {
    limits: {
      rate: [],
      absolute: {
        totalSnapshotsUsed: used.snapshots,
        maxTotalBackups: limits.backups,
        maxTotalVolumeGigabytes: limits.gigabytes,
        maxTotalSnapshots: limits.snapshots,
        maxTotalBackupGigabytes: limits.backup_gigabytes,
        totalBackupGigabytesUsed: 0,
        maxTotalVolumes: limits.volumes,
        totalVolumesUsed: used.volumes,
        totalBackupsUsed: 0,
        totalGigabytesUsed: used.gigabytes,
      },
    },
  };
}
