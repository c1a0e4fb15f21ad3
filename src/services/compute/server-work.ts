import type { ImageFileStore } from '../../blocks/image-files.js';
import type { LayerStore } from '../../blocks/layers.js';
import type { ComputeDriver, GuestDisk, GuestSpec } from '../../compute/index.js';
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
    nics: server.interfaces
      .filter((i) => i.info !== undefined)
      .map((i) => ({
        mac: i.info!.mac_address,
        addresses: i.info!.fixed_ips.map((f) => f.ip_address),
      })),
    userData: server.row.user_data,
    keyData: server.row.key_data,
    metadata: { ...server.metadata },
  };
}

/** The server with its relations, or undefined once it is gone. */
export async function loadServer(d: ServerWorkDeps, id: string): Promise<Server | undefined> {
  const row = await d.rows.find(id);
  return row ? d.rows.loadOne(row) : undefined;
}

/** A fault as Nova records it on a server that went to ERROR. */
export function faultOf(code: number, message: string, details: string): string {
  return JSON.stringify({ code, message, details, created: new Date().toISOString() });
}

export type ServerRowFields = Partial<ServerRow>;
