// GET /image/v2/images?limit=25 with 10,000 images in the demo project: the first page and a page
// after a random existing marker, 16 connections, BENCH_DURATION seconds (default 10) each.
//
// Baseline in the same run: bench/baseline-list-server.ts, bare Fastify + better-sqlite3 answering
// the same two page shapes over 10,000 rows of the same columns, driven by the same load
// generator and connections.
//
// Both are driven in ABBA order (bench/abba.ts says why and how).
import path from 'node:path';
import { CONNECTIONS, compare, cpu, rps } from './abba.js';
import {
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
