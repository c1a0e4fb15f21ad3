import { execFile } from 'node:child_process';

/** A host tool the guest builder or driver ran failed; `stderr` is what it said. */
export class HostToolFailed extends Error {
  constructor(
    readonly tool: string,
    readonly args: readonly string[],
    readonly stderr: string,
    why: string,
  ) {
    const said = stderr.trim().split('\n').pop() ?? '';
    super(`${tool} ${args.join(' ')} failed (${why})${said ? `: ${said}` : ''}`);
  }
}

export interface RunOptions {
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Debian's tools first: a python or busybox earlier on PATH must not stand in for them. */
export const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Runs a host program without a shell and returns its stdout. Messages untranslated (LC_ALL=C)
 * so that what a failure says reads the same in every log.
 */
export function run(tool: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      args,
      {
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 120_000,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
        env: { ...process.env, PATH: SYSTEM_PATH, LC_ALL: 'C', ...opts.env },
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { code?: number | string; signal?: string };
        const why =
          e.code === 'ENOENT'
            ? 'not installed: run scripts/setup.sh'
            : e.signal
              ? `killed by ${e.signal}`
              : `exit code ${String(e.code)}`;
        reject(new HostToolFailed(tool, args, stderr, why));
      },
    );
  });
}

/** Whether a program is on the system PATH (for a test to say why it skips). */
export async function hasTool(tool: string): Promise<boolean> {
  try {
    await run('sh', ['-c', 'command -v "$0"', tool], { timeoutMs: 5000 });
    return true;
  } catch {
    return false;
  }
}
