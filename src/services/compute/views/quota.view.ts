import { versionBelow, type Microversion } from '../../../http/microversion.js';
import { QUOTA_RESOURCES, type QuotaResource } from '../quotas.js';

export const NETWORK_QUOTAS: QuotaResource[] = [
  'floating_ips',
  'fixed_ips',
  'security_groups',
  'security_group_rules',
];
export const INJECTED_QUOTAS: QuotaResource[] = [
  'injected_files',
  'injected_file_content_bytes',
  'injected_file_path_bytes',
];
const SERVER_GROUPS: QuotaResource[] = ['server_groups', 'server_group_members'];

/** The resources os-quota-sets shows: 2.36 drops the network ones, 2.57 the injected files. */
export function quotaSetResources(mv: Microversion): QuotaResource[] {
  return QUOTA_RESOURCES.filter(
    (r) =>
      !(NETWORK_QUOTAS.includes(r) && !versionBelow(mv, [2, 36])) &&
      !(INJECTED_QUOTAS.includes(r) && !versionBelow(mv, [2, 57])),
  );
}

/**
 * The resources os-quota-class-sets shows: the v2.1 port forgot the server group quotas there,
 * and 2.50 put them back while dropping the network ones (nova-specs fix-quota-classes-api).
 */
export function quotaClassResources(mv: Microversion): QuotaResource[] {
  const before250 = versionBelow(mv, [2, 50]);
  return QUOTA_RESOURCES.filter(
    (r) =>
      !(SERVER_GROUPS.includes(r) && before250) &&
      !(NETWORK_QUOTAS.includes(r) && !before250) &&
      !(INJECTED_QUOTAS.includes(r) && !versionBelow(mv, [2, 57])),
  );
}

function pick<T>(values: Record<QuotaResource, T>, resources: QuotaResource[]): Record<string, T> {
  return Object.fromEntries(resources.map((r) => [r, values[r]]));
}

/** A quota set (limits, or limit/in_use/reserved details); `id` is left out of an update's answer. */
export function quotaSetView<T>(
  id: string | undefined,
  values: Record<QuotaResource, T>,
  mv: Microversion,
): unknown {
  const fields = pick(values, quotaSetResources(mv));
  return { quota_set: id === undefined ? fields : { id, ...fields } };
}

export function quotaClassSetView(
  id: string | undefined,
  values: Record<QuotaResource, number>,
  mv: Microversion,
): unknown {
  const fields = pick(values, quotaClassResources(mv));
  return { quota_class_set: id === undefined ? fields : { id, ...fields } };
}
