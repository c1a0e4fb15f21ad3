// After a kill -9 of pocketstack with the qemu driver: its guest's QEMU is gone with it
// (pdeathsig), and the restarted pocketstack boots the server recorded RUNNING again, which
// prints its ready line anew; a server recorded SHUTOFF stays off. Holds the shared bench lock.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { hasTool } from '../../src/compute/qemu/run.js';
import { openstack, openstackJson, openstackOk, startServer } from '../helpers/server.js';
import type { RunningServer } from '../helpers/server.js';
import { benchLock, guestCacheDir } from './guest-kit.js';

const skip = (await hasTool('qemu-system-x86_64'))
  ? false
  : 'qemu-system-x86_64 is not installed: scripts/setup.sh installs qemu-system-x86';

const READY = 'pocketstack-guest: ready';
const ENV = { POCKETSTACK_COMPUTE_DRIVER: 'qemu', POCKETSTACK_GUEST_CACHE: guestCacheDir() };

let server: RunningServer | undefined;
let unlock: (() => void) | undefined;

before(async () => {
  if (skip) return;
  unlock = await benchLock();
  server = await startServer({ env: ENV });
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  unlock?.();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function readyCount(s: RunningServer, name: string, count: number): Promise<true> {
  return until(`${count} ready lines on ${name}`, async () => {
    const r = await openstack(s, ['console', 'log', 'show', name]);
    return r.stdout.split(READY).length - 1 >= count ? true : undefined;
  });
}

function pidOf(s: RunningServer, id: string): number | null {
  try {
    return Number(fs.readFileSync(path.join(s.dataDir, 'run', id, 'qemu.pid'), 'utf8').trim());
  } catch {
    return null;
  }
}

function isQemu(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('qemu-system');
  } catch {
    return false;
  }
}

test(
  'kill -9 and restart: the RUNNING guest boots again, the SHUTOFF one stays off',
  { skip },
  async () => {
    let s = server!;
    const create = (name: string) =>
      openstackJson<{ id: string }>(s, [
        'server',
        'create',
        '--image',
        'pocketstack-tiny',
        '--flavor',
        'm1.nano',
        '--network',
        'private',
        '--wait',
        name,
      ]);
    const up = await create('up');
    const down = await create('down');
    await readyCount(s, 'up', 1);
    await readyCount(s, 'down', 1);
    await openstackOk(s, ['server', 'stop', 'down']);
    await until('down SHUTOFF', async () => {
      const v = await openstackJson<{ status: string }>(s, ['server', 'show', 'down']);
      return v.status === 'SHUTOFF' ? true : undefined;
    });

    const pid = pidOf(s, up.id);
    assert.ok(pid !== null && isQemu(pid));
    await s.stop('SIGKILL');
    await until('the QEMU to end with its parent', () =>
      Promise.resolve(isQemu(pid) ? undefined : true),
    );

    s = server = await startServer({ dataDir: s.dataDir, env: ENV });
    const again = await openstackJson<{ status: string; 'OS-EXT-STS:power_state': number }>(s, [
      'server',
      'show',
      'up',
    ]);
    assert.equal(again.status, 'ACTIVE');
    assert.equal(again['OS-EXT-STS:power_state'], 1); // Running
    await readyCount(s, 'up', 2);
    const pid2 = pidOf(s, up.id);
    assert.ok(pid2 !== null && pid2 !== pid && isQemu(pid2));

    const off = await openstackJson<{ status: string }>(s, ['server', 'show', 'down']);
    assert.equal(off.status, 'SHUTOFF');
    assert.equal(pidOf(s, down.id), null);
    await openstackOk(s, ['server', 'delete', '--wait', 'up', 'down']);
    assert.equal(isQemu(pid2), false);
  },
);
