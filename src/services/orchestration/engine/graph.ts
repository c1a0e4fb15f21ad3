/**
 * Steps running at once in one walk, as Heat's engine worker runs resource checks on a pool of
 * threads (executor_thread_pool_size, 64). Unbounded, hundreds of steps queue on the database's
 * one connection, whose lock wakes every waiter at each release (kysely's ConnectionMutex): in
 * bench/stack-concurrency's 250 independent resources that cost about a tenth of the create's CPU.
 */
export const MAX_RUNNING = 64;

/**
 * Runs a step for every node of a dependency graph, each as soon as the nodes it needs are
 * done, ready nodes at once (up to `limit`): how Heat's convergence engine walks a stack. After
 * the first failure no new step starts; steps already running finish (their own writes are
 * guarded by the stack's traversal), and the first error is thrown.
 */
export async function walk(
  nodes: Iterable<string>,
  needs: (node: string) => Iterable<string>,
  step: (node: string) => Promise<void>,
  signal?: AbortSignal,
  limit = MAX_RUNNING,
): Promise<void> {
  const waiting = new Map<string, Set<string>>();
  const dependents = new Map<string, string[]>();
  const all = new Set(nodes);
  for (const node of all) {
    const before = new Set([...needs(node)].filter((n) => all.has(n) && n !== node));
    waiting.set(node, before);
    for (const b of before) {
      const list = dependents.get(b) ?? [];
      list.push(node);
      dependents.set(b, list);
    }
  }
  // Nodes whose needs are all done, in the order they became ready (no scan per step).
  const ready = [...waiting].filter(([, before]) => before.size === 0).map(([node]) => node);
  let next = 0;
  let failure: unknown = null;
  let running = 0;
  return new Promise<void>((resolve, reject) => {
    const finish = () => {
      if (running > 0) return;
      if (failure !== null) reject(failure);
      else resolve();
    };
    const launch = () => {
      if (failure === null && signal?.aborted) failure = signal.reason ?? new Error('aborted');
      while (failure === null && running < limit && next < ready.length) {
        const node = ready[next++]!;
        waiting.delete(node);
        running++;
        step(node).then(
          () => {
            running--;
            for (const d of dependents.get(node) ?? []) {
              const before = waiting.get(d);
              if (before?.delete(node) && before.size === 0) ready.push(d);
            }
            launch();
          },
          (err: unknown) => {
            running--;
            if (failure === null) failure = err;
            launch();
          },
        );
      }
      // Nothing running and nothing ready: either done or what is left waits on a cycle, which
      // the template refused at load time, or on a failure.
      finish();
    };
    launch();
  });
}

/** The reverse of `needs` over `nodes`: for deletes, which must wait for their dependents. */
export function reversed(
  nodes: Iterable<string>,
  needs: (node: string) => Iterable<string>,
): (node: string) => string[] {
  const rev = new Map<string, string[]>();
  for (const node of nodes) {
    for (const n of needs(node)) {
      const list = rev.get(n) ?? [];
      list.push(node);
      rev.set(n, list);
    }
  }
  return (node) => rev.get(node) ?? [];
}
