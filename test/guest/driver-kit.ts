// What the qemu-driver tests share: one pocketstack serving with the qemu driver under the bench
// lock, key pair `k`, and the waits on the CLI's view of servers, volumes and consoles.
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { hasTool } from '../../src/compute/qemu/run.js';
import { openstack, openstackJson, openstackOk, startServer } from '../helpers/server.js';
import type { RunningServer } from '../helpers/server.js';
import { benchLock, guestCacheDir, sshKey } from './guest-kit.js';

/** The line the tiny image prints on its console once it serves ssh. */
export const READY = 'pocketstack-guest: ready';

export const skip = (await hasTool('qemu-system-x86_64'))
  ? false
  : 'qemu-system-x86_64 is not installed: scripts/setup.sh installs qemu-system-x86';

/** The environment pocketstack runs under in these tests (also on a restart). */
export const DRIVER_ENV = {
  POCKETSTACK_COMPUTE_DRIVER: 'qemu',
  POCKETSTACK_GUEST_CACHE: guestCacheDir(),
};

export interface DriverBench {
  /** A test that restarts pocketstack puts the new one here, so that `after` stops it. */
  server: RunningServer | undefined;
  /** The private key of key pair `k`; empty without one. */
  keyFile: string;
}

/**
 * Registers the file's `before` and `after`: take the bench lock, start pocketstack with the qemu
 * driver (and, unless `keyPair` is false, make key pair `k`); stop it, remove its data, unlock.
 */
export function useDriverBench(opts: { keyPair?: boolean } = {}): DriverBench {
  const bench: DriverBench = { server: undefined, keyFile: '' };
  let unlock: (() => void) | undefined;
  before(async () => {
    if (skip) return;
    unlock = await benchLock();
    const server = (bench.server = await startServer({ env: DRIVER_ENV }));
    if (opts.keyPair === false) return;
    const key = await sshKey(server.dataDir);
    bench.keyFile = key.key;
    await openstackOk(server, ['keypair', 'create', '--public-key', `${key.key}.pub`, 'k']);
  });
  after(async () => {
    const server = bench.server;
    await server?.stop();
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
    unlock?.();
  });
  return bench;
}

/** Probes once a second until `probe` gives a value; fails after three minutes. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Waits until the console shows `count` lines containing `text`, returns the console. */
export function consoleHas(
  s: RunningServer,
  name: string,
  text: string,
  count = 1,
): Promise<string> {
  return until(`${count}x "${text}" on ${name}'s console`, async () => {
    const r = await openstack(s, ['console', 'log', 'show', name]);
    return r.stdout.split(text).length - 1 >= count ? r.stdout : undefined;
  });
}

/** Waits until `openstack <kind> show <name>` reports status `want`. */
export function status(
  s: RunningServer,
  name: string,
  want: string,
  kind: 'server' | 'volume' = 'server',
): Promise<string> {
  return until(`${kind} ${name} ${want}`, async () => {
    const v = await openstackJson<{ status: string }>(s, [kind, 'show', name]);
    return v.status === want ? v.status : undefined;
  });
}

/** `server create --wait` of the tiny image (or `image`) on the private network. */
export function createServer(
  s: RunningServer,
  name: string,
  opts: { image?: string; keyName?: string | null; userData?: string } = {},
): Promise<{ id: string; status: string }> {
  const args = ['server', 'create', '--image', opts.image ?? 'pocketstack-tiny'];
  args.push('--flavor', 'm1.nano');
  if (opts.keyName !== null) args.push('--key-name', opts.keyName ?? 'k');
  args.push('--network', 'private');
  if (opts.userData !== undefined) args.push('--user-data', opts.userData);
  return openstackJson<{ id: string; status: string }>(s, [...args, '--wait', name]);
}

/** Creates a server with key pair `k`, waits for its ready line, returns its ssh port. */
export async function bootReady(s: RunningServer, name: string): Promise<number> {
  const vm = await createServer(s, name);
  await consoleHas(s, name, READY);
  return sshPort(s, vm.id);
}

/** The host port the driver forwards to the guest's port 22. */
export function sshPort(s: RunningServer, id: string): number {
  return Number(fs.readFileSync(path.join(s.dataDir, 'run', id, 'ssh-port'), 'utf8'));
}

/** The PID of the guest's QEMU while it runs (its pidfile), null when there is none. */
export function qemuPid(s: RunningServer, id: string): number | null {
  try {
    return Number(fs.readFileSync(path.join(s.dataDir, 'run', id, 'qemu.pid'), 'utf8').trim());
  } catch {
    return null;
  }
}

/** Whether `pid` is a live QEMU (and not a reused PID). */
export function isQemu(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('qemu-system');
  } catch {
    return false;
  }
}
