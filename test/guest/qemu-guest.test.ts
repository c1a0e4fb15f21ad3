// The guest tier: boots the tiny image under the probed accelerator with real QEMU, logs in by
// ssh, seals the root disk live through QMP, hot-plugs a disk, powers off by ACPI, and boots a
// second guest from the sealed disk. Each test holds the shared bench lock while QEMU runs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { probeAccelerator, type AcceleratorChoice } from '../../src/compute/qemu/accel.js';
import { consoleSize, waitForConsoleLine } from '../../src/compute/qemu/console-log.js';
import { guestImage, type GuestImage } from '../../src/compute/qemu/guest-image.js';
import { GUEST_USER, READY_PREFIX } from '../../src/compute/qemu/guest-scripts.js';
import { attachDisk, detachDisk, sealDisk } from '../../src/compute/qemu/qmp-disks.js';
import { hasTool } from '../../src/compute/qemu/run.js';
import { bootTestGuest, msSince, type TestGuest } from './boot.js';
import { benchLock, freePort, guestCacheDir, guestSsh, qcow2Head, sshKey } from './guest-kit.js';

const skip = (await hasTool('qemu-system-x86_64'))
  ? false
  : 'qemu-system-x86_64 is not installed: scripts/setup.sh installs qemu-system-x86';

const READY = new RegExp(`^${READY_PREFIX} `);
const BOOT_MS = 180_000;

let dir = '';
let image: GuestImage;
let accel: AcceleratorChoice;
let key: { key: string; publicKey: string };
const guests: TestGuest[] = [];

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-guest-'));
  image = await guestImage(guestCacheDir());
  key = await sshKey(dir);
});

after(async () => {
  for (const g of guests) await g.proc.stop(2000);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function boot(name: string, rootHead: string, userData?: string) {
  const gdir = fs.mkdtempSync(path.join(dir, `${name}-`));
  const port = await freePort();
  const g = await bootTestGuest({
    image,
    accel: accel.accel,
    dir: gdir,
    rootHead,
    sshPort: port,
    name,
    uuid: `00000000-0000-4000-8000-00000000000${guests.length}`,
    publicKey: key.publicKey,
    fixedIp: '10.20.0.5',
    userData,
  });
  guests.push(g);
  const first = await waitForConsoleLine(g.launch.consoleLog, null, BOOT_MS, g.proc.exited);
  const firstMs = msSince(g.startedAt);
  const ready = await waitForConsoleLine(g.launch.consoleLog, READY, BOOT_MS, g.proc.exited);
  assert.ok(first !== null && ready !== null, `${name} did not boot: ${consoleOf(g)}`);
  return { g, port, firstMs, readyMs: msSince(g.startedAt), ready };
}

function consoleOf(g: TestGuest): string {
  return fs.readFileSync(g.launch.consoleLog, 'utf8').slice(-3000);
}

test(
  'a guest boots, takes ssh, is sealed live, hot-plugs a disk, pauses, resets, and powers off by ACPI; a second boots from the seal',
  { skip, timeout: 900_000 },
  async (t) => {
    const release = await benchLock();
    try {
      accel = await probeAccelerator(image);
      t.diagnostic(`accelerator ${accel.accel} (${accel.reason}, probe ${accel.probeMs} ms)`);

      const head1 = path.join(dir, 'head1.qcow2');
      await qcow2Head(head1, image.disk);
      const userData = '#!/bin/sh\necho "ran as $(id -u)" > /var/lib/cloud/user-data-marker\n';
      const a = await boot('vm1', head1, userData);
      t.diagnostic(`vm1: first console line ${a.firstMs} ms, ready ${a.readyMs} ms: ${a.ready}`);
      assert.match(a.ready ?? '', /hostname=vm1 ip=10\.20\.0\.5 /, 'the fixed IP by DHCP');

      const hello = await guestSsh(key.key, a.port, GUEST_USER, 'echo hello; cat /proc/version');
      assert.match(hello, /^hello\nLinux version 6\./);
      const root = await guestSsh(key.key, a.port, GUEST_USER, 'sudo id -u; hostname');
      assert.equal(root, '0\nvm1\n');
      const ud = await guestSsh(key.key, a.port, GUEST_USER, 'cat /var/lib/cloud/user-data-marker');
      assert.equal(ud, 'ran as 0\n', 'user data ran once, as root');

      const marker = `marker-${Date.now()}`;
      await guestSsh(key.key, a.port, GUEST_USER, `echo ${marker} > marker && sync`);

      // Seal the root disk while the guest runs; it goes on writing to the new head.
      const head2 = path.join(dir, 'head2.qcow2');
      await qcow2Head(head2, head1);
      const sealed = await sealDisk(a.g.proc.qmp, 'vda', head2, 'vda-seal-1');
      t.diagnostic(`sealed live: guest I/O held ${sealed.frozenMs.toFixed(1)} ms`);
      assert.equal(await a.g.proc.status(), 'running');
      await guestSsh(key.key, a.port, GUEST_USER, 'echo later > later && sync');

      // Hot-plug a disk: the guest sees a new virtio disk, then it goes away again.
      const vol = path.join(dir, 'vol.qcow2');
      await qcow2Head(vol, null, '64M');
      await attachDisk(a.g.proc.qmp, 'vdb', vol, false);
      const seen = await guestSsh(
        key.key,
        a.port,
        GUEST_USER,
        'for i in $(seq 50); do [ -b /dev/vdb ] && break; sleep 0.2; done; cat /sys/block/vdb/size',
      );
      assert.equal(seen.trim(), String((64 * 1024 * 1024) / 512));
      await detachDisk(a.g.proc.qmp, 'vdb');
      const gone = await guestSsh(
        key.key,
        a.port,
        GUEST_USER,
        '[ -b /dev/vdb ] && echo there || echo gone',
      );
      assert.equal(gone.trim(), 'gone');

      await a.g.proc.pause();
      assert.equal(await a.g.proc.status(), 'paused');
      await a.g.proc.unpause();
      assert.equal(await a.g.proc.status(), 'running');
      assert.equal(await guestSsh(key.key, a.port, GUEST_USER, 'echo awake'), 'awake\n');

      // A hard reboot resets the machine in the same process; the guest comes back ready.
      const size = consoleSize(a.g.launch.consoleLog);
      await a.g.proc.reset();
      const again = await waitForConsoleLine(
        a.g.launch.consoleLog,
        READY,
        BOOT_MS,
        a.g.proc.exited,
        size,
      );
      assert.ok(again, `vm1 did not come back after system_reset: ${consoleOf(a.g)}`);
      assert.equal(
        await guestSsh(key.key, a.port, GUEST_USER, 'cat marker later'),
        `${marker}\nlater\n`,
        'synced writes survive a reset',
      );

      await a.g.proc.powerdown();
      const exit = await a.g.proc.waitExit(120_000);
      assert.ok(exit, `vm1 did not power off by ACPI: ${consoleOf(a.g)}`);
      assert.equal(exit.code, 0);

      // A new guest from a head over the sealed disk has the marker and not what came after.
      const head3 = path.join(dir, 'head3.qcow2');
      await qcow2Head(head3, head1);
      const b = await boot('vm2', head3);
      t.diagnostic(`vm2: first console line ${b.firstMs} ms, ready ${b.readyMs} ms`);
      const read = await guestSsh(
        key.key,
        b.port,
        GUEST_USER,
        'cat marker; ls later 2>/dev/null; hostname',
      );
      assert.equal(read, `${marker}\nvm2\n`);
      await b.g.proc.stop();
    } finally {
      release();
    }
  },
);
