// Server actions on a real guest through the openstack CLI: pause and unpause, suspend and
// resume (a pause here: QEMU has no managed save without libvirt), reboot --hard (system_reset)
// and a soft reboot (ACPI power-off and a new boot); the states follow and the guest answers ssh
// after each. Holds the shared bench lock.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { hasTool } from '../../src/compute/qemu/run.js';
import { openstack, openstackJson, openstackOk, startServer } from '../helpers/server.js';
import type { RunningServer } from '../helpers/server.js';
import { benchLock, guestCacheDir, guestSsh, sshKey } from './guest-kit.js';

const READY = 'pocketstack-guest: ready';

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

async function settle(s: RunningServer, want: string): Promise<void> {
  await until(`a1 ${want}`, async () => {
    const v = await openstackJson<{ status: string }>(s, ['server', 'show', 'a1']);
    return v.status === want ? true : undefined;
  });
}

function readyLines(s: RunningServer, count: number): Promise<true> {
  return until(`${count} ready lines`, async () => {
    const r = await openstack(s, ['console', 'log', 'show', 'a1']);
    return r.stdout.split(READY).length - 1 >= count ? true : undefined;
  });
}

function sshPort(s: RunningServer, id: string): number {
  return Number(fs.readFileSync(path.join(s.dataDir, 'run', id, 'ssh-port'), 'utf8'));
}

test('pause, suspend, hard and soft reboot act on the real guest', { skip }, async () => {
  const s = server!;
  await bootReady(s, 'a1');
  const { id } = await openstackJson<{ id: string }>(s, ['server', 'show', 'a1']);
  const echo = (): Promise<string> => guestSsh(keyFile, sshPort(s, id), 'cirros', 'echo up');

  await openstackOk(s, ['server', 'pause', 'a1']);
  await settle(s, 'PAUSED');
  await openstackOk(s, ['server', 'unpause', 'a1']);
  await settle(s, 'ACTIVE');
  assert.equal((await echo()).trim(), 'up');

  await openstackOk(s, ['server', 'suspend', 'a1']);
  await settle(s, 'SUSPENDED');
  await openstackOk(s, ['server', 'resume', 'a1']);
  await settle(s, 'ACTIVE');
  assert.equal((await echo()).trim(), 'up');

  await openstackOk(s, ['server', 'reboot', '--hard', 'a1']);
  await settle(s, 'ACTIVE');
  await readyLines(s, 2);
  await openstackOk(s, ['server', 'reboot', 'a1']);
  await settle(s, 'ACTIVE');
  await readyLines(s, 3);
  assert.equal((await echo()).trim(), 'up');
  await openstackOk(s, ['server', 'delete', '--wait', 'a1']);
});
