// GET /image/v2/images?limit=25 with 10,000 images in the demo project: the first page and a page
// after a random existing marker, 16 connections, BENCH_DURATION seconds (default 10) each.
//
// Baseline in the same run: bench/baseline-list-server.ts, bare Fastify + better-sqlite3 answering
// the same two page shapes over 10,000 rows of the same columns, driven by the same load
// generator and connections.
//
// The load generator (autocannon) runs in this process; each server under test is its own
// process. On a 2-core machine that is one core each, so the figures are per-core server rates.
// This machine's speed drifts over seconds (shared host), so each server's time is split in two
// halves run in ABBA order (pocketstack, baseline, baseline, pocketstack) and summed.
import path from 'node:path';
import autocannon from 'autocannon';
import {
  cpuSeconds,
  envInt,
  fix,
  machineNote,
  populate,
  removeDir,
  report,
  ROOT,
  spawnServer,
  startPocketstack,
  tempDir,
  token,
  type Child,
} from './common.js';

const CONNECTIONS = 16;

interface Load {
  requests: number;
  seconds: number;
  /** Worst p99 latency (ms) of the slices. */
  p99: number;
  /** CPU seconds of the server and of the load generator (this process). */
  serverCpu: number;
  generatorCpu: number;
}

interface Target {
  server: Child;
  headers: Record<string, string>;
  path: () => string;
}

function run(t: Target, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: t.server.url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: t.headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: t.path() }) }],
  });
}

/** One measured slice, added to `acc`. */
async function slice(t: Target, seconds: number, acc: Load): Promise<void> {
  const cpu0 = cpuSeconds(t.server.pid);
  const gen0 = process.cpuUsage();
  const r = await run(t, seconds);
  const gen = process.cpuUsage(gen0);
  if (r.errors || r.timeouts || r.non2xx)
    throw new Error(
      `${t.server.url}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`,
    );
  acc.requests += r.requests.total;
  acc.seconds += r.duration;
  acc.p99 = Math.max(acc.p99, r.latency.p99);
  acc.serverCpu += cpuSeconds(t.server.pid) - cpu0;
  acc.generatorCpu += (gen.user + gen.system) / 1e6;
}

/** Warm both up (JIT, SQLite page cache) unmeasured, then ABBA slices of half the duration. */
async function compare(a: Target, b: Target, duration: number): Promise<[Load, Load]> {
  const la: Load = { requests: 0, seconds: 0, p99: 0, serverCpu: 0, generatorCpu: 0 };
  const lb: Load = { ...la };
  await run(a, 2);
  await run(b, 2);
  await slice(a, duration / 2, la);
  await slice(b, duration / 2, lb);
  await slice(b, duration / 2, lb);
  await slice(a, duration / 2, la);
  return [la, lb];
}

const rps = (l: Load): number => l.requests / l.seconds;
const cpu = (l: Load): string =>
  `server ${fix((100 * l.serverCpu) / l.seconds, 0)}%, generator ${fix((100 * l.generatorCpu) / l.seconds, 0)}%`;
const pick = (ids: string[]): string => ids[Math.floor(Math.random() * ids.length)]!;

async function main(): Promise<void> {
  const count = envInt('BENCH_IMAGES', 10_000);
  const duration = envInt('BENCH_DURATION', 10);
  const work = tempDir('list');
  const servers: Child[] = [];
  try {
    console.log(
      `list-images: ${count} images, ${CONNECTIONS} connections, ${duration} s per measure (${await machineNote()})`,
    );
    const ps = await startPocketstack(path.join(work, 'pocketstack'));
    servers.push(ps);
    const tok = await token(ps.url);
    const t0 = performance.now();
    const ids = await populate(ps.url, tok, count);
    console.log(
      `  created ${count} images through POST /image/v2/images in ${fix((performance.now() - t0) / 1000)} s`,
    );

    const page = (await (
      await fetch(`${ps.url}/image/v2/images?limit=25`, { headers: { 'x-auth-token': tok } })
    ).json()) as { images: unknown[] };
    if (page.images.length !== 25) throw new Error(`first page has ${page.images.length} images`);

    const base = await spawnServer([
      path.join(ROOT, 'dist/bench/baseline-list-server.js'),
      path.join(work, 'baseline.db'),
      String(count),
    ]);
    servers.push(base);
    const baseIds = (await (await fetch(`${base.url}/ids`)).json()) as string[];

    const auth = { 'x-auth-token': tok };
    const [psFirst, bFirst] = await compare(
      { server: ps, headers: auth, path: () => '/image/v2/images?limit=25' },
      { server: base, headers: {}, path: () => '/images' },
      duration,
    );
    const [psMarker, bMarker] = await compare(
      { server: ps, headers: auth, path: () => `/image/v2/images?limit=25&marker=${pick(ids)}` },
      { server: base, headers: {}, path: () => `/images?marker=${pick(baseIds)}` },
      duration,
    );

    console.log('list-images results (requests/s; p99 latency in ms):');
    report('first page', rps(psFirst), 'req/s', rps(bFirst), 0.5);
    report('random-marker page', rps(psMarker), 'req/s', rps(bMarker), 0.5);
    console.log(
      `  p99 latency: first page ${psFirst.p99} ms (baseline ${bFirst.p99} ms), marker page ${psMarker.p99} ms (baseline ${bMarker.p99} ms)`,
    );
    console.log(
      '  CPU as a share of one core (a server well under 100% was starved, or not the bottleneck):',
    );
    console.log(`    first page:  pocketstack ${cpu(psFirst)}; baseline ${cpu(bFirst)}`);
    console.log(`    marker page: pocketstack ${cpu(psMarker)}; baseline ${cpu(bMarker)}`);
  } finally {
    for (const s of servers) await s.stop();
    removeDir(work);
  }
}

await main();
