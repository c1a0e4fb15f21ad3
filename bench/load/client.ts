// One timed HTTP call and one timed wait, recorded by kind. Node's fetch (undici) keeps
// connections alive by default, so each of the load's clients reuses its sockets.
import { envInt } from '../common.js';
import type { Recorder } from './stats.js';
import type { Project, WorkingSet } from './working-set.js';

const REQUEST_TIMEOUT_MS = 30_000;
/**
 * Polls start fast (an idle snapshot is ready in tens of milliseconds) and back off to this,
 * which bounds both the error of a wait's time and the load that waiting clients add.
 */
const POLL_MAX_MS = envInt('BENCH_POLL_MAX_MS', 250);

export type Json = Record<string, any>;

/** Thrown once an error is recorded, so a sequence of calls stops without counting it twice. */
export class Recorded extends Error {}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Raw bytes, sent as application/octet-stream. */
  bytes?: Buffer<ArrayBuffer>;
  headers?: Record<string, string>;
  /** Statuses that are a success for this call; anything else is an error. */
  expect: number[];
  /** A poll of a wait is recorded apart: how many there are depends on how long the wait is. */
  poll?: boolean;
}

export interface Answer {
  status: number;
  json: Json;
  headers: Headers;
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, a reset) is in its cause. */
function describe(err: unknown): string {
  const e = err as Error & { cause?: { message?: string } };
  return e.cause?.message ? `${e.message} (${e.cause.message})` : e.message;
}

/** Connection failures in a row (no answer at all) after which the server is taken for gone. */
const DEAD_AFTER = 50;

export class Http {
  private readonly stop: AbortSignal;
  private failuresInARow = 0;

  constructor(
    readonly url: string,
    private readonly rec: Recorder,
    /** Aborted by the watchdog or here: every call in flight ends, and clients stop looping. */
    private readonly abort: AbortController,
    private readonly waitTimeoutMs: number,
  ) {
    this.stop = abort.signal;
  }

  async call(kind: string, method: string, path: string, o: CallOptions): Promise<Answer> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers['x-auth-token'] = o.token;
    let body: string | Buffer<ArrayBuffer> | undefined;
    if (o.bytes) {
      headers['content-type'] = 'application/octet-stream';
      body = o.bytes;
    } else if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.body);
    }
    const cls = o.poll ? 'poll' : 'request';
    const t0 = performance.now();
    let status = 0;
    let text = '';
    let resHeaders = new Headers();
    try {
      const res = await fetch(`${this.url}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.any([this.stop, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      status = res.status;
      resHeaders = res.headers;
      text = await res.text(); // read to the end, or the connection is not reused
    } catch (err) {
      // A server that stopped answering would have every client fail as fast as it can loop.
      if (!this.stop.aborted && ++this.failuresInARow >= DEAD_AFTER)
        this.abort.abort(new Error(`the server stopped answering: ${describe(err)}`));
      const detail = `${method} ${path}: ${describe(err)}`;
      this.rec.error(kind, cls, performance.now() - t0, detail);
      throw new Recorded(detail);
    }
    this.failuresInARow = 0;
    const ms = performance.now() - t0;
    if (!o.expect.includes(status)) {
      const detail = `${method} ${path}: ${status} ${text}`;
      this.rec.error(kind, cls, ms, detail);
      throw new Recorded(detail);
    }
    this.rec.ok(kind, cls, ms);
    let json: Json = {};
    if (text && (resHeaders.get('content-type') ?? '').includes('json')) json = JSON.parse(text);
    return { status, json, headers: resHeaders };
  }

  /**
   * Polls `path` (each poll recorded as `pollKind`) until `status(json)` is `want`, or until it
   * answers 404 when `want` is 'gone'. Records the time since `t0` (when the change was asked
   * for) as `kind`; a state named error*, a timeout or a failed poll is an error of `kind`.
   */
  async wait(
    kind: string,
    pollKind: string,
    path: string,
    token: string,
    status: (json: Json) => unknown,
    want: string,
    t0: number,
  ): Promise<void> {
    const deadline = t0 + this.waitTimeoutMs;
    let pause = 5;
    let last: unknown = undefined;
    for (;;) {
      let answer: Answer;
      try {
        answer = await this.call(pollKind, 'GET', path, {
          token,
          expect: want === 'gone' ? [200, 404] : [200],
          poll: true,
        });
      } catch (err) {
        this.rec.error(kind, 'wait', performance.now() - t0, `poll failed (${pollKind})`);
        throw err;
      }
      const now = performance.now();
      if (want === 'gone' && answer.status === 404) return this.rec.ok(kind, 'wait', now - t0);
      last = answer.status === 404 ? 'gone' : status(answer.json);
      if (last === want) return this.rec.ok(kind, 'wait', now - t0);
      if (typeof last === 'string' && (last.startsWith('error') || last === 'killed')) {
        const detail = `${path} went to ${last}`;
        this.rec.error(kind, 'wait', now - t0, detail);
        throw new Recorded(detail);
      }
      if (now >= deadline || this.stop.aborted) {
        const why = this.stop.aborted
          ? 'when the load was stopped'
          : `after ${this.waitTimeoutMs} ms`;
        const detail = `${path} still ${String(last)} ${why} (want ${want})`;
        this.rec.error(kind, 'wait', now - t0, detail);
        throw new Recorded(detail);
      }
      await new Promise((r) => setTimeout(r, Math.min(pause, deadline - now)));
      pause = Math.min(POLL_MAX_MS, pause * 2);
    }
  }
}

/** One of the load's clients: the project it works in and a counter for unique names. */
export interface Client {
  n: number;
  http: Http;
  project: Project;
  set: WorkingSet;
  seq: number;
}

/** Names made by a client are unique: project, client number and its counter. */
export const uniqueName = (c: Client, what: string): string =>
  `${c.project.name}-c${c.n}-${what}-${c.seq++}`;
