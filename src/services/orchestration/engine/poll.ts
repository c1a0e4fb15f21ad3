/** Waits `ms`, or less when `signal` aborts (then throws its reason). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls `done` until it answers true, backing off from 5 ms to 1 s: the fake driver finishes
 * a build or a delete in milliseconds, a real guest in seconds, and Heat's own poll (1 s) is the
 * ceiling. Starting at 20 ms put a 20 ms floor under every server delete (bench/stack-seed).
 */
export async function until(done: () => Promise<boolean>, signal: AbortSignal): Promise<void> {
  let wait = 5;
  while (!(await done())) {
    await sleep(wait, signal);
    wait = Math.min(wait * 2, 1000);
  }
}
