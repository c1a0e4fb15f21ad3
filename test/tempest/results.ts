// Per-test results of a Tempest run, read from stestr's subunit stream rather than from the
// human-readable trace, and the check of those results against what a suite expects.
import fs from 'node:fs';
import path from 'node:path';

/** One test (or one class whose setUpClass skipped or failed) as subunit reports it. */
export interface TestResult {
  /** e.g. `tempest.api.image.v2.test_images.X.test_y[id-...]` or `setUpClass (tempest....X)`. */
  id: string;
  /** subunit's status: success, skip, fail, xfail, uxsuccess, or exists/inprogress if it never ended. */
  status: string;
  /** The skip (or failure) reason subunit carries as the `reason` attachment; '' when none. */
  reason: string;
}

/** Skips that a suite's tempest.conf causes on purpose. */
export interface AllowedSkip {
  /** The exact reason Tempest gives. */
  reason: string;
  /** How many tests (or classes, for a setUpClass skip) skip with it. */
  count: number;
}

/** What one run of a suite must show: anything else fails it. */
export interface Expected {
  passed: number;
  skips: readonly AllowedSkip[];
  /**
   * Tests that fail today because what they call is still being built, each named by a part of
   * its id (a class name for its setUpClass). Their failures are not problems; once one passes,
   * `passed` no longer matches, and the entry goes.
   */
  failing?: readonly string[];
}

/** Whether a failed result is one the suite expects to fail for now. */
export function knownFailure(r: TestResult, expected: Expected): boolean {
  return (expected.failing ?? []).some((part) => r.id.includes(part));
}

/**
 * Runs `stestr last --subunit` in the workspace and decodes the stream with python3-subunit
 * (Debian's, the one Tempest itself uses), writing [{id, status, reason}] as JSON to argv[1].
 * stestr keeps every run in the workspace's .stestr repository; the workspace is fresh, so the
 * last run is the one that just finished.
 */
export const SUBUNIT_TO_JSON = `
import io, json, subprocess, sys
import subunit, testtools

stream = subprocess.run(['stestr', 'last', '--subunit'], stdout=subprocess.PIPE, check=True).stdout
tests = []

def add(test):
    reason = test['details'].get('reason')
    tests.append({'id': test['id'], 'status': test['status'],
                  'reason': reason.as_text().strip() if reason else ''})

result = testtools.StreamToDict(add)
result.startTestRun()
subunit.ByteStreamToStreamResult(io.BytesIO(stream), non_subunit_name='stdout').run(result)
result.stopTestRun()
with open(sys.argv[1], 'w') as out:
    json.dump(tests, out)
`;

/** The results file SUBUNIT_TO_JSON wrote (or undefined if it wrote none). */
export function readResultsFile(file: string): TestResult[] | undefined {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TestResult[];
}

export const RESULTS_FILE = (workspace: string): string =>
  path.join(workspace, 'subunit-results.json');

/**
 * Everything in `results` that differs from `expected`, one line each, naming the test id and
 * reason; empty when the run is exactly as expected. With `counts: false` (a triage run of a few
 * tests) only failures and skips for reasons not allowed count.
 */
export function checkResults(
  results: readonly TestResult[],
  expected: Expected,
  { counts = true }: { counts?: boolean } = {},
): string[] {
  const problems: string[] = [];
  const skipsByReason = new Map<string, TestResult[]>();
  for (const r of results) {
    if (r.status === 'success') continue;
    if (r.status !== 'skip') {
      if (knownFailure(r, expected)) continue;
      problems.push(`${r.status}: ${r.id}${r.reason ? `: ${r.reason}` : ''}`);
      continue;
    }
    if (!expected.skips.some((a) => a.reason === r.reason)) {
      problems.push(`unexpected skip: ${r.id}: ${r.reason || '(no reason)'}`);
      continue;
    }
    skipsByReason.set(r.reason, [...(skipsByReason.get(r.reason) ?? []), r]);
  }
  if (!counts) return problems;

  const passed = results.filter((r) => r.status === 'success').length;
  if (passed !== expected.passed) problems.push(`${passed} passed, expected ${expected.passed}`);
  for (const { reason, count } of expected.skips) {
    const skipped = skipsByReason.get(reason) ?? [];
    if (skipped.length !== count)
      problems.push(
        `${skipped.length} skipped with "${reason}", expected ${count}` +
          skipped.map((s) => `\n  ${s.id}`).join(''),
      );
  }
  return problems;
}
