// The qemu compute driver end to end through Debian's openstack CLI: pocketstack serve
// --compute-driver qemu puts the tiny image in Glance, a server boots it and prints its ready
// line on the console, stop ends its QEMU, start boots it again (port 22 now also on its
// floating IP), a live image snapshot carries a marker written over ssh into a second server,
// which powers itself off (SHUTOFF), and delete ends the QEMUs. The whole test holds the shared
// bench lock: the server's accelerator probe and every boot run inside it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { hasTool } from '../../src/compute/qemu/run.js';
import { openstack, openstackJson, openstackOk, startServer } from '../helpers/server.js';
import type { RunningServer } from '../helpers/server.js';
import { benchLock, guestCacheDir, guestSsh, sshKey } from './guest-kit.js';

const skip = (await hasTool('qemu-system-x86_64'))
  ? false
  : 'qemu-system-x86_64 is not installed: scripts/setup.sh installs qemu-system-x86';

const READY = 'pocketstack-guest: ready';

let server: RunningServer | undefined;
let unlock: (() => void) | undefined;
let keyFile = '';

before(async () => {
  if (skip) return;
  unlock = await benchLock();
  server = await startServer({
    env: { POCKETSTACK_COMPUTE_DRIVER: 'qemu', POCKETSTACK_GUEST_CACHE: guestCacheDir() },
  });
  const key = await sshKey(server.dataDir);
  keyFile = key.key;
  await openstackOk(server, ['keypair', 'create', '--public-key', `${key.key}.pub`, 'k']);
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  unlock?.();
});

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Waits until the console shows `count` lines containing `text`, returns the console. */
function consoleHas(s: RunningServer, name: string, text: string, count = 1): Promise<string> {
  return until(`${count}x "${text}" on ${name}'s console`, 180_000, async () => {
    const r = await openstack(s, ['console', 'log', 'show', name]);
    return r.stdout.split(text).length - 1 >= count ? r.stdout : undefined;
  });
}

function status(s: RunningServer, name: string, want: string): Promise<string> {
  return until(`${name} ${want}`, 180_000, async () => {
    const v = await openstackJson<{ status: string }>(s, ['server', 'show', name]);
    return v.status === want ? v.status : undefined;
  });
}

/** The PID of the guest's QEMU while it runs (its pidfile), null when there is none. */
function qemuPid(s: RunningServer, id: string): number | null {
  try {
    return Number(fs.readFileSync(path.join(s.dataDir, 'run', id, 'qemu.pid'), 'utf8').trim());
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('qemu-system');
  } catch {
    return false;
  }
}

test(
  'qemu driver: boot, console, stop, start, live snapshot with a marker, delete',
  { skip },
  async () => {
    const s = server!;
    const images = await openstackJson<{ Name: string }[]>(s, ['image', 'list']);
    const names = images.map((i) => i.Name).sort();
    for (const n of ['pocketstack-tiny', 'pocketstack-tiny-kernel', 'pocketstack-tiny-ramdisk'])
      assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const tiny = await openstackJson<{ properties: Record<string, string>; disk_format: string }>(
      s,
      ['image', 'show', 'pocketstack-tiny'],
    );
    assert.equal(tiny.disk_format, 'qcow2');
    assert.ok(tiny.properties.kernel_id && tiny.properties.ramdisk_id);

    const started = Date.now();
    const vm1 = await openstackJson<{ id: string; status: string }>(s, [
      'server',
      'create',
      '--image',
      'pocketstack-tiny',
      '--flavor',
      'm1.nano',
      '--key-name',
      'k',
      '--network',
      'private',
      '--wait',
      'vm1',
    ]);
    assert.equal(vm1.status, 'ACTIVE');
    const activeMs = Date.now() - started;
    const first = await consoleHas(s, 'vm1', READY);
    assert.match(first, /ready hostname=vm1 ip=10\.0\.0\.\d+ ssh=22 user=cirros/);
    console.log(`# vm1 ACTIVE in ${activeMs} ms, ready in ${Date.now() - started} ms`);

    // The marker goes in over ssh, through the guest's forwarded port 22.
    const sshPort = Number(
      fs.readFileSync(path.join(s.dataDir, 'run', vm1.id, 'ssh-port'), 'utf8'),
    );
    const marker = `marker-${Date.now()}`;
    const wrote = await guestSsh(
      keyFile,
      sshPort,
      'cirros',
      `echo ${marker} > marker; sync; cat marker`,
    );
    assert.equal(wrote.trim(), marker);

    // A floating IP (in 127.100.0.0/24, local without configuration) forwards port 22 from the
    // next boot on.
    const fip = await openstackJson<{ floating_ip_address: string }>(s, [
      'floating',
      'ip',
      'create',
      'ext-net',
    ]);
    await openstackOk(s, ['server', 'add', 'floating', 'ip', 'vm1', fip.floating_ip_address]);

    const pid1 = qemuPid(s, vm1.id);
    assert.ok(pid1 && alive(pid1));
    await openstackOk(s, ['server', 'stop', 'vm1']);
    await status(s, 'vm1', 'SHUTOFF');
    assert.equal(alive(pid1), false, 'QEMU ended at stop');

    await openstackOk(s, ['server', 'start', 'vm1']);
    await status(s, 'vm1', 'ACTIVE');
    await consoleHas(s, 'vm1', READY, 2);
    const viaFip = await guestSsh(keyFile, 22, 'cirros', 'cat marker', fip.floating_ip_address);
    assert.equal(viaFip.trim(), marker);

    // A live snapshot of the running guest, then a second server from it reads the marker.
    const snap = await openstackJson<{ status: string }>(s, [
      'server',
      'image',
      'create',
      '--wait',
      '--name',
      'snap1',
      'vm1',
    ]);
    assert.equal(snap.status, 'active');
    const ud = path.join(s.dataDir, 'ud.sh');
    fs.writeFileSync(ud, '#!/bin/sh\necho "MARK=$(cat /home/cirros/marker)" > /dev/ttyS0\n');
    const vm2 = await openstackJson<{ id: string; status: string }>(s, [
      'server',
      'create',
      '--image',
      'snap1',
      '--flavor',
      'm1.nano',
      '--key-name',
      'k',
      '--network',
      'private',
      '--user-data',
      ud,
      '--wait',
      'vm2',
    ]);
    assert.equal(vm2.status, 'ACTIVE');
    await consoleHas(s, 'vm2', `MARK=${marker}`);

    // A guest that powers itself off goes to SHUTOFF, as Nova's power-state sync does.
    const port2 = Number(fs.readFileSync(path.join(s.dataDir, 'run', vm2.id, 'ssh-port'), 'utf8'));
    await guestSsh(keyFile, port2, 'cirros', 'sudo poweroff').catch(() => '');
    await status(s, 'vm2', 'SHUTOFF');

    const pids = [qemuPid(s, vm1.id), qemuPid(s, vm2.id)];
    await openstackOk(s, ['server', 'delete', '--wait', 'vm1', 'vm2']);
    for (const pid of pids) assert.ok(pid === null || !alive(pid), 'QEMU ended at delete');
  },
);
