import type { UserNet } from './user-net.js';

export type Accelerator = 'kvm' | 'tcg';

/** A TCP port forwarded from this machine to the guest (`hostfwd`). */
export interface PortForward {
  hostAddress: string;
  hostPort: number;
  guestPort: number;
}

export interface LaunchDisk {
  /** QEMU device id, also how the disk is named to QMP (e.g. `vda`). */
  id: string;
  /** A qcow2 head. */
  path: string;
  readonly: boolean;
}

export interface LaunchNic {
  mac: string;
  net: UserNet;
  forwards: PortForward[];
}

/** Everything one QEMU process is started with. */
export interface QemuLaunch {
  name: string;
  accel: Accelerator;
  memoryMb: number;
  vcpus: number;
  /** Nova's AMI-style boot (the image's kernel_id and ramdisk_id); null boots the disk by BIOS. */
  directBoot: { kernel: string; initrd: string; cmdline: string } | null;
  /** The root disk first. */
  disks: LaunchDisk[];
  configDrive: string | null;
  nics: LaunchNic[];
  /** Where the serial console (ttyS0) is written: `console log show`. */
  consoleLog: string;
  qmpSocket: string;
  pidFile: string;
}

/** The block node QEMU knows a disk's qcow2 head by, as the QMP block commands name it. */
export function diskNode(id: string): string {
  return `${id}-qcow2`;
}

function netdev(i: number, nic: LaunchNic): string {
  const n = nic.net;
  const parts = [
    `user,id=net${i}`,
    `net=${n.net}`,
    `host=${n.host}`,
    `dns=${n.dns}`,
    `dhcpstart=${n.dhcpStart}`,
    'ipv6=off',
  ];
  for (const f of nic.forwards) {
    parts.push(`hostfwd=tcp:${f.hostAddress}:${f.hostPort}-:${f.guestPort}`);
  }
  return parts.join(',');
}

/**
 * The command line of a guest's QEMU: no display and no default devices, one QMP socket, the
 * serial console to a file, virtio disks as -blockdev nodes (named, so QMP can seal and swap
 * them), the config drive on the IDE CD-ROM as Nova's libvirt driver puts it on x86.
 */
export function qemuArgs(l: QemuLaunch): string[] {
  const args = [
    '-name',
    `guest=${l.name},debug-threads=on`,
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-machine',
    `pc,accel=${l.accel}`,
    ...(l.accel === 'kvm' ? ['-cpu', 'host'] : []),
    '-m',
    String(l.memoryMb),
    '-smp',
    String(l.vcpus),
    // Appended, not truncated: `console log show` keeps what earlier boots printed, as Nova's
    // console.log does across a reboot.
    '-chardev',
    `file,id=serial0,path=${escapeOpt(l.consoleLog)},append=on`,
    '-serial',
    'chardev:serial0',
    '-qmp',
    `unix:${escapeOpt(l.qmpSocket)},server=on,wait=off`,
    '-pidfile',
    l.pidFile,
  ];
  if (l.directBoot) {
    const b = l.directBoot;
    args.push('-kernel', b.kernel, '-initrd', b.initrd, '-append', b.cmdline);
  }
  for (const d of l.disks) {
    const ro = d.readonly ? 'on' : 'off';
    args.push(
      '-blockdev',
      `driver=file,filename=${escapeOpt(d.path)},node-name=${d.id}-file,read-only=${ro}`,
      '-blockdev',
      `driver=qcow2,file=${d.id}-file,node-name=${diskNode(d.id)},read-only=${ro}`,
      '-device',
      `virtio-blk-pci,drive=${diskNode(d.id)},id=${d.id}`,
    );
  }
  if (l.configDrive) {
    args.push(
      '-blockdev',
      `driver=file,filename=${escapeOpt(l.configDrive)},node-name=config-drive,read-only=on`,
      '-device',
      'ide-cd,drive=config-drive,bus=ide.1,id=config-drive-cd',
    );
  }
  l.nics.forEach((nic, i) => {
    args.push('-netdev', netdev(i, nic));
    // romfile= : no iPXE option ROM; a direct-boot guest never network-boots.
    args.push('-device', `virtio-net-pci,netdev=net${i},mac=${nic.mac},romfile=`);
  });
  return args;
}

/** QEMU's option syntax doubles a comma inside a value. */
function escapeOpt(value: string): string {
  return value.replace(/,/g, ',,');
}
