// Start-up: time from spawning `pocketstack serve` to the first answer of GET /identity, and the
// resident memory (VmRSS) once idle after that, over BENCH_STARTUP_RUNS runs (default 5; median):
//   - an empty data directory (first start: schema migrations and account bootstrap included)
//   - the same directory started again (initialised, no images)
//   - a data directory holding 10,000 images (BENCH_IMAGES), created through the API beforehand
// Baseline in the same run: a bare `node -e ''` process, spawn to exit.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {
  BIN,
  envInt,
  fix,
  machineNote,
  median,
  populate,
  removeDir,
  rssMiB,
  startPocketstack,
  tempDir,
  token,
} from './common.js';

/**
 * A port that is free right now. Polling has to start before the server can print its banner, so
 * the port must be known up front; the kernel picks it, nothing is hard-coded.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves with the status of GET url, or undefined when nothing answers yet. */
function probe(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', () => resolve(undefined));
  });
}

async function startOnce(dataDir: string, idleMs: number): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise((r) => child.once('exit', r));
  try {
    let status: number | undefined;
    while ((status = await probe(`http://127.0.0.1:${port}/identity`)) === undefined) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    const ms = performance.now() - t0;
    if (status !== 200 && status !== 300) throw new Error(`GET /identity answered ${status}`);
    await new Promise((r) => setTimeout(r, idleMs));
    return { ms, rss: rssMiB(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function bareNode(): Promise<number> {
  const t0 = performance.now();
  await new Promise((resolve, reject) =>
    spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
      .once('exit', resolve)
      .once('error', reject),
  );
  return performance.now() - t0;
}

function line(label: string, runs: Array<{ ms: number; rss: number }>, bare: number): void {
  const ms = median(runs.map((r) => r.ms));
  const rss = median(runs.map((r) => r.rss));
  console.log(
    `  ${label.padEnd(40)} ${fix(ms, 0).padStart(5)} ms (${fix(ms / bare)}x bare node)  RSS ${fix(rss)} MiB`,
  );
}

async function main(): Promise<void> {
  const runs = envInt('BENCH_STARTUP_RUNS', 5);
  const images = envInt('BENCH_IMAGES', 10_000);
  const idleMs = envInt('BENCH_IDLE_MS', 1000);
  const work = tempDir('startup');
  try {
    console.log(
      `startup: ${runs} runs each, RSS read ${idleMs} ms after the first answer (${await machineNote()})`,
    );
    const populated = path.join(work, 'populated');
    const ps = await startPocketstack(populated);
    await populate(ps.url, await token(ps.url), images);
    await ps.stop();

    const bare: number[] = [];
    const fresh = [];
    const again = [];
    const full = [];
    // Interleaved, so drift on the machine touches every case alike.
    for (let i = 0; i < runs; i++) {
      bare.push(await bareNode());
      const dir = path.join(work, `empty-${i}`);
      fresh.push(await startOnce(dir, idleMs));
      again.push(await startOnce(dir, idleMs));
      full.push(await startOnce(populated, idleMs));
    }
    const b = median(bare);
    console.log(`startup results (median of ${runs}):`);
    console.log(
      `  ${"baseline: bare node -e ''".padEnd(40)} ${fix(b, 0).padStart(5)} ms (spawn to exit)`,
    );
    line('empty data dir, first start', fresh, b);
    line('empty data dir, second start', again, b);
    line(`${images} images`, full, b);
  } finally {
    removeDir(work);
  }
}

await main();
