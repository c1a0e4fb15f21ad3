/**
 * The hypervisor behind Nova's servers, chosen in one place (`createDriver`). The `fake` driver
 * runs no guest, but the disks it is given are real layer-store files, so every snapshot carries
 * real bytes; the `qemu` driver (a later issue) boots real guests on the same disks. Methods are
 * called by the server tasks, one at a time per server (the task line `server:<id>`), never
 * concurrently for one guest.
 */

/** Nova's power states (nova/compute/power_state.py). */
export const PowerState = {
  NOSTATE: 0,
  RUNNING: 1,
  PAUSED: 3,
  SHUTDOWN: 4,
  CRASHED: 6,
  SUSPENDED: 7,
} as const;
export type PowerStateValue = (typeof PowerState)[keyof typeof PowerState];

/** A disk a guest sees: the path of a writable qcow2 head (a layer, or a volume's head). */
export interface GuestDisk {
  /** Guest device name, e.g. `/dev/vda`. */
  device: string;
  path: string;
  readonly: boolean;
}

/** One fixed IP of a NIC with the subnet it is in, so a hypervisor can hand out that address. */
export interface GuestAddress {
  address: string;
  /** The subnet's CIDR, e.g. `10.0.0.0/26`. */
  cidr: string;
  gateway: string | null;
}

export interface GuestNic {
  mac: string;
  addresses: string[];
  /** The fixed IPs with their subnets (those whose subnet could be read). */
  subnets: GuestAddress[];
  /** Floating IPs associated with the port when the guest starts. */
  floatingIps: string[];
}

/** Nova's AMI-style boot: the image's kernel_id and ramdisk_id, as files of the image store. */
export interface DirectBoot {
  kernel: string;
  ramdisk: string | null;
  /** The image's `os_command_line`, when it has one. */
  cmdline: string | null;
}

/** What a guest is made of; enough for a hypervisor to (re)start it from nothing. */
export interface GuestSpec {
  id: string;
  name: string;
  vcpus: number;
  ramMb: number;
  /** The root disk first. */
  disks: GuestDisk[];
  nics: GuestNic[];
  /** Base64, as the API took it; for a config drive. */
  userData: string | null;
  keyName: string | null;
  keyData: string | null;
  metadata: Record<string, string>;
  hostname: string;
  projectId: string;
  /** Set when the image names a kernel (and ramdisk) to boot with; null boots the disk. */
  directBoot: DirectBoot | null;
}

/** The root disk sealed at one moment, and the head the guest writes to from then on. */
export interface SealedDisk {
  sealedLayer: string;
  newHeadLayer: string;
  /** How long the guest's writes to the disk were held, in milliseconds. */
  frozenMs: number;
}

export interface ComputeDriver {
  readonly name: string;
  /** Boots a guest; resolves once it runs. */
  spawn(spec: GuestSpec): Promise<void>;
  /** Stops and forgets a guest. Idempotent: a guest it does not know is already gone. */
  destroy(id: string): Promise<void>;
  powerOff(id: string): Promise<void>;
  /** The spec again: a guest that is off may have to be started from nothing. */
  powerOn(spec: GuestSpec): Promise<void>;
  reboot(spec: GuestSpec, hard: boolean): Promise<void>;
  pause(id: string): Promise<void>;
  unpause(id: string): Promise<void>;
  suspend(id: string): Promise<void>;
  resume(spec: GuestSpec): Promise<void>;
  /**
   * Seals the root disk at this moment and moves the guest onto a new empty head over it. A
   * running guest keeps running: its writes are held only while the head is swapped (the qemu
   * driver does this through QMP), never for the time a copy of the disk would take.
   */
  sealRootDisk(id: string, headLayer: string): Promise<SealedDisk>;
  /**
   * Boots the guest from a rescue disk (a new head over the rescue image, when one is given),
   * its own root disk attached second; `unrescue` boots it from its own disks again.
   */
  rescue(spec: GuestSpec, rescueDisk: GuestDisk | null): Promise<void>;
  unrescue(spec: GuestSpec): Promise<void>;
  attachVolume(id: string, disk: GuestDisk): Promise<void>;
  detachVolume(id: string, device: string): Promise<void>;
  /** The guest's serial console, the last `lines` lines when given. */
  consoleLog(id: string, lines?: number): Promise<string>;
  /**
   * After a restart: the guests the database says exist, with the power state it recorded. The
   * driver takes them back (the fake one simply believes it) and reports what is really so.
   */
  adopt(spec: GuestSpec, recorded: PowerStateValue): Promise<PowerStateValue>;
}
