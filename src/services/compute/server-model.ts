import type {
  BlockDeviceMappingRow,
  ServerInterfaceRow,
  ServerRow,
} from '../../store/compute-schema.js';
import type { InterfaceInfo } from '../network/compute-ports.js';

/** The flavor as it was when the server was built: Nova keeps it with the instance. */
export interface EmbeddedFlavor {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  ephemeral: number;
  swap: number;
  rxtx_factor: number;
  description: string | null;
  extra_specs: Record<string, string>;
}

/** The base image as it was when the server was built (Nova's system_metadata `image_*`). */
export interface ImageMeta {
  id: string;
  name: string | null;
  min_ram: number;
  min_disk: number;
  disk_format: string | null;
  container_format: string | null;
  size: number | null;
  properties: Record<string, string>;
}

export interface ServerFault {
  code: number;
  message: string;
  details: string;
  created: string;
}

export interface Server {
  row: ServerRow;
  flavor: EmbeddedFlavor;
  image: ImageMeta | null;
  fault: ServerFault | null;
  systemMetadata: Record<string, string>;
  metadata: Record<string, string>;
  tags: string[];
  bdms: BlockDeviceMappingRow[];
  /** In attach order, each with what Neutron says of its port now (undefined if gone). */
  interfaces: Array<ServerInterfaceRow & { info: InterfaceInfo | undefined }>;
}

/**
 * The columns the server views read (and those the list loader parses: flavor, fault). A list
 * page loads only these, as Nova's list loads a few of an instance's attributes: the image and
 * system metadata, key data and root layer are left in the table.
 */
export const SHOWN_COLUMNS = [
  'id',
  'project_id',
  'user_id',
  'name',
  'description',
  'hostname',
  'vm_state',
  'task_state',
  'power_state',
  'flavor_id',
  'flavor',
  'image_id',
  'key_name',
  'user_data',
  'config_drive',
  'availability_zone',
  'access_ip_v4',
  'access_ip_v6',
  'host',
  'locked',
  'locked_reason',
  'progress',
  'fault',
  'reservation_id',
  'launch_index',
  'root_device_name',
  'launched_at',
  'terminated_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof ServerRow)[];

/** What the BDM part of a view reads: the volumes attached. */
export type ShownBdm = Pick<
  BlockDeviceMappingRow,
  'destination_type' | 'volume_id' | 'attachment_id' | 'delete_on_termination'
>;

/** What the server views read; a `Server` is one, and so is a list page's entry. */
export interface ShownServer {
  row: Pick<ServerRow, (typeof SHOWN_COLUMNS)[number]>;
  flavor: EmbeddedFlavor;
  fault: ServerFault | null;
  metadata: Record<string, string>;
  tags: string[];
  /** At least the volumes attached (all a list page loads). */
  bdms: ShownBdm[];
  /** In attach order, with what Neutron says of each port now. */
  interfaces: Array<{ info: InterfaceInfo | undefined }>;
}

/** One network a create asks for (`networks: [...]`), after the schema. */
export interface NetworkRequest {
  uuid?: string;
  port?: string;
  fixedIp?: string;
  tag?: string;
}

/** One block device mapping, in the v2 form (legacy ones are converted by the route). */
export interface BdmRequest {
  sourceType: 'blank' | 'image' | 'snapshot' | 'volume';
  destinationType: 'local' | 'volume';
  uuid: string | null;
  bootIndex: number | null;
  volumeSize: number | null;
  deleteOnTermination: boolean;
  deviceName: string | null;
  deviceType: string | null;
  diskBus: string | null;
  guestFormat: string | null;
  volumeType: string | null;
  tag: string | null;
}

/** POST /servers once its body passed the schema of its microversion. */
export interface NewServer {
  name: string;
  flavorRef: string;
  /** '' or absent: boot from a volume (the root block device mapping says which). */
  imageRef: string;
  /** undefined: before 2.37, where omitting networks means "whatever is available". */
  networks: 'auto' | 'none' | NetworkRequest[] | undefined;
  keyName: string | null;
  securityGroups: string[];
  userData: string | null;
  metadata: Record<string, string>;
  availabilityZone: string | null;
  configDrive: boolean;
  adminPass: string | null;
  /** undefined before 2.19 (Nova then keeps the name as the description). */
  description: string | null | undefined;
  tags: string[];
  minCount: number;
  maxCount: number;
  bdms: BdmRequest[];
  accessIPv4: string | null;
  accessIPv6: string | null;
  hostname: string | null;
  /** `os:scheduler_hints.group`: a server group to join. */
  group: string | null;
  returnReservationId: boolean;
}

/** What a create answers. */
export interface CreatedServers {
  servers: Server[];
  adminPass: string;
  reservationId: string;
  /** The security group names the request named (Nova's create view shows these). */
  securityGroups: string[];
}

export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
