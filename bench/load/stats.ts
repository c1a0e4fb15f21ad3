// What the mixed load records: every timed operation by kind, with its errors, and the tables the
// bench prints from them (count, errors, p50, p99, max per kind; the overall figures and verdict).
import { fix } from '../common.js';

/**
 * A request is one HTTP call an operation makes; a poll is a GET made while waiting (recorded
 * apart: how many there are depends on how long the wait is, and cheap GETs in their thousands
 * would pull the request p50 down); a wait is the time until an asynchronous state is reached.
 */
export type KindClass = 'request' | 'poll' | 'wait';

const TITLES: Record<KindClass, string> = {
  request: 'requests (milliseconds, each HTTP call of an operation):',
  poll: 'polls (milliseconds, each GET made while waiting for a state):',
  wait: 'waits (milliseconds, from the call that asked for the change to the state seen):',
};

interface Kind {
  cls: KindClass;
  ms: number[];
  errors: number;
  /** The first few error descriptions, to say what went wrong without flooding the output. */
  samples: string[];
}

const SAMPLES_PER_KIND = 3;

export class Recorder {
  private readonly kinds = new Map<string, Kind>();

  private kind(name: string, cls: KindClass): Kind {
    let k = this.kinds.get(name);
    if (!k) {
      k = { cls, ms: [], errors: 0, samples: [] };
      this.kinds.set(name, k);
    }
    return k;
  }

  ok(name: string, cls: KindClass, ms: number): void {
    this.kind(name, cls).ms.push(ms);
  }

  /** An error still counts its time: a fast 500 or a slow timeout is part of what clients saw. */
  error(name: string, cls: KindClass, ms: number, detail: string): void {
    const k = this.kind(name, cls);
    k.ms.push(ms);
    k.errors++;
    if (k.samples.length < SAMPLES_PER_KIND) k.samples.push(detail.slice(0, 300));
  }

  /** Prints the per-kind tables and the verdict; returns whether the goal was met. */
  print(seconds: number, costly: string[]): boolean {
    const header = `  ${'operation'.padEnd(40)} ${'count'.padStart(7)} ${'errors'.padStart(6)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)} ${'p99/p50'.padStart(7)}`;
    const all: Record<KindClass, { ms: number[]; errors: number }> = {
      request: { ms: [], errors: 0 },
      poll: { ms: [], errors: 0 },
      wait: { ms: [], errors: 0 },
    };
    for (const cls of ['request', 'poll', 'wait'] as const) {
      console.log(TITLES[cls]);
      console.log(header);
      const names = [...this.kinds.keys()].filter((n) => this.kinds.get(n)!.cls === cls).sort();
      for (const name of names) {
        const k = this.kinds.get(name)!;
        all[cls].ms.push(...k.ms);
        all[cls].errors += k.errors;
        console.log(row(name, k.ms, k.errors));
      }
      console.log(row(`all ${cls}s`, all[cls].ms, all[cls].errors));
    }

    const req = all.request;
    const calls = req.ms.length + all.poll.ms.length;
    console.log(
      `throughput: ${fix(calls / seconds, 0)} calls/s (${fix(req.ms.length / seconds, 0)} requests/s ` +
        `and ${fix(all.poll.ms.length / seconds, 0)} polls/s) over ${fix(seconds, 1)} s`,
    );
    this.printTail(req.ms);
    this.printWithout(costly);

    const errors = req.errors + all.poll.errors + all.wait.errors;
    if (errors > 0) {
      console.log('errors (first few per kind):');
      for (const [name, k] of this.kinds) for (const s of k.samples) console.log(`  ${name}: ${s}`);
    }
    const s = sorted(req.ms);
    const ratio = quantile(s, 0.99) / quantile(s, 0.5);
    const ok = errors === 0 && ratio <= 10;
    console.log(
      `goal: 0 errors (requests, polls, waits) and request p99 <= 10x p50: ${errors} errors, ` +
        `p99/p50 = ${fix(ratio, 1)}x  ${ok ? 'PASS' : 'FAIL'}`,
    );
    return ok;
  }

  /**
   * For information only (the goal counts every request): the request figures without the kinds
   * that are slow by design (a password hash, a key generation), to tell their share of the tail.
   */
  private printWithout(costly: string[]): void {
    const ms: number[] = [];
    for (const [name, k] of this.kinds)
      if (k.cls === 'request' && !costly.includes(name)) ms.push(...k.ms);
    const s = sorted(ms);
    const p50 = quantile(s, 0.5);
    const p99 = quantile(s, 0.99);
    console.log(
      `requests without ${costly.join(' and ')} (information, not the goal): ` +
        `p50 ${fix(p50)} ms, p99 ${fix(p99)} ms, p99/p50 = ${fix(p99 / p50, 1)}x`,
    );
  }

  /** Which kinds make up the slowest 1% of requests (the samples at or above the overall p99). */
  private printTail(all: number[]): void {
    const p99 = quantile(sorted(all), 0.99);
    const tail: [string, number][] = [];
    let total = 0;
    for (const [name, k] of this.kinds) {
      if (k.cls !== 'request') continue;
      const n = k.ms.filter((ms) => ms >= p99).length;
      total += n;
      if (n > 0) tail.push([name, n]);
    }
    tail.sort((a, b) => b[1] - a[1]);
    const top = tail
      .slice(0, 6)
      .map(([name, n]) => `${name} ${fix((100 * n) / total, 0)}%`)
      .join(', ');
    console.log(`slowest 1% of requests (>= ${fix(p99)} ms) by kind: ${top}`);
  }
}

/** Typed arrays sort numerically (a plain array would sort as strings) and copy cheaply. */
function sorted(xs: number[]): Float64Array {
  return Float64Array.from(xs).sort();
}

/** Nearest-rank quantile of sorted samples (0 when there are none). */
function quantile(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return 0;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

function row(name: string, ms: number[], errors: number): string {
  const s = sorted(ms);
  const p50 = quantile(s, 0.5);
  const p99 = quantile(s, 0.99);
  const max = s.length ? s[s.length - 1]! : 0;
  const ratio = p50 > 0 ? fix(p99 / p50, 1) : '-';
  return `  ${name.padEnd(40)} ${String(s.length).padStart(7)} ${String(errors).padStart(6)} ${fix(p50).padStart(8)} ${fix(p99).padStart(8)} ${fix(max).padStart(8)} ${ratio.padStart(7)}`;
}
