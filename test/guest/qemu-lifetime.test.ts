// A guest's QEMU must not outlive the pocketstack that started it, even after a kill -9 that
// runs none of its code (setpriv --pdeathsig, qemu-process.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { reapStale } from '../../src/compute/qemu/qemu-process.js';
import { hasTool } from '../../src/compute/qemu/run.js';
import { benchLock } from './guest-kit.js';

const skip = (await hasTool('qemu-system-x86_64'))
  ? false
  : 'qemu-system-x86_64 is not installed: scripts/setup.sh installs qemu-system-x86';

const processModule = fileURLToPath(
  new URL('../../src/compute/qemu/qemu-process.js', import.meta.url),
);

/** A parent that starts an idle QEMU (no disk, TCG), prints its PID and waits to be killed. */
const PARENT = `
const { QemuProcess } = await import(process.argv[1]);
const dir = process.argv[2];
const p = await QemuProcess.start({
  name: 'orphan-check', accel: 'tcg', memoryMb: 64, vcpus: 1, directBoot: null, disks: [],
  configDrive: null, nics: [], consoleLog: dir + '/console.log',
  qmpSocket: dir + '/qmp.sock', pidFile: dir + '/qemu.pid',
});
await p.qmp.execute('stop');
console.log(p.pid);
setInterval(() => {}, 1000);
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test(
  'a QEMU ends when the process that started it is killed with SIGKILL',
  { skip, timeout: 60_000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-orphan-'));
    const release = await benchLock();
    let qemuPid = 0;
    try {
      const parent = spawn(
        process.execPath,
        ['--input-type=module', '-e', PARENT, processModule, dir],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      qemuPid = await new Promise<number>((resolve, reject) => {
        parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
        parent.once('exit', (code) => reject(new Error(`parent ended first (${String(code)})`)));
      });
      assert.ok(qemuPid > 1 && alive(qemuPid));
      const exited = new Promise((r) => parent.once('exit', r));
      parent.kill('SIGKILL');
      await exited;
      const deadline = Date.now() + 15_000;
      while (alive(qemuPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(alive(qemuPid), false, 'QEMU outlived its parent');
    } finally {
      if (qemuPid > 1 && alive(qemuPid)) process.kill(qemuPid, 'SIGKILL');
      release();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('a stale pidfile is acted on only when its PID is still a QEMU with that pidfile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-reap-'));
  try {
    const pidFile = path.join(dir, 'qemu.pid');
    assert.equal(reapStale(pidFile), null, 'no pidfile');
    fs.writeFileSync(pidFile, `${process.pid}\n`);
    assert.equal(reapStale(pidFile), null, 'a PID reused by another program is left alone');
    fs.writeFileSync(pidFile, 'garbage');
    assert.equal(reapStale(pidFile), null);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
