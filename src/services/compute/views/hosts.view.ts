import { versionBelow, type Microversion } from '../../../http/microversion.js';
import { isoCinder } from '../../../util.js';
import type { HypervisorInfo, ServiceInfo } from '../hosts.js';

/** os-services item: uuid ids from 2.53, forced_down from 2.11. */
export function serviceView(s: ServiceInfo, mv: Microversion): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: versionBelow(mv, [2, 53]) ? s.id : s.uuid,
    binary: s.binary,
    disabled_reason: null,
    host: s.host,
    state: 'up',
    status: 'enabled',
    updated_at: isoCinder(s.updatedAt),
    zone: s.zone,
  };
  if (!versionBelow(mv, [2, 11])) view.forced_down = false;
  return view;
}

/** The CPU description Nova's fake driver reports. */
const CPU_INFO = { arch: 'x86_64', model: 'Nehalem', vendor: 'Intel', features: [], topology: {} };

/**
 * A hypervisor (nova/api/openstack/compute/hypervisors.py _view_hypervisor): the summary, and
 * with `detail` the host's sizes (up to 2.87) or uptime (from 2.88).
 */
export function hypervisorView(
  h: HypervisorInfo,
  mv: Microversion,
  opts: { detail: boolean; servers?: boolean },
): Record<string, unknown> {
  const uuids = !versionBelow(mv, [2, 53]);
  const view: Record<string, unknown> = {
    id: uuids ? h.uuid : h.id,
    hypervisor_hostname: h.hostname,
    state: 'up',
    status: 'enabled',
  };
  if (opts.detail) {
    view.hypervisor_type = 'fake';
    view.hypervisor_version = 1000;
    view.host_ip = '127.0.0.1';
    view.service = {
      id: uuids ? h.service.uuid : h.service.id,
      host: h.host,
      disabled_reason: null,
    };
    if (versionBelow(mv, [2, 88])) {
      Object.assign(view, {
        vcpus: h.vcpus,
        memory_mb: h.memoryMb,
        local_gb: h.localGb,
        vcpus_used: h.vcpusUsed,
        memory_mb_used: h.memoryMbUsed,
        local_gb_used: h.localGbUsed,
        free_ram_mb: h.memoryMb - h.memoryMbUsed,
        free_disk_gb: h.localGb - h.localGbUsed,
        current_workload: 0,
        running_vms: h.runningVms,
        disk_available_least: h.localGb - h.localGbUsed,
        cpu_info: versionBelow(mv, [2, 28]) ? JSON.stringify(CPU_INFO) : CPU_INFO,
      });
    } else {
      view.uptime = null;
    }
  }
  if (opts.servers && h.servers.length > 0) view.servers = h.servers.map((s) => ({ ...s }));
  else if (opts.servers && !versionBelow(mv, [2, 75])) view.servers = [];
  return view;
}

/** GET /os-hypervisors/statistics (up to 2.87): sums over the one hypervisor. */
export function hypervisorStatisticsView(h: HypervisorInfo): Record<string, number> {
  return {
    count: 1,
    vcpus: h.vcpus,
    memory_mb: h.memoryMb,
    local_gb: h.localGb,
    vcpus_used: h.vcpusUsed,
    memory_mb_used: h.memoryMbUsed,
    local_gb_used: h.localGbUsed,
    free_ram_mb: h.memoryMb - h.memoryMbUsed,
    free_disk_gb: h.localGb - h.localGbUsed,
    current_workload: 0,
    running_vms: h.runningVms,
    disk_available_least: h.localGb - h.localGbUsed,
  };
}
