/**
 * The one concurrency pool: runs `count` tasks with at most `concurrency` in flight, in index order of start.
 *
 * @module
 */

/** Options of {@link runPool}. */
export interface PoolOptions {
  /** Most tasks in flight at once; a positive integer. */
  readonly concurrency: number;
  /** Checked before each task starts: once it returns true, no further task starts (tasks in flight finish). */
  readonly stopped?: () => boolean;
}

/**
 * Runs `task(0)` … `task(count − 1)`, at most `options.concurrency` at a time, each started as soon as a slot is
 * free. When a task rejects, no further task starts; the pool waits for the tasks in flight and then rejects with
 * the first error. Resolves once every started task has settled.
 *
 * @example
 * ```ts
 * const results: number[] = [];
 * await runPool(10, async (i) => { results[i] = await work(i); }, { concurrency: 3 });
 * ```
 */
export async function runPool(count: number, task: (index: number) => Promise<void>, options: PoolOptions): Promise<void> {
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const stopped = options.stopped ?? (() => false);
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < count && !stopped()) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(0, Math.min(options.concurrency, count));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined) throw failure.error;
}
