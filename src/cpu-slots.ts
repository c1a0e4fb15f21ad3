/**
 * Node's thread pool (4 threads) runs both CPU-heavy crypto (a password's scrypt, ~30 ms; an RSA
 * key, ~100-250 ms) and every asynchronous file operation. Unbounded, a few token issues and key
 * generations at once fill all four threads, and every open, stat and fsync waits behind them:
 * under the mixed load a plain `stat` waited up to 190 ms, which image uploads and volume tasks
 * (a dozen file operations each) paid many times over. Each kind of heavy crypto takes one of its
 * own slots first (password hashes 2, RSA keys 1), so at least one thread is always free for
 * files, and a token issue never queues behind key generations.
 */
const SLOTS = { password: 2, rsa: 1 } as const;

export type CpuKind = keyof typeof SLOTS;

const busy = new Map<CpuKind, number>();
const waiting = new Map<CpuKind, (() => void)[]>();

export async function withCpuSlot<T>(kind: CpuKind, work: () => Promise<T>): Promise<T> {
  const queue = waiting.get(kind) ?? [];
  waiting.set(kind, queue);
  if ((busy.get(kind) ?? 0) >= SLOTS[kind]) await new Promise<void>((r) => queue.push(r));
  else busy.set(kind, (busy.get(kind) ?? 0) + 1);
  try {
    return await work();
  } finally {
    // The slot passes straight to the next waiter, so its count stays as it is.
    const next = queue.shift();
    if (next) next();
    else busy.set(kind, busy.get(kind)! - 1);
  }
}
