import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import {
  openstack,
  openstackJson,
  openstackOk,
  SYSTEM_PATH,
  type CliResult,
  type RunningServer,
} from './server.js';

/** Shared pieces of the Heat client tests (test/client/heat-cli*.test.ts). */
export type Row = Record<string, any>;

export interface HeatCli {
  json<T = Row>(args: string[], opts?: { admin?: boolean }): Promise<T>;
  ok(args: string[], opts?: { admin?: boolean }): Promise<string>;
  run(args: string[], opts?: { admin?: boolean }): Promise<CliResult>;
  /** Writes a template (or environment) file into the test's directory; returns its path. */
  file(name: string, text: string): string;
  /** `stack create ... --wait --poll 1 -f json`: the events printed, then the stack as JSON. */
  createWaiting(args: string[]): Promise<{ events: string; stack: Row }>;
  dir: string;
}

export function heatCli(server: RunningServer, prefix: string): HeatCli {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pocketstack-${prefix}-`));
  const cli: HeatCli = {
    dir,
    json: (args, opts) => openstackJson(server, args, opts),
    ok: (args, opts) => openstackOk(server, args, opts),
    run: (args, opts) => openstack(server, args, opts),
    file(name, text) {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    },
    async createWaiting(args) {
      return splitWaited(await cli.ok([...args, '--wait', '--poll', '1', '-f', 'json']));
    },
  };
  return cli;
}

/**
 * Output of a `--wait -f json` command: the event log lines, then the stack as JSON (an object
 * from create/update, a one-row list from the stack actions).
 */
export function splitWaited(out: string): { events: string; stack: Row } {
  const start = out.search(/^[[{]/m);
  assert.ok(start >= 0, out);
  const parsed = JSON.parse(out.slice(start)) as Row | Row[];
  return { events: out.slice(0, start), stack: Array.isArray(parsed) ? parsed[0]! : parsed };
}

/** The event log lines heatclient prints: `<time> [<stack>.<res>]: <STATUS>  <reason>`. */
export function eventLines(log: string): string[] {
  return log
    .split('\n')
    .filter((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \[/.test(l))
    .map((l) => l.slice('2026-01-01 00:00:00Z '.length));
}

/** Lines of a CLI table as arrays of trimmed cells. */
export function rows(table: string): string[][] {
  return table
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Waits until `stack show` reports a status that is not IN_PROGRESS; returns the stack. */
export function settled(cli: HeatCli, stack: string): Promise<Row> {
  return until(`${stack} to settle`, async () => {
    const s = await cli.json(['stack', 'show', stack]);
    return String(s.stack_status).endsWith('_IN_PROGRESS') ? undefined : s;
  });
}

/**
 * Starts a long-running `openstack` command (stack event list --follow) with unbuffered
 * output; `stop()` interrupts it as Ctrl-C does and returns what it printed.
 */
export function background(
  server: RunningServer,
  args: string[],
): { output: () => string; stop: () => Promise<CliResult> } {
  const child = spawn('/usr/bin/openstack', args, {
    env: {
      PATH: SYSTEM_PATH,
      HOME: process.env.HOME ?? '/tmp',
      LANG: 'C.UTF-8',
      PYTHONUNBUFFERED: '1',
      OS_CLIENT_CONFIG_FILE: path.join(server.dataDir, 'clouds.yaml'),
      OS_CLOUD: 'pocketstack',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  return {
    output: () => stdout,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(force);
      return { code, stdout, stderr };
    },
  };
}
