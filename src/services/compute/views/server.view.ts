import { createHash } from 'node:crypto';
import { versionBelow, type Microversion } from '../../../http/microversion.js';
import { isoCinder, isoSeconds } from '../../../util.js';
import type { ShownServer } from '../server-model.js';
import { statusOf } from '../states.js';

/** Who is looking: admins see the OS-EXT-SRV-ATTR fields and fault details. */
export interface ViewerInfo {
  isAdmin: boolean;
  base: string;
}

const link = (base: string, kind: string, id: string) => [
  { rel: 'self', href: `${base}/compute/v2.1/${kind}/${id}` },
  { rel: 'bookmark', href: `${base}/compute/${kind}/${id}` },
];

/** Statuses whose servers show `progress` (nova/api/openstack/compute/views/servers.py). */
const PROGRESS_STATUSES = new Set([
  'ACTIVE',
  'BUILD',
  'REBUILD',
  'RESIZE',
  'VERIFY_RESIZE',
  'MIGRATING',
]);

/** Addresses by network name: each port's fixed addresses, then its floating ones. */
export function addressesOf(s: ShownServer, full = true): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = Object.create(null) as Record<string, unknown[]>;
  if (s.row.vm_state === 'building') return out;
  for (const i of s.interfaces) {
    if (!i.info) continue;
    const list = (out[i.info.network_name] ??= []);
    const entry = (addr: string, type: 'fixed' | 'floating') =>
      full
        ? {
            version: addr.includes(':') ? 6 : 4,
            addr,
            'OS-EXT-IPS:type': type,
            'OS-EXT-IPS-MAC:mac_addr': i.info!.mac_address,
          }
        : { version: addr.includes(':') ? 6 : 4, addr };
    for (const f of i.info.fixed_ips) list.push(entry(f.ip_address, 'fixed'));
    for (const f of i.info.floating_ips) list.push(entry(f, 'floating'));
  }
  return out;
}

/** Host ids by `project_id + host`: few pairs, asked for by every server of every list page. */
const hostIds = new Map<string, string>();

/** `sha224(project_id + host)`, as Nova hides the host from users; "" while unscheduled. */
function hostIdOf(s: ShownServer): string {
  if (!s.row.host) return '';
  const key = s.row.project_id + s.row.host;
  let id = hostIds.get(key);
  if (id === undefined) {
    if (hostIds.size >= 10_000) hostIds.clear();
    id = createHash('sha224').update(key).digest('hex');
    hostIds.set(key, id);
  }
  return id;
}

function flavorOf(s: ShownServer, mv: Microversion, v: ViewerInfo): unknown {
  if (versionBelow(mv, [2, 47]))
    return { id: s.flavor.id, links: [link(v.base, 'flavors', s.flavor.id)[1]] };
  const f: Record<string, unknown> = {
    vcpus: s.flavor.vcpus,
    ram: s.flavor.ram,
    disk: s.flavor.disk,
    ephemeral: s.flavor.ephemeral,
    swap: s.flavor.swap,
    original_name: s.flavor.name,
  };
  if (v.isAdmin) f.extra_specs = s.flavor.extra_specs;
  return f;
}

function imageOf(s: ShownServer, v: ViewerInfo): unknown {
  if (s.row.image_id === '') return '';
  return { id: s.row.image_id, links: [link(v.base, 'images', s.row.image_id)[1]] };
}

/** GET /servers: id, name, links. */
export function serverSummaryView(s: ShownServer, v: ViewerInfo): Record<string, unknown> {
  return { id: s.row.id, name: s.row.name, links: link(v.base, 'servers', s.row.id) };
}

/**
 * The basic view (update and rebuild answers before 2.75): what show has, less the extension
 * fields, with bare addresses.
 */
export function serverBasicView(
  s: ShownServer,
  mv: Microversion,
  v: ViewerInfo,
): Record<string, unknown> {
  const r = s.row;
  const status = statusOf(r.vm_state, r.task_state);
  const view: Record<string, unknown> = {
    id: r.id,
    name: r.name,
    status,
    tenant_id: r.project_id,
    user_id: r.user_id,
    metadata: { ...s.metadata },
    hostId: hostIdOf(s),
    image: imageOf(s, v),
    flavor: flavorOf(s, mv, v),
    created: isoSeconds(r.created_at),
    updated: isoSeconds(r.updated_at),
    addresses: addressesOf(s, false),
    accessIPv4: r.access_ip_v4,
    accessIPv6: r.access_ip_v6,
    links: link(v.base, 'servers', r.id),
    'OS-DCF:diskConfig': 'MANUAL',
  };
  if (PROGRESS_STATUSES.has(status)) view.progress = r.progress;
  if (s.fault && (status === 'ERROR' || status === 'DELETED')) {
    const fault: Record<string, unknown> = {
      code: s.fault.code,
      created: isoSeconds(s.fault.created),
      message: s.fault.message,
    };
    if (s.fault.details && (v.isAdmin || s.fault.code !== 500)) fault.details = s.fault.details;
    view.fault = fault;
  }
  if (!versionBelow(mv, [2, 9])) view.locked = r.locked === 1;
  if (!versionBelow(mv, [2, 19])) view.description = r.description;
  if (!versionBelow(mv, [2, 26])) view.tags = [...s.tags];
  if (!versionBelow(mv, [2, 63])) view.trusted_image_certificates = null;
  if (!versionBelow(mv, [2, 73])) view.locked_reason = r.locked_reason;
  return view;
}

/** GET /servers/{id} and /servers/detail: the basic view plus Nova's extension fields. */
export function serverView(
  s: ShownServer,
  mv: Microversion,
  v: ViewerInfo,
  opts: { groups?: string[] } = {},
): Record<string, unknown> {
  const r = s.row;
  const view = serverBasicView(s, mv, v);
  view.addresses = addressesOf(s);
  view['OS-EXT-AZ:availability_zone'] = r.availability_zone;
  view.config_drive = r.config_drive;
  view.key_name = r.key_name;
  view['OS-SRV-USG:launched_at'] = r.launched_at === null ? null : isoCinder(r.launched_at);
  view['OS-SRV-USG:terminated_at'] = r.terminated_at === null ? null : isoCinder(r.terminated_at);
  const groups = s.interfaces.flatMap(
    (i) => i.info?.security_groups.map((g) => ({ name: g.name })) ?? [],
  );
  if (groups.length > 0) view.security_groups = groups;
  view['OS-EXT-STS:task_state'] = r.task_state;
  view['OS-EXT-STS:vm_state'] = r.vm_state;
  view['OS-EXT-STS:power_state'] = r.power_state;
  view['os-extended-volumes:volumes_attached'] = s.bdms
    .filter(
      (b) => b.destination_type === 'volume' && b.volume_id !== null && b.attachment_id !== null,
    )
    .map((b) =>
      versionBelow(mv, [2, 3])
        ? { id: b.volume_id }
        : { id: b.volume_id, delete_on_termination: b.delete_on_termination === 1 },
    );
  if (v.isAdmin) {
    view['OS-EXT-SRV-ATTR:host'] = r.host;
    view['OS-EXT-SRV-ATTR:instance_name'] = `instance-${r.id.slice(0, 8)}`;
    view['OS-EXT-SRV-ATTR:hypervisor_hostname'] = r.host;
    if (!versionBelow(mv, [2, 3])) {
      view['OS-EXT-SRV-ATTR:reservation_id'] = r.reservation_id;
      view['OS-EXT-SRV-ATTR:launch_index'] = r.launch_index;
      view['OS-EXT-SRV-ATTR:hostname'] = r.hostname;
      view['OS-EXT-SRV-ATTR:kernel_id'] = '';
      view['OS-EXT-SRV-ATTR:ramdisk_id'] = '';
      view['OS-EXT-SRV-ATTR:root_device_name'] = r.root_device_name;
      view['OS-EXT-SRV-ATTR:user_data'] = r.user_data;
    }
  } else if (!versionBelow(mv, [2, 90])) {
    view['OS-EXT-SRV-ATTR:hostname'] = r.hostname;
  }
  if (!versionBelow(mv, [2, 16]) && v.isAdmin) view.host_status = r.host ? 'UP' : '';
  if (!versionBelow(mv, [2, 71]) && opts.groups !== undefined) view.server_groups = opts.groups;
  return view;
}
