import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SYSTEM_PATH } from '../../src/compute/qemu/run.js';

const exec = promisify(execFile);

/** Where the guest tier keeps its built image between runs (built once, keyed by its inputs). */
export function guestCacheDir(): string {
  return process.env.POCKETSTACK_GUEST_CACHE ?? path.join(os.tmpdir(), 'pocketstack-guest-cache');
}

/**
 * Holds the machine's shared benchmark lock (`flock /tmp/bench.lock`) until the returned
 * function is called, so a guest boot never overlaps another helper's benchmark: a flock child
 * keeps the lock while its stdin is open.
 */
export async function benchLock(): Promise<() => void> {
  const lockFile = process.env.BENCH_LOCK ?? '/tmp/bench.lock';
  const child = spawn('flock', [lockFile, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, PATH: SYSTEM_PATH },
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`flock ${lockFile} ended (${String(code)})`)));
  });
  return () => child.stdin.end();
}

/** A TCP port free on 127.0.0.1 at this moment. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** A fresh ed25519 key pair made by Debian's ssh-keygen; returns the private key's path. */
export async function sshKey(dir: string): Promise<{ key: string; publicKey: string }> {
  const key = path.join(dir, 'id_ed25519');
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'guest-test', '-f', key]);
  return { key, publicKey: fs.readFileSync(`${key}.pub`, 'utf8') };
}

/** Runs `command` in the guest with Debian's ssh client, as the given user, and returns stdout. */
export async function guestSsh(
  key: string,
  port: number,
  user: string,
  command: string,
  host = '127.0.0.1',
): Promise<string> {
  const { stdout } = await exec(
    'ssh',
    [
      '-i',
      key,
      '-p',
      String(port),
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=30',
      '-o',
      'LogLevel=ERROR',
      `${user}@${host}`,
      command,
    ],
    { timeout: 120_000, env: { ...process.env, PATH: SYSTEM_PATH } },
  );
  return stdout;
}

/** A qcow2 head over `backing` (absolute path), as the layer store makes one. */
export async function qcow2Head(file: string, backing: string | null, size = '1G'): Promise<void> {
  const args = ['create', '-q', '-f', 'qcow2'];
  if (backing) args.push('-b', backing, '-F', 'qcow2');
  await exec('qemu-img', [...args, file, size], { env: { ...process.env, PATH: SYSTEM_PATH } });
}
