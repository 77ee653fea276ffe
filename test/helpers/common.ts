/**
 * Small helpers that many test files share: the InvalidInputError a call throws, a seeded random source, whether a
 * process still runs, waiting for a condition, and a gate that holds handlers until the test lets them go.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { expect } from 'vitest';
import { isLambdaMeterError } from '../../src/errors.js';
import type { InvalidInputError } from '../../src/errors.js';

/** Runs `fn` and returns the InvalidInputError it throws; fails the test when it throws nothing or something else. */
export function invalid(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (err) {
    expect(isLambdaMeterError(err, 'InvalidInputError')).toBe(true);
    return err as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

/** mulberry32, the project's seeded generator: a test sees the same numbers on every run. */
export { mulberry32 as seeded } from '../../src/internal/random.js';

/** True while a process runs: it exists and is not a zombie waiting for its (re)parent to reap it. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `condition` holds, checking every 10 ms; fails after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/**
 * A gate for test/fixtures/functions/gate.mjs: invocations whose event carries `{ gate: gate.path }` run until
 * `open()`. A test holds a concurrency or keeps an environment busy for as long as its own steps take, however slow
 * the machine, instead of a sleep that must outlast them. `remove()` deletes the file again (and its folder).
 */
export function fileGate(): { readonly path: string; open(): void; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lm-gate-'));
  const path = join(dir, 'open');
  return {
    path,
    open: () => writeFileSync(path, 'open'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * SDK client settings for tests that inject throttles and 5xx: the SDK's default 3 attempts per send, with a 1 ms
 * back-off instead of its real waits (lambda-meter counts these attempts in its per-call request cap).
 */
export function fastSdkRetry(): { retryStrategy: ConfiguredRetryStrategy } {
  return { retryStrategy: new ConfiguredRetryStrategy(3, () => 1) };
}
