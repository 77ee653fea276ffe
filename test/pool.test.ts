import { describe, expect, it } from 'vitest';
import { TaskPool, runPool } from '../src/internal/pool.js';

/** A promise settled from outside, so the test decides the order tasks finish in. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('TaskPool: the one concurrency pool', () => {
  it('is full at its concurrency, hands out outcomes in the order tasks settle, and keeps rejections as outcomes', async () => {
    const pool = new TaskPool<string>(2);
    const a = deferred<string>();
    const b = deferred<string>();
    pool.start(() => a.promise);
    expect(pool.full).toBe(false);
    pool.start(() => b.promise);
    expect(pool.full).toBe(true);
    expect(pool.size).toBe(2);
    b.resolve('b');
    expect(await pool.next()).toEqual({ ok: true, value: 'b' });
    expect(pool.full).toBe(false);
    a.reject(new Error('a failed'));
    const failed = await pool.next();
    expect(failed?.ok).toBe(false);
    expect((failed as { error: Error }).error.message).toBe('a failed');
    expect(await pool.next()).toBeUndefined();
    pool.start(() => {
      throw new Error('thrown synchronously');
    });
    expect(await pool.next()).toMatchObject({ ok: false, error: new Error('thrown synchronously') });
  });

  it('tells its owner after each task has left the pool, and keeps no outcomes when told not to', async () => {
    const seen: number[] = [];
    const pool: TaskPool<number> = new TaskPool<number>(1, { keepOutcomes: false, onSettled: () => seen.push(pool.size) });
    pool.start(async () => 1);
    await pool.drain();
    expect(seen).toEqual([0]);
    expect(await pool.next()).toBeUndefined();
  });

  it('runPool never has more than `concurrency` tasks in flight, and after a failure starts none and rejects with it', async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 6 }, () => deferred<void>());
    const run = runPool(
      6,
      async (i) => {
        started.push(i);
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          await gates[i]!.promise;
        } finally {
          inFlight--;
        }
      },
      { concurrency: 2 },
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates[2]!.reject(new Error('task 2 failed'));
    gates[0]!.resolve();
    await expect(run).rejects.toThrow('task 2 failed');
    expect(started).toEqual([0, 1, 2]);
    expect(peak).toBe(2);
  });
});
