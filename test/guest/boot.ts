import path from 'node:path';
import { writeConfigDrive } from '../../src/compute/qemu/config-drive.js';
import type { GuestImage } from '../../src/compute/qemu/guest-image.js';
import type { Accelerator, QemuLaunch } from '../../src/compute/qemu/qemu-args.js';
import { QemuProcess } from '../../src/compute/qemu/qemu-process.js';
import { userNetFor } from '../../src/compute/qemu/user-net.js';

export interface TestGuest {
  proc: QemuProcess;
  launch: QemuLaunch;
  startedAt: bigint;
}

export interface TestGuestOptions {
  image: GuestImage;
  accel: Accelerator;
  /** A folder of this guest's own: its config drive, console log, QMP socket and pidfile. */
  dir: string;
  rootHead: string;
  sshPort: number;
  name: string;
  uuid: string;
  publicKey: string;
  fixedIp: string;
  userData?: string;
}

/** Boots the tiny image as the qemu driver will: AMI-style kernel, config drive, user network. */
export async function bootTestGuest(o: TestGuestOptions): Promise<TestGuest> {
  const configDrive = path.join(o.dir, 'config-drive.iso');
  await writeConfigDrive(
    {
      uuid: o.uuid,
      name: o.name,
      hostname: o.name,
      publicKeys: { 'guest-test': o.publicKey },
      meta: { purpose: 'guest tier' },
      userData: o.userData ? Buffer.from(o.userData) : null,
    },
    configDrive,
  );
  const launch: QemuLaunch = {
    name: o.name,
    accel: o.accel,
    memoryMb: 256,
    vcpus: 1,
    directBoot: { kernel: o.image.kernel, initrd: o.image.initrd, cmdline: o.image.cmdline },
    disks: [{ id: 'vda', path: o.rootHead, readonly: false }],
    configDrive,
    nics: [
      {
        mac: 'fa:16:3e:00:00:01',
        net: userNetFor(o.fixedIp, 24, o.fixedIp.replace(/\.\d+$/, '.1')),
        forwards: [{ hostAddress: '127.0.0.1', hostPort: o.sshPort, guestPort: 22 }],
      },
    ],
    consoleLog: path.join(o.dir, 'console.log'),
    qmpSocket: path.join(o.dir, 'qmp.sock'),
    pidFile: path.join(o.dir, 'qemu.pid'),
  };
  const startedAt = process.hrtime.bigint();
  const proc = await QemuProcess.start(launch);
  return { proc, launch, startedAt };
}

export function msSince(t: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - t) / 1e6);
}
