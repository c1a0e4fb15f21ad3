import { createHash } from 'node:crypto';
import path from 'node:path';
import type { GuestSpec } from '../driver.js';
import type { ConfigDriveData } from './config-drive.js';
import { GUEST_CMDLINE } from './guest-image.js';
import type { Accelerator, LaunchNic, PortForward, QemuLaunch } from './qemu-args.js';
import { DEFAULT_USER_NET, userNetFor } from './user-net.js';

/** A unix socket's path must fit sun_path; the run folder is kept short enough for it. */
const MAX_SOCKET_PATH = 107;

/**
 * Where one guest's files live: `<data>/run/<id>/` (config drive, console log, QMP socket,
 * pidfile), or a folder under /tmp named by the data directory's hash when that path would be
 * too long for the QMP socket.
 */
export function guestRunDir(dataDir: string, id: string): string {
  const dir = path.join(dataDir, 'run', id);
  if (Buffer.byteLength(path.join(dir, 'qmp.sock')) <= MAX_SOCKET_PATH) return dir;
  const tag = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  return path.join('/tmp', `pocketstack-run-${tag}`, id);
}

/** `/dev/vdb` -> `vdb`: the QEMU device id a disk is known by to QMP. */
export function deviceId(device: string): string {
  return device.replace(/^\/dev\//, '');
}

/** What the config drive says about the guest (Nova's InstanceMetadata, the parts served). */
export function configDriveData(spec: GuestSpec): ConfigDriveData {
  const keys: Record<string, string> = {};
  if (spec.keyData) keys[spec.keyName ?? 'key'] = spec.keyData;
  return {
    uuid: spec.id,
    name: spec.name,
    hostname: spec.hostname,
    publicKeys: keys,
    meta: spec.metadata,
    userData: spec.userData ? Buffer.from(spec.userData, 'base64') : null,
    projectId: spec.projectId,
  };
}

/**
 * One NIC's user network: the first fixed IP whose subnet lets QEMU give exactly it, else QEMU's
 * default network (the guest then has another address than the API shows).
 */
export function nicNet(spec: GuestSpec['nics'][number]): LaunchNic['net'] {
  for (const s of spec.subnets) {
    const prefix = Number(s.cidr.split('/')[1]);
    const net = userNetFor(s.address, prefix, s.gateway);
    if (net.exact) return net;
  }
  return DEFAULT_USER_NET;
}

/** Port 22 of the guest from each floating IP of the NIC (bindable: they lie in 127.0.0.0/8). */
export function floatingForwards(nic: GuestSpec['nics'][number]): PortForward[] {
  return nic.floatingIps.map((ip) => ({ hostAddress: ip, hostPort: 22, guestPort: 22 }));
}

/**
 * The QEMU launch of a guest from its spec; the first NIC carries the forwards given, and each
 * NIC port 22 from its floating IPs when `floating` is set.
 */
export function guestLaunch(
  spec: GuestSpec,
  o: {
    dir: string;
    accel: Accelerator;
    configDrive: string;
    forwards: PortForward[];
    floating: boolean;
  },
): QemuLaunch {
  const boot = spec.directBoot;
  return {
    name: spec.id,
    accel: o.accel,
    memoryMb: spec.ramMb,
    vcpus: spec.vcpus,
    directBoot:
      boot && boot.ramdisk
        ? { kernel: boot.kernel, initrd: boot.ramdisk, cmdline: boot.cmdline ?? GUEST_CMDLINE }
        : null,
    disks: spec.disks.map((d) => ({ id: deviceId(d.device), path: d.path, readonly: d.readonly })),
    configDrive: o.configDrive,
    nics: spec.nics.map((n, i) => ({
      mac: n.mac,
      net: nicNet(n),
      forwards: [...(i === 0 ? o.forwards : []), ...(o.floating ? floatingForwards(n) : [])],
    })),
    consoleLog: path.join(o.dir, 'console.log'),
    qmpSocket: path.join(o.dir, 'qmp.sock'),
    pidFile: path.join(o.dir, 'qemu.pid'),
  };
}
