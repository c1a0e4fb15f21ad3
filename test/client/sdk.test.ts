import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, SYSTEM_PATH, type RunningServer } from '../helpers/server.js';

/** Debian's openstacksdk through the snapshot guide (test/client/sdk_guide.py holds the steps and checks). */
const SCRIPT = path.resolve(fileURLToPath(import.meta.url), '../../../../test/client/sdk_guide.py');

let server: RunningServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

/** Runs one of the SDK scripts next to this test against the server; its last line is JSON. */
function runScript(name: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/python3',
      [path.join(path.dirname(SCRIPT), name)],
      {
        env: {
          PATH: SYSTEM_PATH,
          HOME: process.env.HOME ?? '/tmp',
          LANG: 'C.UTF-8',
          OS_CLIENT_CONFIG_FILE: path.join(server.dataDir, 'clouds.yaml'),
        },
        timeout: 180_000,
      },
      (err, out, errOut) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          stdout: out,
          stderr: errOut,
        }),
    );
  });
}

test('openstacksdk: images, volumes, snapshots, the delete rule, limits and quotas', async () => {
  const { code, stdout, stderr } = await runScript('sdk_guide.py');
  assert.equal(code, 0, `sdk_guide.py failed:\n${stderr}`);
  const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  assert.equal(summary.ok, true);
  assert.equal(summary.delete_refused, 400);
});

test('openstacksdk: create_server, create_image_snapshot, wait_for_server, delete_server', async () => {
  const { code, stdout, stderr } = await runScript('sdk_servers.py');
  assert.equal(code, 0, `sdk_servers.py failed:\n${stderr}`);
  const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  assert.equal(summary.ok, true);
  assert.match(String(summary.address), /^10\.0\.0\.\d+$/);
});
