// Shared harness for running Debian's Tempest 33 against the real server (see image.test.ts, volume.test.ts).
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, SYSTEM_PATH, type RunningServer } from '../helpers/server.js';

export const TEMPEST = '/usr/bin/tempest';

/** Formats Tempest may use for the images it creates: bare and raw first, as tests take the first. */
export const IMAGE_FORMATS_CONF = `[image]
container_formats = bare,ovf,ami,ari,aki,ova
disk_formats = raw,qcow2,vhd,vmdk,vdi,iso,ami,ari,aki
`;

/** The tempest.conf sections every suite shares: dynamic credentials against our Keystone. */
export const COMMON_CONF = `[DEFAULT]
log_file = tempest.log

[auth]
use_dynamic_credentials = true
create_isolated_networks = false
admin_username = admin
admin_password = @ADMIN_PASSWORD@
admin_project_name = admin
admin_domain_name = Default
default_credentials_domain_name = Default

[identity]
auth_version = v3
uri_v3 = http://127.0.0.1:@PORT@/identity/v3
region = RegionOne
v3_endpoint_type = public

[identity-feature-enabled]
api_v2 = false
`;
export const ADMIN_PASSWORD = 'admin';
export const DEFAULT_RUN_TIMEOUT_MS = 15 * 60_000;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
  seconds: number;
}

export interface Totals {
  ran: number;
  passed: number;
  skipped: number;
  failed: number;
  expectedFail: number;
  unexpectedSuccess: number;
}

export interface TestLine {
  name: string;
  status: 'ok' | 'FAILED' | 'SKIPPED';
  reason: string;
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

/** Parses the "Totals" block that tempest run (subunit-trace) prints at the end. */
export function parseTotals(output: string): Totals | undefined {
  const block = output.slice(output.lastIndexOf('Totals'));
  const num = (label: string): number | undefined => {
    const m = new RegExp(`^\\s*-?\\s*${label}:\\s*(\\d+)`, 'm').exec(block);
    return m ? Number(m[1]) : undefined;
  };
  const ran = /^Ran:\s*(\d+)\s+tests?/m.exec(block);
  const passed = num('Passed');
  const failed = num('Failed');
  if (!ran || passed === undefined || failed === undefined) return undefined;
  return {
    ran: Number(ran[1]),
    passed,
    skipped: num('Skipped') ?? 0,
    failed,
    expectedFail: num('Expected Fail') ?? 0,
    unexpectedSuccess: num('Unexpected Success') ?? 0,
  };
}

/**
 * Per-test result lines from subunit-trace, e.g.
 *   {0} tempest.api.image.v2.test_images.X.test_y [0.5s] ... ok
 *   {1} setUpClass (tempest.api.image.v2.test_images.ImportImagesTest) ... SKIPPED: Image import is not enabled
 */
export function parseTestLines(output: string): TestLine[] {
  const lines: TestLine[] = [];
  const re = /^\{\d+\}\s+(.+?)(?:\s+\[[\d.]+s\])?\s+\.\.\.\s+(ok|FAILED|SKIPPED)(?::\s*(.*))?$/gm;
  for (const m of output.matchAll(re)) {
    lines.push({
      name: m[1]!.replace(/\[[^\]]*\]$/, '').trim(),
      status: m[2] as TestLine['status'],
      reason: (m[3] ?? '').trim(),
    });
  }
  return lines;
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

/** Fills @NAME@ placeholders (ADMIN_PASSWORD, PORT, WORKSPACE and any extras) and writes etc/tempest.conf. */
export function writeConfig(
  workspace: string,
  template: string,
  vars: Record<string, string>,
): void {
  let conf = template;
  for (const [k, v] of Object.entries(vars)) conf = conf.replaceAll(`@${k}@`, v);
  const leftover = /@[A-Z_]+@/.exec(conf);
  assert.equal(
    leftover,
    null,
    `unfilled placeholder ${leftover?.[0]} in the tempest.conf template`,
  );
  // Log to the workspace (appending, safe with several workers) instead of cwd.
  conf = conf.replace(
    /^log_file\s*=.*$/m,
    `log_file = tempest.log\nlog_dir = ${path.join(workspace, 'logs')}`,
  );
  fs.mkdirSync(path.join(workspace, 'lock'), { recursive: true });
  fs.mkdirSync(path.join(workspace, 'logs'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'etc', 'tempest.conf'), conf);
  // etc/logging.conf (copied by `tempest init`) would override log_file and truncate per worker.
  fs.rmSync(path.join(workspace, 'etc', 'logging.conf'), { force: true });
}

/** Gets a project-scoped token for admin/admin and the catalog, for preparing fixtures before the run. */
export async function adminSession(
  server: RunningServer,
): Promise<{ token: string; catalog: CatalogEntry[] }> {
  const res = await fetch(new URL('/identity/v3/auth/tokens', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: { name: 'admin', domain: { name: 'Default' }, password: ADMIN_PASSWORD },
          },
        },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    }),
  });
  const text = await res.text();
  assert.equal(res.status, 201, `admin token request failed: ${res.status} ${text}`);
  const token = res.headers.get('x-subject-token');
  assert.ok(token, 'no X-Subject-Token on the admin token response');
  const body = JSON.parse(text) as { token: { catalog?: CatalogEntry[] } };
  return { token, catalog: body.token.catalog ?? [] };
}

export interface CatalogEntry {
  type: string;
  endpoints: { interface: string; url: string }[];
}

/** The public endpoint URL of a catalog service type. */
export function endpointOf(catalog: CatalogEntry[], type: string): string {
  const ep = catalog.find((s) => s.type === type)?.endpoints.find((e) => e.interface === 'public');
  assert.ok(ep, `no public ${type} endpoint in the catalog`);
  return ep.url.replace(/\/$/, '');
}

export interface SuiteContext {
  server: RunningServer;
  port: string;
  workspace: string;
}

export interface TempestSuite {
  /** tempest.conf with @ADMIN_PASSWORD@, @PORT@, @WORKSPACE@ and any placeholders returned by prepare(). */
  confTemplate: string;
  regex: string;
  excludeRegex?: string;
  concurrency?: number;
  timeoutMs?: number;
  /** Creates fixtures on the running server (e.g. an image for [compute] image_ref); returns extra placeholders. */
  prepare?: (ctx: SuiteContext) => Promise<Record<string, string>>;
  /**
   * When given, every skip reason must match one of these: a skip for any other reason (a missing
   * microversion, an unexpected feature probe) fails the run instead of passing quietly.
   */
  allowedSkipReasons?: RegExp[];
}

/**
 * Starts a server, creates a tempest workspace with a private HOME, writes tempest.conf, runs
 * `tempest run`, reports totals and skips as diagnostics, and asserts that nothing failed.
 *
 * Environment: POCKETSTACK_TEMPEST_REGEX overrides the suite's regex (to rerun a few tests while
 * triaging); POCKETSTACK_TEMPEST_KEEP=1 keeps the workspace and server data even when the run passed.
 * The workspace keeps tempest-output.txt, server.log, etc/tempest.conf and logs/tempest.log.
 */
export async function runTempestSuite(t: TestContext, suite: TempestSuite): Promise<void> {
  const timeoutMs = suite.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
  const regex = process.env.POCKETSTACK_TEMPEST_REGEX || suite.regex;
  const keep = process.env.POCKETSTACK_TEMPEST_KEEP === '1';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-tempest-'));
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
    const out = result.output;
    fs.writeFileSync(path.join(workspace, 'tempest-output.txt'), out);
    const totals = parseTotals(out);
    const lines = parseTestLines(out);
    const failures = lines.filter((l) => l.status === 'FAILED').map((l) => l.name);
    const skips = lines.filter((l) => l.status === 'SKIPPED');

    t.diagnostic(
      `tempest run took ${result.seconds.toFixed(1)}s, exit ${result.code ?? result.signal}`,
    );
    if (totals) t.diagnostic(`totals: ${JSON.stringify(totals)}`);
    for (const s of skips) t.diagnostic(`skipped: ${s.name}: ${s.reason || '(no reason)'}`);
    for (const f of failures) t.diagnostic(`FAILED: ${f}`);

    const dump = (): string => {
      const parts = [
        `tempest run exit=${result.code ?? result.signal} timedOut=${result.timedOut} after ${result.seconds.toFixed(0)}s`,
      ];
      parts.push(
        `workspace: ${workspace} (etc/tempest.conf, logs/tempest.log, tempest-output.txt, server.log)`,
      );
      if (failures.length)
        parts.push(`failing tests (${failures.length}):\n  ${failures.join('\n  ')}`);
      parts.push(`--- tail of tempest output ---\n${out.slice(-30_000)}`);
      const errs = errorLogLines(server);
      parts.push(
        `--- server log lines with status >= 400 (${errs.length}) ---\n${errs.slice(-200).join('\n')}`,
      );
      return parts.join('\n');
    };

    try {
      assert.equal(result.timedOut, false, `tempest run timed out after ${timeoutMs / 1000}s`);
      assert.ok(totals, 'no Totals block in tempest output');
      assert.equal(totals.failed, 0, `${totals.failed} tempest test(s) failed`);
      assert.deepEqual(failures, [], 'tempest reported FAILED tests');
      assert.ok(totals.passed > 0, 'no tempest test passed');
      assert.equal(result.code, 0, 'tempest run exited non-zero');
      const unexplained = skips.filter((s) => !s.reason).map((s) => s.name);
      assert.deepEqual(unexplained, [], 'skipped tests without a skip reason');
      if (totals.skipped > 0)
        assert.ok(skips.length > 0, 'Totals report skips but no SKIPPED lines were found');
      if (suite.allowedSkipReasons) {
        const allowed = suite.allowedSkipReasons;
        const unexpected = skips
          .filter((s) => !allowed.some((re) => re.test(s.reason)))
          .map((s) => `${s.name}: ${s.reason}`);
        assert.deepEqual(
          unexpected,
          [],
          'tests skipped for a reason that is not a configuration choice',
        );
      }
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
