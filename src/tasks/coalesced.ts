/**
 * One run of `work` at a time. A call while one runs gets the next run, which starts after the
 * current one and serves every call made meanwhile: each caller sees a run that began after it
 * asked (a sweep after its delete), and deletes in a burst share runs.
 */
export function coalesced(work: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = (): Promise<void> => {
    current = work().finally(() => {
      current = undefined;
    });
    return current;
  };
  return () => {
    if (!current) return start();
    next ??= current
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return start();
      });
    return next;
  };
}
