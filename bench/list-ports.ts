// GET /network/v2.0/ports?limit=100 with 10,000 ports (BENCH_PORTS) in the demo project: the
// first page and a page after a random existing marker, 16 connections, BENCH_DURATION seconds
// (default 10) each. Goal (issue 8): at least half the baseline's requests/s.
//
// The ports are made through the API (POST /network/v2.0/ports on a /16 subnet), so each has its
// fixed IP and the project's default security group as the server makes them.
//
// Baseline in the same run: bench/baseline-port-server.ts, bare Fastify + better-sqlite3 answering
// the same two page shapes over as many ports with the same columns, one address and one group
// each, serialised to JSON of the same attributes (the sizes are printed). Both are driven in ABBA
// order (bench/abba.ts says why and how).
import path from 'node:path';
import { CONNECTIONS, compare, type Load, cpu, cpuMsPerRequest, rps } from './abba.js';
import {
  envInt,
  fix,
  machineNote,
  pct,
  removeDir,
  report,
  ROOT,
  spawnServer,
  startPocketstack,
  tempDir,
  token,
  type Child,
} from './common.js';
import { networkWithSubnet, populatePorts, projectOf, setPortQuota } from './network-setup.js';

const pick = (ids: string[]): string => ids[Math.floor(Math.random() * ids.length)]!;

/** The size of a page's body, and that it holds `want` ports. */
async function pageBytes(url: string, headers: Record<string, string>, want: number) {
  const text = await (await fetch(url, { headers })).text();
  const n = (JSON.parse(text) as { ports: unknown[] }).ports.length;
  if (n !== want) throw new Error(`${url}: the page has ${n} ports, not ${want}`);
  return text.length;
}

async function main(): Promise<void> {
  const count = envInt('BENCH_PORTS', 10_000);
  const duration = envInt('BENCH_DURATION', 10);
  const work = tempDir('list-ports');
  const servers: Child[] = [];
  try {
    console.log(
      `list-ports: ${count} ports, ${CONNECTIONS} connections, ${duration} s per measure (${await machineNote()})`,
    );
    const dataDir = path.join(work, 'pocketstack');
    const ps = await startPocketstack(dataDir);
    servers.push(ps);
    const tok = await token(ps.url);
    // Room beside them for the ports a data directory starts with (routers of the default topology).
    await setPortQuota(ps.url, dataDir, await projectOf(ps.url, tok), count + 100);
    const { networkId } = await networkWithSubnet(ps.url, tok, 'bench', '10.0.0.0/16');
    const t0 = performance.now();
    const ids = await populatePorts(ps.url, tok, networkId, count, 4);
    console.log(
      `  created ${count} ports through POST /network/v2.0/ports in ${fix((performance.now() - t0) / 1000)} s`,
    );

    const base = await spawnServer([
      path.join(ROOT, 'dist/bench/baseline-port-server.js'),
      path.join(work, 'baseline.db'),
      String(count),
    ]);
    servers.push(base);
    const baseIds = (await (await fetch(`${base.url}/ids`)).json()) as string[];

    const auth = { 'x-auth-token': tok };
    const page = Math.min(100, count);
    const sizes = [
      await pageBytes(`${ps.url}/network/v2.0/ports?limit=100`, auth, page),
      await pageBytes(`${base.url}/v2.0/ports`, {}, page),
    ];
    const [psFirst, bFirst] = await compare(
      { server: ps, headers: auth, path: () => '/network/v2.0/ports?limit=100' },
      { server: base, headers: {}, path: () => '/v2.0/ports' },
      duration,
    );
    const [psMarker, bMarker] = await compare(
      {
        server: ps,
        headers: auth,
        path: () => `/network/v2.0/ports?limit=100&marker=${pick(ids)}`,
      },
      { server: base, headers: {}, path: () => `/v2.0/ports?marker=${pick(baseIds)}` },
      duration,
    );

    console.log('list-ports results (requests/s; p99 latency in ms):');
    report('first page', rps(psFirst), 'req/s', rps(bFirst), 0.5);
    report('random-marker page', rps(psMarker), 'req/s', rps(bMarker), 0.5);
    console.log(
      `  p99 latency: first page ${psFirst.p99} ms (baseline ${bFirst.p99} ms), marker page ${psMarker.p99} ms (baseline ${bMarker.p99} ms)`,
    );
    const perRequest = (l: Load, b: Load): string =>
      `pocketstack ${fix(cpuMsPerRequest(l), 2)}, baseline ${fix(cpuMsPerRequest(b), 2)}: on equal CPU, ${pct(cpuMsPerRequest(b), cpuMsPerRequest(l))} of the baseline's rate`;
    console.log(`  server CPU ms per request: first page ${perRequest(psFirst, bFirst)}`);
    console.log(`                             marker page ${perRequest(psMarker, bMarker)}`);
    console.log(`  first page body: pocketstack ${sizes[0]} bytes, baseline ${sizes[1]} bytes`);
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
