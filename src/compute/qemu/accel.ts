import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitForConsoleLine } from './console-log.js';
import type { GuestImage } from './guest-image.js';
import type { Accelerator } from './qemu-args.js';
import { QemuProcess } from './qemu-process.js';

/** How long a KVM guest gets to print its first console line before KVM is given up. */
const KVM_PROBE_MS = 8000;

export interface AcceleratorChoice {
  accel: Accelerator;
  /** Why: what the probe saw, for the log and the design note's figures. */
  reason: string;
  probeMs: number;
}

let cached: Promise<AcceleratorChoice> | null = null;

/**
 * KVM when a guest really boots under it, TCG otherwise. Opening /dev/kvm is not enough: on
 * some hosts (nested, or a broken KVM) the device opens and a guest then hangs without printing
 * a line. So the image's kernel is booted under KVM and must print its first console line
 * within a few seconds. The answer is kept for the process: the probe costs a boot.
 * POCKETSTACK_QEMU_ACCEL=kvm|tcg skips the probe.
 */
export function probeAccelerator(image: GuestImage): Promise<AcceleratorChoice> {
  cached ??= probe(image);
  return cached;
}

async function probe(image: GuestImage): Promise<AcceleratorChoice> {
  const forced = process.env.POCKETSTACK_QEMU_ACCEL;
  if (forced === 'kvm' || forced === 'tcg') {
    return { accel: forced, reason: 'POCKETSTACK_QEMU_ACCEL', probeMs: 0 };
  }
  const started = Date.now();
  const tcg = (reason: string): AcceleratorChoice => ({
    accel: 'tcg',
    reason,
    probeMs: Date.now() - started,
  });
  try {
    fs.accessSync('/dev/kvm', fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    return tcg('/dev/kvm cannot be opened');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-kvm-probe-'));
  const consoleLog = path.join(dir, 'console.log');
  let proc: QemuProcess | null = null;
  try {
    proc = await QemuProcess.start(
      {
        name: 'kvm-probe',
        accel: 'kvm',
        memoryMb: 128,
        vcpus: 1,
        directBoot: { kernel: image.kernel, initrd: image.initrd, cmdline: 'console=ttyS0' },
        disks: [],
        configDrive: null,
        nics: [],
        consoleLog,
        qmpSocket: path.join(dir, 'qmp.sock'),
        pidFile: path.join(dir, 'qemu.pid'),
      },
      KVM_PROBE_MS,
    );
    const line = await waitForConsoleLine(consoleLog, null, KVM_PROBE_MS, proc.exited);
    if (line === null) return tcg(`no console line under KVM within ${KVM_PROBE_MS} ms`);
    return { accel: 'kvm', reason: 'a guest printed under KVM', probeMs: Date.now() - started };
  } catch (err) {
    return tcg(`KVM did not start: ${(err as Error).message}`);
  } finally {
    await proc?.stop(1000);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
