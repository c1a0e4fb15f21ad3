import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { qemuArgs, type QemuLaunch } from './qemu-args.js';
import { QmpClient } from './qmp.js';
import { SYSTEM_PATH } from './run.js';

export const QEMU = 'qemu-system-x86_64';

export interface QemuExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A unix socket's path must fit sun_path (108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

/**
 * One guest's QEMU process, started by us and ended only through its PID (or QMP).
 *
 * It must not outlive pocketstack, even after a kill -9 that runs none of our code. QEMU 7.2 has
 * no option for that (`-run-with` came in 8.1), so it is started through util-linux's
 * `setpriv --pdeathsig SIGTERM`, which sets PR_SET_PDEATHSIG and then execs QEMU: the kernel
 * sends QEMU SIGTERM when the thread that spawned it (Node's main thread) ends, and QEMU ends on
 * SIGTERM as on `quit`, closing its disks cleanly. The pidfile lets a restart find a QEMU left
 * from before (`reapStale`) for the rare race where the parent died before the prctl.
 */
export class QemuProcess {
  private constructor(
    readonly launch: QemuLaunch,
    readonly child: ChildProcess,
    readonly qmp: QmpClient,
    readonly exited: Promise<QemuExit>,
  ) {}

  get pid(): number {
    return this.child.pid ?? -1;
  }

  static async start(launch: QemuLaunch, timeoutMs = 10_000): Promise<QemuProcess> {
    if (Buffer.byteLength(launch.qmpSocket) > MAX_SOCKET_PATH) {
      throw new Error(`QMP socket path too long for a unix socket: ${launch.qmpSocket}`);
    }
    fs.rmSync(launch.qmpSocket, { force: true });
    const stderr: string[] = [];
    const child = spawn('setpriv', ['--pdeathsig', 'SIGTERM', '--', QEMU, ...qemuArgs(launch)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PATH: SYSTEM_PATH, LC_ALL: 'C' },
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => stderr.push(s));
    const exited = new Promise<QemuExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    const failed = exited.then((e): never => {
      const said = stderr.join('').trim().split('\n').pop() ?? '';
      throw new Error(`${QEMU} ended at start (exit ${String(e.code ?? e.signal)}): ${said}`);
    });
    try {
      const qmp = await Promise.race([QmpClient.connect(launch.qmpSocket, timeoutMs), failed]);
      return new QemuProcess(launch, child, qmp, exited);
    } catch (err) {
      if (child.exitCode === null && child.pid) child.kill('SIGKILL');
      await exited;
      throw err;
    } finally {
      failed.catch(() => undefined);
    }
  }

  /** QEMU's run state (`running`, `paused`, `shutdown`, ...), from query-status. */
  async status(): Promise<string> {
    const s = await this.qmp.execute<{ status: string }>('query-status');
    return s.status;
  }

  /** Presses the ACPI power button; the guest decides when (and whether) it powers off. */
  async powerdown(): Promise<void> {
    await this.qmp.execute('system_powerdown');
  }

  /** Stops the vCPUs (Nova's pause): the guest keeps its memory and does not notice. */
  async pause(): Promise<void> {
    await this.qmp.execute('stop');
  }

  async unpause(): Promise<void> {
    await this.qmp.execute('cont');
  }

  /** Nova's hard reboot of a running guest: the machine resets, the process and disks stay. */
  async reset(): Promise<void> {
    await this.qmp.execute('system_reset');
  }

  /** Resolves with the exit once the process has ended, or null after `timeoutMs`. */
  async waitExit(timeoutMs: number): Promise<QemuExit | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends QEMU: `quit` through QMP, SIGKILL to its PID if it has not ended in `graceMs`. */
  async stop(graceMs = 5000): Promise<QemuExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await this.qmp.execute('quit').catch(() => undefined);
      if ((await this.waitExit(graceMs)) === null) this.child.kill('SIGKILL');
    }
    this.qmp.close();
    return this.exited;
  }
}

/**
 * Ends a QEMU left from an earlier pocketstack whose pidfile is `pidFile`, checking first that
 * the PID is still a QEMU with that pidfile on its command line (a PID may have been reused).
 * Returns the PID it signalled, if any.
 */
export function reapStale(pidFile: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 1) return null;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (!cmdline[0]?.endsWith(QEMU) || !cmdline.includes(pidFile)) return null;
    process.kill(pid, 'SIGTERM');
    return pid;
  } catch {
    return null;
  }
}
