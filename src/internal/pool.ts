/**
 * The one concurrency pool: at most `concurrency` tasks in flight. `invokeMany` / `iterateInvocations` (results in
 * request order), `queryReports` / `iterateReports` (a work list that grows as full windows split) and `measureHttp`
 * (a fixed number of requests, through {@link runPool}) all run their tasks through it.
 *
 * @module
 */

/** How a task ended. */
export type TaskOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** Options of {@link TaskPool}. */
export interface TaskPoolOptions {
  /**
   * Keep each outcome for {@link TaskPool.next}. A pool whose tasks deliver their own results (and never call
   * `next`) turns this off, so a long run holds no outcomes.
   * @default true
   */
  readonly keepOutcomes?: boolean;
  /** Called after each task settles and has left the pool, so a caller can start the next one at once. */
  readonly onSettled?: () => void;
}

/**
 * Runs tasks with at most `concurrency` in flight. A task's rejection never escapes the pool: it is an outcome.
 *
 * @example
 * ```ts
 * const pool = new TaskPool<number>(3);
 * const work = [1, 2, 3, 4, 5];
 * for (;;) {
 *   while (!pool.full && work.length > 0) { const n = work.shift()!; pool.start(async () => n * 2); }
 *   const outcome = await pool.next();
 *   if (outcome === undefined) break; // nothing left in flight
 *   if (!outcome.ok) throw outcome.error;
 *   console.log(outcome.value);
 * }
 * ```
 */
export class TaskPool<T> {
  readonly #concurrency: number;
  readonly #keepOutcomes: boolean;
  readonly #onSettled: (() => void) | undefined;
  readonly #running = new Set<Promise<void>>();
  readonly #outcomes: TaskOutcome<T>[] = [];
  #wake: (() => void) | undefined;

  constructor(concurrency: number, options: TaskPoolOptions = {}) {
    this.#concurrency = concurrency;
    this.#keepOutcomes = options.keepOutcomes ?? true;
    this.#onSettled = options.onSettled;
  }

  /** Tasks in flight. */
  get size(): number {
    return this.#running.size;
  }

  /** True when `concurrency` tasks are in flight: start no more until one settles. */
  get full(): boolean {
    return this.#running.size >= this.#concurrency;
  }

  /** Starts `task` now. The caller checks {@link full} first; the pool does not queue. */
  start(task: () => Promise<T>): void {
    let run: Promise<T>;
    try {
      run = task();
    } catch (error) {
      run = Promise.reject(error);
    }
    const settled: Promise<void> = run.then(
      (value) => this.#settle(settled, { ok: true, value }),
      (error: unknown) => this.#settle(settled, { ok: false, error }),
    );
    this.#running.add(settled);
  }

  /**
   * The outcome of the next task to settle (in the order they settle), once it has; undefined when no task is in
   * flight and no outcome is waiting.
   */
  async next(): Promise<TaskOutcome<T> | undefined> {
    for (;;) {
      const outcome = this.#outcomes.shift();
      if (outcome !== undefined) return outcome;
      if (this.#running.size === 0) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** Waits until every task in flight has settled; their outcomes are dropped. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
    this.#outcomes.length = 0;
  }

  #settle(settled: Promise<void>, outcome: TaskOutcome<T>): void {
    this.#running.delete(settled);
    if (this.#keepOutcomes) this.#outcomes.push(outcome);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
    this.#onSettled?.();
  }
}

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
  const pool = new TaskPool<void>(Math.max(1, options.concurrency));
  const stopped = options.stopped ?? (() => false);
  let failure: { readonly error: unknown } | undefined;
  let next = 0;
  for (;;) {
    while (failure === undefined && !pool.full && next < count && !stopped()) {
      const index = next++;
      pool.start(() => task(index));
    }
    const outcome = await pool.next();
    if (outcome === undefined) break;
    if (!outcome.ok) failure ??= { error: outcome.error };
  }
  if (failure !== undefined) throw failure.error;
}
