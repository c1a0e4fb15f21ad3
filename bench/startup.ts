// Start-up: time from spawning `pocketstack serve` to the first answer of GET /identity, and the
// resident memory (VmRSS) once idle after that, over BENCH_STARTUP_RUNS runs (default 5; median):
//   - an empty data directory (first start: schema migrations and account bootstrap included)
//   - the same directory started again (initialised, no images)
//   - a data directory holding 10,000 images (BENCH_IMAGES), created through the API beforehand
// Baseline in the same run: a bare `node -e ''` process, spawn to exit.
//
// Issue 8 holds start-up time and idle memory to at most 10% more with the network service in.
// BENCH_STARTUP_BEFORE names the bin/pocketstack.js of a build without it (the last commit before
// Neutron, df777d1, exported and built beside this one:
//   git archive df777d1 | tar -x -C DIR && ln -s "$PWD/node_modules" DIR/ && (cd DIR && npm run build)
// ); then every case runs on both builds, interleaved, and the ratios are held to 1.10.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {
  BIN,
  cpuSeconds,
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

/**
 * Wall time to the first answer, the server's CPU time by then (less swayed than wall time by
 * other work on a shared machine; /proc counts it in 10 ms ticks), and idle RSS.
 */
type Run = { ms: number; cpuMs: number; rss: number };

async function startOnce(bin: string, dataDir: string, idleMs: number): Promise<Run> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir],
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
    const cpuMs = 1000 * cpuSeconds(child.pid!);
    if (status !== 200 && status !== 300) throw new Error(`GET /identity answered ${status}`);
    await new Promise((r) => setTimeout(r, idleMs));
    return { ms, cpuMs, rss: rssMiB(child.pid!) };
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

function line(label: string, runs: Run[], bare: number): void {
  const ms = median(runs.map((r) => r.ms));
  const cpuMs = median(runs.map((r) => r.cpuMs));
  const rss = median(runs.map((r) => r.rss));
  console.log(
    `  ${label.padEnd(48)} ${fix(ms, 0).padStart(5)} ms (${fix(ms / bare)}x bare node, CPU ${fix(cpuMs, 0)} ms)  RSS ${fix(rss)} MiB`,
  );
}

const GROWTH = 1.1;

/** This build against the one without the network service: time and RSS ratios, goal 1.10. */
function growth(label: string, runs: Run[], before: Run[]): void {
  const of = (rs: Run[], k: keyof Run): number => median(rs.map((r) => r[k]));
  const ms = of(runs, 'ms') / of(before, 'ms');
  const rss = of(runs, 'rss') / of(before, 'rss');
  const cpu = of(runs, 'cpuMs') / of(before, 'cpuMs');
  const verdict = (x: number): string => `${fix(x, 2)}x ${x <= GROWTH ? 'PASS' : 'MISS'}`;
  console.log(
    `  ${label.padEnd(48)} start-up ${verdict(ms)} (CPU ${fix(cpu, 2)}x)  RSS ${verdict(rss)}  (goal <= ${fix(GROWTH, 2)}x)`,
  );
}

interface Build {
  name: string;
  bin: string;
  populated: string;
  fresh: Run[];
  again: Run[];
  full: Run[];
}

async function main(): Promise<void> {
  const runs = envInt('BENCH_STARTUP_RUNS', 5);
  const images = envInt('BENCH_IMAGES', 10_000);
  const idleMs = envInt('BENCH_IDLE_MS', 1000);
  const beforeBin = process.env.BENCH_STARTUP_BEFORE;
  const work = tempDir('startup');
  try {
    console.log(
      `startup: ${runs} runs each, RSS read ${idleMs} ms after the first answer (${await machineNote()})`,
    );
    const build = (name: string, bin: string, i: number): Build => ({
      name,
      bin,
      populated: path.join(work, `populated-${i}`),
      fresh: [],
      again: [],
      full: [],
    });
    const builds = [build('this build', BIN, 0)];
    if (beforeBin) builds.push(build('without network', path.resolve(beforeBin), 1));
    for (const b of builds) {
      // Each build fills its own: a build refuses a database that a newer one migrated.
      const ps = await startPocketstack(b.populated, {}, b.bin);
      await populate(ps.url, await token(ps.url), images);
      await ps.stop();
    }

    const bare: number[] = [];
    // Interleaved, so drift on the machine touches every case (and build) alike.
    for (let i = 0; i < runs; i++) {
      bare.push(await bareNode());
      for (const [j, b] of builds.entries()) {
        const dir = path.join(work, `empty-${j}-${i}`);
        b.fresh.push(await startOnce(b.bin, dir, idleMs));
        b.again.push(await startOnce(b.bin, dir, idleMs));
        b.full.push(await startOnce(b.bin, b.populated, idleMs));
      }
    }
    const bm = median(bare);
    console.log(`startup results (median of ${runs}):`);
    console.log(
      `  ${"baseline: bare node -e ''".padEnd(48)} ${fix(bm, 0).padStart(5)} ms (spawn to exit)`,
    );
    for (const b of builds) {
      const tag = builds.length > 1 ? ` [${b.name}]` : '';
      line(`empty data dir, first start${tag}`, b.fresh, bm);
      line(`empty data dir, second start${tag}`, b.again, bm);
      line(`${images} images${tag}`, b.full, bm);
    }
    const [now, before] = builds;
    if (before) {
      console.log('  with the network service against without it:');
      growth('empty data dir, first start', now!.fresh, before.fresh);
      growth('empty data dir, second start', now!.again, before.again);
      growth(`${images} images`, now!.full, before.full);
    } else {
      console.log(
        '  (set BENCH_STARTUP_BEFORE to compare with a build without the network service)',
      );
    }
  } finally {
    removeDir(work);
  }
}

await main();
