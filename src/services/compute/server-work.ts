import type { ImageFileStore } from '../../blocks/image-files.js';
import type { LayerStore } from '../../blocks/layers.js';
import type {
  ComputeDriver,
  DirectBoot,
  GuestAddress,
  GuestDisk,
  GuestSpec,
} from '../../compute/index.js';
import { PowerState } from '../../compute/index.js';
import { isoNow } from '../../util.js';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import type { TaskRunner } from '../../tasks/runner.js';
import type { ImageService } from '../image/service.js';
import type { NetworkService } from '../network/service.js';
import type { VolumeService } from '../volume/service.js';
import type { Server } from './server-model.js';
import type { ServerRows } from './server-rows.js';

/** The one compute host: its name and size, and the zone its servers are in. */
export interface ComputeHost {
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  availabilityZone: string;
}

/** What the server tasks work with; every other service through its domain interface. */
export interface ServerWorkDeps {
  db: Db;
  rows: ServerRows;
  driver: ComputeDriver;
  layers: LayerStore;
  imageFiles: ImageFileStore;
  images: ImageService;
  volumes: VolumeService;
  network: NetworkService;
  tasks: TaskRunner;
  host: ComputeHost;
  /** Layers no row references any more go (and what only they kept). */
  releaseLayers(ids: (string | null)[]): Promise<void>;
  /** Scratch space on the data directory's file system. */
  tmpDir: string;
}

/** Everything a hypervisor needs to (re)start the guest, from its rows. */
export async function guestSpec(
  d: ServerWorkDeps,
  ctx: RequestContext,
  server: Server,
): Promise<GuestSpec> {
  const disks: GuestDisk[] = [];
  if (server.row.root_layer)
    disks.push({
      device: server.row.root_device_name,
      path: d.layers.pathOf(server.row.root_layer),
      readonly: false,
    });
  for (const b of server.bdms) {
    if (b.destination_type !== 'volume' || !b.volume_id || !b.attachment_id) continue;
    const head = await d.volumes.volumeHead(ctx, b.volume_id).catch(() => null);
    if (head === null) continue;
    const device = b.device_name ?? (b.boot_index === 0 ? server.row.root_device_name : '/dev/vdb');
    disks.push({ device, path: d.layers.pathOf(head), readonly: false });
  }
  disks.sort(
    (a, b) =>
      Number(b.device === server.row.root_device_name) -
      Number(a.device === server.row.root_device_name),
  );
  return {
    id: server.row.id,
    name: server.row.name,
    vcpus: server.flavor.vcpus,
    ramMb: server.flavor.ram,
    disks,
    nics: await Promise.all(
      server.interfaces
        .filter((i) => i.info !== undefined)
        .map(async (i) => ({
          mac: i.info!.mac_address,
          addresses: i.info!.fixed_ips.map((f) => f.ip_address),
          subnets: await subnetsOf(d, ctx, i.info!.fixed_ips),
          floatingIps: [...i.info!.floating_ips],
        })),
    ),
    userData: server.row.user_data,
    keyName: server.row.key_name,
    keyData: server.row.key_data,
    metadata: { ...server.metadata },
    hostname: server.row.hostname,
    projectId: server.row.project_id,
    directBoot: server.row.image_id ? await directBootOf(d, ctx, server.row.image_id) : null,
  };
}

/** Each fixed IP with its subnet's CIDR and gateway, read through Neutron's domain interface. */
async function subnetsOf(
  d: ServerWorkDeps,
  ctx: RequestContext,
  ips: { subnet_id: string; ip_address: string }[],
): Promise<GuestAddress[]> {
  const out: GuestAddress[] = [];
  for (const ip of ips) {
    const subnet = await d.network.subnets.row(ctx, ip.subnet_id).catch(() => null);
    if (subnet) out.push({ address: ip.ip_address, cidr: subnet.cidr, gateway: subnet.gateway_ip });
  }
  return out;
}

/**
 * Nova's AMI-style boot: an image whose `kernel_id` (and `ramdisk_id`) name other images boots
 * with those files as kernel and initrd. Read through Glance's service; an image that cannot be
 * read (deleted since) boots its disk.
 */
async function directBootOf(
  d: ServerWorkDeps,
  ctx: RequestContext,
  imageId: string,
): Promise<DirectBoot | null> {
  const image = await d.images.get(ctx, imageId).catch(() => null);
  const props = image?.properties;
  if (!props || !Object.hasOwn(props, 'kernel_id')) return null;
  const fileOf = async (id: string | undefined): Promise<string | null> => {
    if (!id) return null;
    const img = await d.images.get(ctx, id).catch(() => null);
    return img?.row.file_id ? d.imageFiles.pathOf(img.row.file_id) : null;
  };
  const kernel = await fileOf(props.kernel_id);
  if (!kernel) return null;
  return {
    kernel,
    ramdisk: Object.hasOwn(props, 'ramdisk_id') ? await fileOf(props.ramdisk_id) : null,
    cmdline: Object.hasOwn(props, 'os_command_line') ? (props.os_command_line ?? null) : null,
  };
}

/** The server with its relations, or undefined once it is gone. */
export async function loadServer(d: ServerWorkDeps, id: string): Promise<Server | undefined> {
  const row = await d.rows.find(id);
  return row ? d.rows.loadOne(row) : undefined;
}

/**
 * Nova's power-state sync for a guest that powered itself off: an ACTIVE server with no task
 * goes to SHUTOFF (`_sync_instance_power_state` stops it). Conditional, so a stop, reboot or
 * delete in flight (task_state set), or a server already stopped, is left as it is.
 */
export async function guestPoweredOff(db: Db, id: string): Promise<boolean> {
  const res = await db
    .updateTable('servers')
    .set({ vm_state: 'stopped', power_state: PowerState.SHUTDOWN, updated_at: isoNow() })
    .where('id', '=', id)
    .where('vm_state', '=', 'active')
    .where('task_state', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** A fault as Nova records it on a server that went to ERROR. */
export function faultOf(code: number, message: string, details: string): string {
  return JSON.stringify({ code, message, details, created: new Date().toISOString() });
}

export type ServerRowFields = Partial<ServerRow>;
