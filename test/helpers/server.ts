import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'bin/pocketstack.js');

/** Debian's clients live in /usr/bin; a python3 earlier on PATH may lack the OpenStack libraries. */
export const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

export interface RunningServer {
  url: string;
  dataDir: string;
  pid: number;
  /** Output the server has printed so far (banner and JSON log lines). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops this process and starts a new one on the same data directory. */
  restart(): Promise<RunningServer>;
}

/** Starts the real server (`pocketstack serve`) on a free port and waits for its banner. */
export async function startServer(
  opts: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-test-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--data-dir', dataDir],
    {
      env: { ...process.env, POCKETSTACK_LOG_LEVEL: 'info', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const onData = (): void => {
      const m = /pocketstack listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });

  const server: RunningServer = {
    url,
    dataDir,
    pid: child.pid!,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      // A graceful stop waits for requests in flight; a test must not hang on one.
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    },
    async restart() {
      await server.stop();
      return startServer({ dataDir, env: opts.env });
    },
  };
  return server;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs Debian's `openstack` CLI against the server as demo (or admin). */
export function openstack(
  server: RunningServer,
  args: string[],
  opts: { admin?: boolean; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      '/usr/bin/openstack',
      args,
      {
        env: {
          PATH: SYSTEM_PATH,
          HOME: process.env.HOME ?? '/tmp',
          LANG: 'C.UTF-8',
          OS_CLIENT_CONFIG_FILE: path.join(server.dataDir, 'clouds.yaml'),
          OS_CLOUD: opts.admin ? 'pocketstack-admin' : 'pocketstack',
        },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/** Runs a command that must succeed with `-f json` and returns its parsed output. */
export async function openstackJson<T = Record<string, unknown>>(
  server: RunningServer,
  args: string[],
  opts: { admin?: boolean } = {},
): Promise<T> {
  const r = await openstack(server, [...args, '-f', 'json'], opts);
  if (r.code !== 0) throw new Error(`openstack ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Runs a command that must succeed (no output parsing). */
export async function openstackOk(
  server: RunningServer,
  args: string[],
  opts: { admin?: boolean } = {},
): Promise<string> {
  const r = await openstack(server, args, opts);
  if (r.code !== 0) throw new Error(`openstack ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
  return r.stdout;
}
