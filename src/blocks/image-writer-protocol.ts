// The messages between image-writer.ts and its worker threads (image-writer.worker.ts).

export type ToWorker =
  /** The main thread opened `fd`; the worker writes to it until it answers `released`. */
  | { op: 'open'; id: number; fd: number; algorithm: string; syncEvery: number }
  /** The next `length` bytes of `buf`, transferred, not copied. */
  | { op: 'data'; id: number; buf: ArrayBuffer; length: number }
  /** All data was sent: finish the hash. */
  | { op: 'end'; id: number }
  /** The upload failed elsewhere: stop using the fd. */
  | { op: 'abort'; id: number };

export type FromWorker =
  /** A `data` buffer, written and hashed, handed back for reuse. */
  | { op: 'free'; id: number; buf: ArrayBuffer }
  /** A write or sync failed; later data of the upload is dropped. */
  | { op: 'failed'; id: number; error: ErrnoFields }
  /** The answer to `end` or `abort`: the worker no longer touches the fd, which may be closed. */
  | { op: 'released'; id: number; digest?: string };

/** What an fs error carries across threads: structured clone keeps an Error's message, not its code. */
export interface ErrnoFields {
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
}

export function errnoOf(err: unknown): ErrnoFields {
  const e = err as NodeJS.ErrnoException;
  return {
    message: e?.message ?? String(err),
    code: e?.code,
    errno: e?.errno,
    syscall: e?.syscall,
  };
}

export function errnoError(fields: ErrnoFields): NodeJS.ErrnoException {
  return Object.assign(new Error(fields.message), {
    code: fields.code,
    errno: fields.errno,
    syscall: fields.syscall,
  });
}
