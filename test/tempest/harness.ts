// Runs Debian's Tempest 33 against the real server: a server, a workspace and a private HOME per
// suite, so suites can run at the same time (see tempest.test.ts).
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, SYSTEM_PATH, type RunningServer } from '../helpers/server.js';
import { ADMIN_PASSWORD, writeConfig } from './conf.js';
import {
  checkResults,
  knownFailure,
  readResultsFile,
  RESULTS_FILE,
  SUBUNIT_TO_JSON,
  type Expected,
} from './results.js';

export const TEMPEST = '/usr/bin/tempest';
export const DEFAULT_RUN_TIMEOUT_MS = 15 * 60_000;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
  seconds: number;
}

/** Runs a command with the system PATH and a private HOME, capturing stdout+stderr interleaved. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; home: string; timeoutMs: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { PATH: SYSTEM_PATH, HOME: opts.home, LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so a timeout can end stestr's workers too
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, opts.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, timedOut, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Server log lines (pino JSON) whose response status is >= 400, compacted for reading. */
export function errorLogLines(server: RunningServer): string[] {
  const out: string[] = [];
  for (const line of server.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const res = rec.res as { statusCode?: number } | undefined;
    const status =
      typeof rec.statusCode === 'number'
        ? rec.statusCode
        : typeof rec.status === 'number'
          ? rec.status
          : res?.statusCode;
    const level = typeof rec.level === 'number' ? rec.level : 0;
    if ((typeof status === 'number' && status >= 400) || level >= 50)
      out.push(line.length > 2000 ? `${line.slice(0, 2000)}...` : line);
  }
  return out;
}

export interface SuiteContext {
  server: RunningServer;
  port: string;
  workspace: string;
}

export interface TempestSuite {
  /** Names the suite in diagnostics and in the test's name. */
  name: string;
  /** tempest.conf with @ADMIN_PASSWORD@, @PORT@, @WORKSPACE@ and any placeholders returned by prepare(). */
  confTemplate: string;
  regex: string;
  excludeRegex?: string;
  concurrency?: number;
  timeoutMs?: number;
  /** Creates fixtures on the running server (e.g. an image for [compute] image_ref); returns extra placeholders. */
  prepare?: (ctx: SuiteContext) => Promise<Record<string, string>>;
  /** The exact passes and the only skips allowed: more skips or fewer passes fail the suite. */
  expected: Expected;
}

/**
 * Starts a server, creates a tempest workspace with a private HOME, writes tempest.conf, runs
 * `tempest run`, reads each test's status and skip reason from stestr's subunit stream, and
 * asserts the run is exactly the suite's expected one: no failure, `expected.passed` passes,
 * and only the skips it allows.
 *
 * Environment: POCKETSTACK_TEMPEST_REGEX overrides the suite's regex (to rerun a few tests while
 * triaging; the counts are then not checked, failures and skip reasons still are);
 * POCKETSTACK_TEMPEST_KEEP=1 keeps the workspace and server data even when the run passed.
 * The workspace keeps tempest-output.txt, subunit-results.json, server.log, etc/tempest.conf and
 * logs/tempest.log.
 */
export async function runTempestSuite(t: TestContext, suite: TempestSuite): Promise<void> {
  const timeoutMs = suite.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
  const regex = process.env.POCKETSTACK_TEMPEST_REGEX || suite.regex;
  const keep = process.env.POCKETSTACK_TEMPEST_KEEP === '1';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `pocketstack-tempest-${suite.name}-`));
  const home = path.join(tmp, 'home');
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(home);

  const server = await startServer();
  let passedOk = false;
  try {
    const port = new URL(server.url).port;
    assert.ok(port, `no port in server URL ${server.url}`);

    // A private HOME and workspace registry keep ~/.tempest untouched.
    const init = await run(
      TEMPEST,
      [
        'init',
        '--workspace-path',
        path.join(tmp, 'workspace.yaml'),
        '--name',
        path.basename(tmp),
        workspace,
      ],
      { cwd: tmp, home, timeoutMs: 120_000 },
    );
    assert.equal(init.code, 0, `tempest init failed:\n${init.output}`);
    const extra = suite.prepare ? await suite.prepare({ server, port, workspace }) : {};
    writeConfig(workspace, suite.confTemplate, {
      ADMIN_PASSWORD,
      PORT: port,
      WORKSPACE: workspace,
      ...extra,
    });

    const args = ['run', '--concurrency', String(suite.concurrency ?? 2), '--regex', regex];
    if (suite.excludeRegex) args.push('--exclude-regex', suite.excludeRegex);
    const result = await run(TEMPEST, args, { cwd: workspace, home, timeoutMs });
    fs.writeFileSync(path.join(workspace, 'tempest-output.txt'), result.output);
    const resultsFile = RESULTS_FILE(workspace);
    const decode = await run('/usr/bin/python3', ['-c', SUBUNIT_TO_JSON, resultsFile], {
      cwd: workspace,
      home,
      timeoutMs: 120_000,
    });
    const results = readResultsFile(resultsFile) ?? [];
    const count = (status: string): number => results.filter((r) => r.status === status).length;
    const problems = checkResults(results, suite.expected, { counts: regex === suite.regex });

    t.diagnostic(
      `${suite.name}: tempest run took ${result.seconds.toFixed(1)}s, exit ${result.code ?? result.signal}; ` +
        `${count('success')} passed, ${count('skip')} skipped, ` +
        `${results.length - count('success') - count('skip')} other`,
    );
    for (const s of results.filter((r) => r.status === 'skip'))
      t.diagnostic(`${suite.name} skipped: ${s.id}: ${s.reason || '(no reason)'}`);
    for (const p of problems) t.diagnostic(`${suite.name} PROBLEM: ${p}`);

    const dump = (): string => {
      const parts = [
        `[${suite.name}] tempest run exit=${result.code ?? result.signal} timedOut=${result.timedOut} after ${result.seconds.toFixed(0)}s`,
        `workspace: ${workspace} (etc/tempest.conf, logs/tempest.log, tempest-output.txt, subunit-results.json, server.log)`,
      ];
      if (problems.length)
        parts.push(`differences from the expected run:\n  ${problems.join('\n  ')}`);
      parts.push(`--- tail of tempest output ---\n${result.output.slice(-30_000)}`);
      const errs = errorLogLines(server);
      parts.push(
        `--- server log lines with status >= 400 (${errs.length}) ---\n${errs.slice(-200).join('\n')}`,
      );
      return parts.join('\n');
    };

    try {
      assert.equal(result.timedOut, false, `tempest run timed out after ${timeoutMs / 1000}s`);
      assert.equal(decode.code, 0, `reading stestr's subunit stream failed:\n${decode.output}`);
      assert.ok(results.length > 0, 'the subunit stream holds no test');
      assert.deepEqual(
        problems,
        [],
        `${suite.name}: the Tempest run differs from the expected one`,
      );
      // Tempest exits non-zero when any test fails, the expected failures included.
      const expectedFailures = results.some(
        (r) => r.status !== 'success' && r.status !== 'skip' && knownFailure(r, suite.expected),
      );
      if (!expectedFailures) assert.equal(result.code, 0, 'tempest run exited non-zero');
    } catch (err) {
      console.error(dump());
      throw err;
    }
    passedOk = true;
  } finally {
    await server.stop();
    try {
      if (fs.existsSync(workspace))
        fs.writeFileSync(path.join(workspace, 'server.log'), server.output());
    } catch {
      /* best effort */
    }
    if (passedOk && !keep) {
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    } else console.error(`kept tempest workspace and server data: ${tmp}, ${server.dataDir}`);
  }
}
