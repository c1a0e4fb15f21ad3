// Volumes and the qemu driver through the openstack CLI: `server add volume` hot-plugs the
// volume into the running guest (a new virtio disk it writes to over ssh), `server remove
// volume` unplugs it, and a second guest the volume is attached to reads the same bytes. Holds
// the shared bench lock.
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

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function bootReady(s: RunningServer, name: string): Promise<number> {
  const vm = await openstackJson<{ id: string }>(s, [
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
    name,
  ]);
  await until(`${name} ready`, async () => {
    const r = await openstack(s, ['console', 'log', 'show', name]);
    return r.stdout.includes('pocketstack-guest: ready') ? true : undefined;
  });
  return Number(fs.readFileSync(path.join(s.dataDir, 'run', vm.id, 'ssh-port'), 'utf8'));
}

function volumeStatus(s: RunningServer, want: string): Promise<true> {
  return until(`volume ${want}`, async () => {
    const v = await openstackJson<{ status: string }>(s, ['volume', 'show', 'data']);
    return v.status === want ? true : undefined;
  });
}

test(
  'a volume hot-plugged into one guest, written, unplugged, read by another',
  { skip },
  async () => {
    const s = server!;
    const p1 = await bootReady(s, 'w1');
    await openstackOk(s, ['volume', 'create', '--size', '1', 'data']);
    await volumeStatus(s, 'available');
    await openstackOk(s, ['server', 'add', 'volume', 'w1', 'data']);
    await volumeStatus(s, 'in-use');
    const marker = `vol-${Date.now()}`;
    const seen = await until('vdb in w1', async () => {
      const out = await guestSsh(keyFile, p1, 'cirros', 'ls /dev/vdb 2>/dev/null || true');
      return out.includes('/dev/vdb') ? out : undefined;
    });
    assert.match(seen, /\/dev\/vdb/);
    await guestSsh(
      keyFile,
      p1,
      'cirros',
      `echo ${marker} | sudo dd of=/dev/vdb conv=fsync 2>/dev/null`,
    );
    await openstackOk(s, ['server', 'remove', 'volume', 'w1', 'data']);
    await volumeStatus(s, 'available');
    const gone = await guestSsh(keyFile, p1, 'cirros', 'ls /dev/vdb 2>/dev/null || echo gone');
    assert.match(gone, /gone/);

    const p2 = await bootReady(s, 'w2');
    await openstackOk(s, ['server', 'add', 'volume', 'w2', 'data']);
    await volumeStatus(s, 'in-use');
    const read = await until('the marker on w2', async () => {
      const out = await guestSsh(
        keyFile,
        p2,
        'cirros',
        'sudo head -c 64 /dev/vdb 2>/dev/null || true',
      );
      return out.includes(marker) ? out : undefined;
    });
    assert.ok(read.includes(marker));
    await openstackOk(s, ['server', 'delete', '--wait', 'w1', 'w2']);
  },
);
