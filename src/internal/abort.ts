import { LambdaMeterAbortError } from '../errors.js';

/** Throws a lambda-meter LambdaMeterAbortError when `signal` is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new LambdaMeterAbortError(what, { cause: signal.reason });
}

/**
 * Resolves after `ms` milliseconds, or rejects with LambdaMeterAbortError as soon as `signal` aborts.
 * The timer is cleared on abort, so nothing is left pending.
 */
export function sleep(ms: number, signal: AbortSignal | undefined, what = 'Wait'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new LambdaMeterAbortError(what, { cause: signal.reason }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new LambdaMeterAbortError(what, { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
