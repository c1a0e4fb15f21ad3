import { execFile } from 'node:child_process';

/** The qemu-utils programs the layer store runs. */
export type QemuTool = 'qemu-img' | 'qemu-io';

/** A qemu-img (or qemu-io) run failed; `stderr` is what the tool said, for logs and bug reports. */
export class QemuImgFailed extends Error {
  constructor(
    readonly tool: QemuTool,
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    const why = signal
      ? `killed by ${signal}`
      : exitCode === null
        ? 'could not start'
        : `exit code ${exitCode}`;
    const said = stderr.trim().split('\n').pop() ?? '';
    super(`${tool} ${args[0] ?? ''} failed (${why})${said ? `: ${said}` : ''}`);
  }
}

export interface QemuRunOptions {
  /** Killed (SIGKILL) after this long; outputs of a killed run are temp files the caller removes. */
  timeoutMs: number;
  cwd?: string;
}

/**
 * Runs a qemu-utils program without a shell and returns its stdout. Every caller passes `-f`
 * explicitly: letting qemu probe the format of a file a user uploaded is how a raw image that
 * looks like a qcow2 header gets to name a host file as its backing.
 */
export function runQemu(
  tool: QemuTool,
  args: readonly string[],
  opts: QemuRunOptions,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      `/usr/bin/${tool}`,
      args,
      {
        cwd: opts.cwd,
        timeout: opts.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
        // Untranslated messages, so stderr reads the same in every log.
        env: { ...process.env, LC_ALL: 'C' },
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & {
          code?: number | string;
          signal?: NodeJS.Signals | null;
        };
        if (e.code === 'ENOENT') {
          return reject(
            new QemuImgFailed(
              tool,
              args,
              `/usr/bin/${tool} not found: install qemu-utils`,
              null,
              null,
            ),
          );
        }
        // qemu-io reports a failed command on stdout, qemu-img on stderr.
        const said = stderr.trim() || stdout.trim();
        reject(
          new QemuImgFailed(
            tool,
            args,
            said,
            typeof e.code === 'number' ? e.code : null,
            e.signal ?? null,
          ),
        );
      },
    );
  });
}

/** A file name as one value of a `--image-opts` string, where a comma must be doubled. */
export function optValue(value: string): string {
  return value.replaceAll(',', ',,');
}
