// Boot of the tiny guest image through pocketstack's QEMU runner (qemu-process.ts: setpriv,
// QMP socket, -blockdev nodes, config drive, user network with the fixed IP and an ssh forward)
// against a bare qemu-system-x86_64 command line booting the same kernel, initramfs, disk chain
// and config drive, in the same run, alternating. Measured: spawn to the guest's first console
// line and to its ready line. Goal (issue 11): the runner at most 10% slower than bare. The
// whole run holds flock /tmp/bench.lock. BENCH_ROUNDS (default 5).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probeAccelerator } from '../src/compute/qemu/accel.js';
import { writeConfigDrive, type ConfigDriveData } from '../src/compute/qemu/config-drive.js';
import { waitForConsoleLine } from '../src/compute/qemu/console-log.js';
import { guestImage, type GuestImage } from '../src/compute/qemu/guest-image.js';
import { READY_PREFIX } from '../src/compute/qemu/guest-scripts.js';
import { QEMU } from '../src/compute/qemu/qemu-process.js';
import { SYSTEM_PATH } from '../src/compute/qemu/run.js';
import { bootTestGuest } from '../test/guest/boot.js';
import { benchLock, freePort, guestCacheDir, qcow2Head, sshKey } from '../test/guest/guest-kit.js';
import { envInt, fix, median, loadAverage } from './common.js';

const ROUNDS = envInt('BENCH_ROUNDS', 5);
const READY = new RegExp(`^${READY_PREFIX} `);
const LIMIT_MS = 180_000;

interface Boot {
  firstMs: number;
  readyMs: number;
}

function since(t: bigint): number {
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function timeBoot(log: string, t0: bigint, exited: Promise<unknown>): Promise<Boot> {
  const first = await waitForConsoleLine(log, null, LIMIT_MS, exited);
  const firstMs = since(t0);
  const ready = await waitForConsoleLine(log, READY, LIMIT_MS, exited);
  if (first === null || ready === null) throw new Error(`no boot: ${fs.readFileSync(log, 'utf8')}`);
  return { firstMs, readyMs: since(t0) };
}

function benchDrive(publicKey: string): ConfigDriveData {
  const uuid = '00000000-0000-4000-8000-0000000000b1';
  return {
    uuid,
    name: 'bench',
    hostname: 'bench',
    publicKeys: { k: publicKey },
    meta: {},
    userData: null,
  };
}

async function runnerBoot(image: GuestImage, accel: 'kvm' | 'tcg', dir: string, pub: string) {
  const head = path.join(dir, 'runner.qcow2');
  await qcow2Head(head, image.disk);
  const g = await bootTestGuest({
    image,
    accel,
    dir,
    rootHead: head,
    sshPort: await freePort(),
    name: 'bench',
    uuid: '00000000-0000-4000-8000-0000000000b1',
    publicKey: pub,
    fixedIp: '10.20.0.5',
  });
  try {
    return await timeBoot(g.launch.consoleLog, g.startedAt, g.proc.exited);
  } finally {
    await g.proc.stop(2000);
  }
}

/** The same guest from a plain command line: -drive shorthands, no QMP, no setpriv. */
async function bareBoot(image: GuestImage, accel: string, dir: string, configDrive: string) {
  const head = path.join(dir, 'bare.qcow2');
  await qcow2Head(head, image.disk);
  const log = path.join(dir, 'bare-console.log');
  fs.rmSync(log, { force: true });
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const child = spawn(
    QEMU,
    [
      ...['-nodefaults', '-display', 'none', '-machine', `pc,accel=${accel}`, '-m', '256'],
      ...['-kernel', image.kernel, '-initrd', image.initrd, '-append', image.cmdline],
      ...['-drive', `file=${head},if=virtio,format=qcow2`],
      ...['-drive', `file=${configDrive},if=ide,index=2,media=cdrom,format=raw`],
      ...['-netdev', `user,id=n0,hostfwd=tcp:127.0.0.1:${port}-:22`],
      // No option ROM, as the runner: the comparison is of the runner, not of iPXE's load.
      ...['-device', 'virtio-net-pci,netdev=n0,romfile='],
      ...['-serial', `file:${log}`],
    ],
    { stdio: 'ignore', env: { ...process.env, PATH: SYSTEM_PATH } },
  );
  const exited = new Promise((r) => child.once('exit', r));
  try {
    return await timeBoot(log, t0, exited);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

async function main(): Promise<void> {
  const image = await guestImage(guestCacheDir());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-bench-guest-'));
  const release = await benchLock();
  try {
    const { publicKey } = await sshKey(dir);
    const accel = await probeAccelerator(image);
    console.log(
      `guest-boot: ${image.kernelPackage}, ${ROUNDS} rounds, load ${os.loadavg()[0]?.toFixed(2)}`,
    );
    console.log(`  accelerator ${accel.accel}: ${accel.reason} (probe ${accel.probeMs} ms)`);
    const runner: Boot[] = [];
    const bare: Boot[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const rdir = fs.mkdtempSync(path.join(dir, 'r-'));
      // The config drive is written by the runner's boot; the bare boot uses the same file.
      const cd = path.join(rdir, 'config-drive.iso');
      let r: Boot;
      let b: Boot;
      // Alternating which goes first, so neither always meets a machine the other just warmed.
      if (i % 2 === 0) {
        r = await runnerBoot(image, accel.accel, rdir, publicKey);
        b = await bareBoot(image, accel.accel, rdir, cd);
      } else {
        const warm = fs.mkdtempSync(path.join(dir, 'w-'));
        await writeConfigDrive(benchDrive(publicKey), cd);
        b = await bareBoot(image, accel.accel, warm, cd);
        r = await runnerBoot(image, accel.accel, rdir, publicKey);
      }
      runner.push(r);
      bare.push(b);
      console.log(
        `  round ${i + 1}: runner first ${fix(r.firstMs, 0)} ms ready ${fix(r.readyMs, 0)} ms; ` +
          `bare first ${fix(b.firstMs, 0)} ms ready ${fix(b.readyMs, 0)} ms`,
      );
    }
    for (const k of ['firstMs', 'readyMs'] as const) {
      const r = median(runner.map((x) => x[k]));
      const b = median(bare.map((x) => x[k]));
      const ok = r <= 1.1 * b;
      const what = k === 'firstMs' ? 'to first console line' : 'to ready line';
      console.log(
        `  ${what.padEnd(24)} runner ${fix(r, 0).padStart(6)} ms  bare ${fix(b, 0).padStart(6)} ms  ` +
          `ratio ${((100 * r) / b).toFixed(0)}%  goal <= 110%  ${ok ? 'PASS' : 'MISS'}`,
      );
    }
    console.log(`  load average at the end (1, 5, 15 min): ${loadAverage()}`);
  } finally {
    release();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
