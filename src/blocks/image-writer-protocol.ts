// The messages between image-writer.ts and its worker threads (image-writer.worker.ts).

export type ToWorker =
  /**
   * Create (truncate) `path` and write the upload's data to it until answering `released`. The
   * worker opens, syncs, closes and renames the file itself: each of those done from the main
   * thread would be one more wait behind every other request there.
   */
  | { op: 'open'; id: number; path: string; algorithm: string; syncEvery: number }
  /** The next `length` bytes of `buf`, transferred, not copied. */
  | { op: 'data'; id: number; buf: ArrayBuffer; length: number }
  /** All data was sent: finish the hash, fsync and close the file, and rename it to `to`. */
  | { op: 'end'; id: number; to: string }
  /** The upload failed elsewhere: close the file (the main thread removes it). */
  | { op: 'abort'; id: number };

export type FromWorker =
  /** A `data` buffer, written and hashed, handed back for reuse. */
  | { op: 'free'; id: number; buf: ArrayBuffer }
  /** The open, a write, a sync or the rename failed; later data of the upload is dropped. */
  | { op: 'failed'; id: number; error: ErrnoFields }
  /**
   * The answer to `end` or `abort`: the file is closed. With a digest, the data is synced and the
   * file renamed; without, the file (if it was made) is still at its first path.
   */
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
