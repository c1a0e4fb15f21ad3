// Two servers under the same load, compared fairly on a machine whose speed drifts over seconds
// (shared host): both warmed up unmeasured, then each one's time split in two halves run in ABBA
// order (A, B, B, A) and summed. The load generator (autocannon) runs in the bench process; each
// server is its own process. On a 2-core machine that is one core each, so the figures are
// per-core server rates.
import autocannon from 'autocannon';
import { cpuSeconds, fix, type Child } from './common.js';

export const CONNECTIONS = 16;

export interface Load {
  requests: number;
  seconds: number;
  /** Worst p99 latency (ms) of the slices. */
  p99: number;
  /** CPU seconds of the server and of the load generator (this process). */
  serverCpu: number;
  generatorCpu: number;
}

export interface Target {
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
export async function compare(a: Target, b: Target, duration: number): Promise<[Load, Load]> {
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

export const rps = (l: Load): number => l.requests / l.seconds;

/** Server and generator CPU as a share of one core. */
export const cpu = (l: Load): string =>
  `server ${fix((100 * l.serverCpu) / l.seconds, 0)}%, generator ${fix((100 * l.generatorCpu) / l.seconds, 0)}%`;

/**
 * Server CPU per request, in ms: unlike requests/s, it does not depend on how much of a core the
 * server got, so it stays comparable when other work on the machine starves one of the two.
 */
export const cpuMsPerRequest = (l: Load): number => (1000 * l.serverCpu) / l.requests;
