// Helpers shared by the benchmarks: starting servers, tokens, temp dirs, numbers.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Compiled benches live in dist/bench/, so the project root is two levels up. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** BENCH_POCKETSTACK_BIN runs the benches against another build (e.g. a patched copy) for A/B runs. */
export const BIN = process.env.BENCH_POCKETSTACK_BIN
  ? path.resolve(process.env.BENCH_POCKETSTACK_BIN)
  : path.join(ROOT, 'bin/pocketstack.js');
export const MiB = 1024 * 1024;

export interface Child {
  url: string;
  pid: number;
  /** Settles when the process exits, for whatever reason (a bench that stops it included). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Spawns a server that prints `... listening on URL` and waits for that line. Later output is
 * drained and dropped (not accumulated), so a chatty request log costs the bench process nothing.
 */
export async function spawnServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      child.off('exit', onExit);
      resolve(m[1]!);
    };
    const onExit = (code: number | null): void =>
      reject(new Error(`server exited (${code}) before listening:\n${out}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url,
    pid: child.pid!,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `pocketstack serve` on a free port (port 0) over the given data directory. */
export function startPocketstack(
  dataDir: string,
  env: Record<string, string> = {},
  bin = BIN,
): Promise<Child> {
  return spawnServer(
    [bin, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir],
    env,
  );
}

/** A project-scoped token for demo/demo (the body test/helpers/app.ts passwordAuth builds). */
export async function token(url: string, user = 'demo'): Promise<string> {
  const res = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user, domain: { name: 'Default' }, password: user } },
        },
        scope: { project: { name: user, domain: { name: 'Default' } } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`auth failed: ${res.status} ${await res.text()}`);
  return res.headers.get('x-subject-token')!;
}

/** POST /image/v2/images; returns the new id. */
export async function createImage(url: string, tok: string, name: string): Promise<string> {
  const res = await fetch(`${url}/image/v2/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-auth-token': tok },
    body: JSON.stringify({ name, disk_format: 'raw', container_format: 'bare' }),
  });
  if (res.status !== 201) throw new Error(`create image failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/**
 * A raw image of `mib` MiB of random bytes, written to `file` and uploaded by streaming it;
 * returns the image id once the upload is done (the image is then active).
 */
export async function randomRawImage(
  url: string,
  tok: string,
  file: string,
  mib: number,
): Promise<string> {
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < mib; i++) fs.writeSync(fd, randomBytes(MiB));
  fs.closeSync(fd);
  const image = await createImage(url, tok, 'data');
  const up = await fetch(`${url}/image/v2/images/${image}/file`, {
    method: 'PUT',
    headers: { 'x-auth-token': tok, 'content-type': 'application/octet-stream' },
    body: fs.createReadStream(file) as unknown as BodyInit,
    duplex: 'half',
  } as RequestInit);
  if (up.status !== 204) throw new Error(`image upload failed: ${up.status}`);
  return image;
}

/**
 * Creates `count` images through the real HTTP API, `concurrency` requests in flight. Using the
 * API (rather than writing rows into SQLite behind the server's back) keeps the rows exactly as
 * the server makes them; it takes a few seconds for 10,000.
 */
export async function populate(
  url: string,
  tok: string,
  count: number,
  concurrency = 16,
): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      ids.push(await createImage(url, tok, `bench-${i}`));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pocketstack-bench-${prefix}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function envInt(name: string, def: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${name} must be a positive number, not '${v}'`);
  return n;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Resident set size of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/** Busy share of all CPUs over `ms`, from /proc/stat (Linux). */
async function machineBusy(ms: number): Promise<number> {
  const sample = (): number[] =>
    fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const a = sample();
  await new Promise((r) => setTimeout(r, ms));
  const d = sample().map((v, i) => v - a[i]!);
  const total = d.reduce((x, y) => x + y, 0);
  return total === 0 ? 0 : 1 - (d[3]! + d[4]!) / total; // idle + iowait
}

/** Other work on the machine skews every figure: say how busy it was just before a bench started. */
export async function machineNote(): Promise<string> {
  const busy = await machineBusy(1000);
  return `${os.cpus().length} CPUs ${fix(100 * busy, 0)}% busy before start, node ${process.version}, server ${path.relative(process.cwd(), BIN) || BIN}`;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; 100 ticks/s). */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The load average now (1, 5, 15 min): a figure on a shared machine is read with the load it ran under. */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

export const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(0)}%`;
export const fix = (n: number, d = 1): string => n.toFixed(d);

/** One result line: the figure, its baseline, the ratio and the goal it is held to. */
export function report(
  label: string,
  value: number,
  unit: string,
  baseline: number,
  goal: number,
): boolean {
  const ratio = value / baseline;
  const ok = ratio >= goal;
  console.log(
    `  ${label.padEnd(34)} ${fix(value).padStart(9)} ${unit}  baseline ${fix(baseline).padStart(9)} ${unit}  ` +
      `ratio ${pct(value, baseline).padStart(4)}  goal >= ${pct(goal, 1)}  ${ok ? 'PASS' : 'MISS'}`,
  );
  return ok;
}
