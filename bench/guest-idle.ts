// Five tiny guests at once on this machine (issue 11): each one's QEMU resident memory once all
// are ready, and the host's idle CPU while all five sit idle. Boots through the same runner as
// the driver will, under flock /tmp/bench.lock. BENCH_GUESTS (default 5), BENCH_IDLE_S (10).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probeAccelerator } from '../src/compute/qemu/accel.js';
import { waitForConsoleLine } from '../src/compute/qemu/console-log.js';
import { guestImage } from '../src/compute/qemu/guest-image.js';
import { READY_PREFIX } from '../src/compute/qemu/guest-scripts.js';
import { bootTestGuest, type TestGuest } from '../test/guest/boot.js';
import { benchLock, freePort, guestCacheDir, qcow2Head, sshKey } from '../test/guest/guest-kit.js';
import { cpuSeconds, envInt, fix, median, rssMiB, loadAverage } from './common.js';

const GUESTS = envInt('BENCH_GUESTS', 5);
const IDLE_S = envInt('BENCH_IDLE_S', 10);
const READY = new RegExp(`^${READY_PREFIX} `);

/** Idle share of all CPUs over `ms`, from /proc/stat (idle + iowait). */
async function hostIdle(ms: number): Promise<number> {
  const sample = (): number[] =>
    (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
  const a = sample();
  await new Promise((r) => setTimeout(r, ms));
  const d = sample().map((v, i) => v - (a[i] ?? 0));
  const total = d.reduce((x, y) => x + y, 0);
  return total === 0 ? 1 : ((d[3] ?? 0) + (d[4] ?? 0)) / total;
}

async function main(): Promise<void> {
  const image = await guestImage(guestCacheDir());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-bench-idle-'));
  const guests: TestGuest[] = [];
  const release = await benchLock();
  try {
    const { publicKey } = await sshKey(dir);
    const accel = await probeAccelerator(image);
    const idleBefore = await hostIdle(3000);
    console.log(
      `guest-idle: ${GUESTS} guests, ${accel.accel}, 256 MiB each, load ${os.loadavg()[0]?.toFixed(2)}, ` +
        `host idle before ${fix(100 * idleBefore, 0)}%`,
    );
    const t0 = Date.now();
    for (let i = 0; i < GUESTS; i++) {
      const gdir = fs.mkdtempSync(path.join(dir, `g${i}-`));
      const head = path.join(gdir, 'root.qcow2');
      await qcow2Head(head, image.disk);
      guests.push(
        await bootTestGuest({
          image,
          accel: accel.accel,
          dir: gdir,
          rootHead: head,
          sshPort: await freePort(),
          name: `idle${i}`,
          uuid: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
          publicKey,
          fixedIp: '10.20.0.5',
        }),
      );
    }
    for (const g of guests) {
      const ok = await waitForConsoleLine(g.launch.consoleLog, READY, 300_000, g.proc.exited);
      if (ok === null) throw new Error(`${g.launch.name} did not boot`);
    }
    console.log(`  all ${GUESTS} ready ${fix((Date.now() - t0) / 1000)} s after the first spawn`);
    // Let the boots' tails (dropbear's host key, udhcpc) settle before measuring idle.
    await new Promise((r) => setTimeout(r, 3000));
    const cpu0 = guests.map((g) => cpuSeconds(g.proc.pid));
    const idle = await hostIdle(IDLE_S * 1000);
    const cpu = guests.map((g, i) => (cpuSeconds(g.proc.pid) - (cpu0[i] ?? 0)) / IDLE_S);
    const rss = guests.map((g) => rssMiB(g.proc.pid));
    console.log(
      `  QEMU RSS per guest: median ${fix(median(rss), 0)} MiB (min ${fix(Math.min(...rss), 0)}, ` +
        `max ${fix(Math.max(...rss), 0)}); total ${fix(
          rss.reduce((a, b) => a + b, 0),
          0,
        )} MiB`,
    );
    console.log(
      `  idle guests: ${fix(100 * median(cpu), 1)}% of one CPU each (median); host idle ` +
        `${fix(100 * idle, 0)}% over ${IDLE_S} s (before: ${fix(100 * idleBefore, 0)}%)`,
    );
    console.log(`  load average at the end (1, 5, 15 min): ${loadAverage()}`);
  } finally {
    await Promise.all(guests.map((g) => g.proc.stop(2000)));
    release();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
