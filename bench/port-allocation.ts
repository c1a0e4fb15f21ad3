// Port create with IP allocation on a /16 subnet (issue 8): the 10,000th port must be created
// within 1.5x of the time of the 10th, i.e. allocation must not scan the used addresses.
//
// In the demo project, on a network with one fresh 10.0.0.0/16 subnet, ports are created one at
// a time (POST /network/v2.0/ports {port: {network_id}}), each timed from request to answer:
//   - "the 10th": the median of creates 5..15 (a window of BENCH_PORT_WINDOW either side of the
//     10th, default 5), after 4 untimed ones (the first makes the project's default group);
//   - the fill up to the window before the Nth (BENCH_PORTS, default 10,000), BENCH_FILL_CONNECTIONS
//     requests in flight (default 4): not a figure held to a goal, reported as ports/s;
//   - "the Nth": the median of creates N-5..N+5, sequential again.
// Baseline in the same run: the 10th itself. Before any of it, BENCH_WARMUP ports (default 2,000) on
// a network of the admin project warm the server's code up without touching demo's project or
// subnet, so that the 10th is not measured on cold code. After it, the 10th again on a second
// fresh subnet of the same, now full, project: what the project's size alone costs (its quota
// count), apart from the subnet's.
import path from 'node:path';
import {
  envInt,
  fix,
  machineNote,
  median,
  removeDir,
  startPocketstack,
  tempDir,
  token,
} from './common.js';
import {
  createPort,
  networkWithSubnet,
  populatePorts,
  projectOf,
  setPortQuota,
} from './network-setup.js';

const GOAL = 1.5;

/** Creates `count` ports one after another; the time of each in ms. */
async function timed(url: string, tok: string, networkId: string, count: number) {
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await createPort(url, tok, networkId);
    ms.push(performance.now() - t0);
  }
  return ms;
}

const spread = (ms: number[]): string =>
  `median ${fix(median(ms), 2)} ms (min ${fix(Math.min(...ms), 2)}, max ${fix(Math.max(...ms), 2)})`;

async function main(): Promise<void> {
  const n = envInt('BENCH_PORTS', 10_000);
  const half = envInt('BENCH_PORT_WINDOW', 5);
  const fillConnections = envInt('BENCH_FILL_CONNECTIONS', 4);
  const warmup = envInt('BENCH_WARMUP', 2000);
  const early = 10;
  if (n - half <= early + half + 1) throw new Error('BENCH_PORTS is too small for the windows');
  const work = tempDir('ports');
  const dataDir = path.join(work, 'pocketstack');
  const ps = await startPocketstack(dataDir, { POCKETSTACK_LOG_LEVEL: 'warn' });
  try {
    console.log(
      `port-allocation: ${n} ports on a /16, windows of ${2 * half + 1} creates, fill with ${fillConnections} connections (${await machineNote()})`,
    );
    const { url } = ps;
    const tok = await token(url);
    const admin = await token(url, 'admin');
    // Room for both windows and the second subnet's; finite, so the quota check still counts.
    await setPortQuota(url, dataDir, await projectOf(url, tok), n + 100);
    await setPortQuota(url, dataDir, await projectOf(url, admin), warmup + 100);

    const warm = await networkWithSubnet(url, admin, 'warm-up', '10.99.0.0/16');
    await populatePorts(url, admin, warm.networkId, warmup, fillConnections);

    const a = await networkWithSubnet(url, tok, 'bench-a', '10.0.0.0/16');
    await timed(url, tok, a.networkId, early - half - 1);
    const first = await timed(url, tok, a.networkId, 2 * half + 1);
    const fill = n - half - 1 - (early + half);
    const t0 = performance.now();
    await populatePorts(url, tok, a.networkId, fill, fillConnections);
    const fillSeconds = (performance.now() - t0) / 1000;
    const last = await timed(url, tok, a.networkId, 2 * half + 1);

    const b = await networkWithSubnet(url, tok, 'bench-b', '10.1.0.0/16');
    await timed(url, tok, b.networkId, early - half - 1);
    const again = await timed(url, tok, b.networkId, 2 * half + 1);

    const ratio = median(last) / median(first);
    console.log('port-allocation results (time per create, request to answer):');
    console.log(`  the ${early}th (creates ${early - half}..${early + half}):  ${spread(first)}`);
    console.log(`  the ${n}th (creates ${n - half}..${n + half}):  ${spread(last)}`);
    console.log(
      `  ratio ${fix(ratio, 2)}x  goal <= ${fix(GOAL, 1)}x  ${ratio <= GOAL ? 'PASS' : 'MISS'}`,
    );
    console.log(
      `  fill: ${fill} ports in ${fix(fillSeconds)} s = ${fix(fill / fillSeconds, 0)} ports/s (${fillConnections} connections)`,
    );
    console.log(
      `  the ${early}th on a second fresh subnet of the same project (now ${n + half} ports): ${spread(again)}, ${fix(median(again) / median(first), 2)}x the first 10th`,
    );
  } finally {
    await ps.stop();
    removeDir(work);
  }
}

await main();
