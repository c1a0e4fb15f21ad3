import { sleep } from '../resources/heat/support.js';

/**
 * Calls `done` until it answers true, waiting between calls a quarter of the time waited so far
 * (5 ms to 1 s): an answer is seen at most ~25% after it is ready, at the cost of about 30 calls
 * in the first 4 s, then one a second as before. The fake driver finishes a build or a delete in milliseconds, a real guest in seconds,
 * and Heat's own poll (1 s) is the ceiling. Doubling from 20 ms put a 20 ms floor under every
 * server delete and saw a build up to twice as late as it was done (bench/stack-seed).
 */
export async function until(done: () => Promise<boolean>, signal: AbortSignal): Promise<void> {
  const start = performance.now();
  while (!(await done())) {
    const waited = performance.now() - start;
    await sleep(Math.min(1000, Math.max(5, waited / 4)), signal);
  }
}
