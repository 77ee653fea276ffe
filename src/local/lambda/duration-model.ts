/**
 * How `local` arrives at the Duration and Init Duration it reports.
 *
 * - `'measured'` (the default): wall-clock time, as Lambda measures it. It follows the CPU share `local` gives the
 *   environment, and also whatever else this machine is doing.
 * - `'declared'`: handlers declare their work through the work API that lambda-meter's runtime client puts in every
 *   environment (`globalThis[Symbol.for('lambda-meter.work')]`), and the Duration follows from that work and the
 *   memory size alone: every `wait(ms)` counts as it is, every `cpu(ms)` (single-threaded work that takes `ms` on one
 *   full vCPU) counts as `ms / min(1, memory / 1,769 MB)`, as Lambda's CPU share (lambda-facts §3) would stretch it.
 *   The same handler on the same memory size reports the same Duration on any machine under any load, which is what
 *   tests of the pipelines built on `local` need.
 *
 * @module
 */
import { InvalidInputError } from '../../errors.js';
import { MEMORY_MB_PER_VCPU } from './cpu.js';

/** How `local` arrives at the Duration it reports: `'measured'` wall-clock time, or the handler's `'declared'` work. */
export type DurationModel = 'measured' | 'declared';

/** The duration models, as the `durationModel` option takes them. */
export const DURATION_MODELS: readonly DurationModel[] = ['measured', 'declared'];

/** Work a handler declared in one phase (Init, or one invocation), in milliseconds. */
export interface DeclaredWork {
  /** Single-threaded CPU work, in milliseconds on one full vCPU (1,769 MB). */
  readonly cpuMs: number;
  /** Time spent waiting (I/O, downstream calls), which no CPU share stretches. */
  readonly waitMs: number;
}

/**
 * The work API that lambda-meter's runtime client puts in every execution environment, at
 * `globalThis[Symbol.for('lambda-meter.work')]` (the symbol is {@link WORK_API_KEY}).
 *
 * @example
 * ```ts
 * // In a handler run by lambda-meter/local:
 * const work = (globalThis as Record<symbol, unknown>)[Symbol.for('lambda-meter.work')] as LambdaMeterWork | undefined;
 * export const handler = async () => {
 *   work?.cpu(50); // 50 ms of single-threaded CPU work at one full vCPU
 *   await work?.wait(100); // a 100 ms downstream call
 * };
 * ```
 */
export interface LambdaMeterWork {
  /** The service's duration model: under `'measured'` the calls do the work, under `'declared'` they declare it. */
  readonly model: DurationModel;
  /** Single-threaded CPU work that takes `ms` on one full vCPU: spun for real (`'measured'`) or only counted. */
  cpu(ms: number): void;
  /** A wait of `ms` that no CPU share stretches: slept (`ms / timeScale` under `'declared'`) and counted. */
  wait(ms: number): Promise<void>;
}

/** The global symbol's key of the work API: `globalThis[Symbol.for(WORK_API_KEY)]`. */
export const WORK_API_KEY = 'lambda-meter.work';

/** The header lambda-meter's runtime client reports a phase's declared work in (`{"cpuMs":…,"waitMs":…}`). */
export const WORK_HEADER = 'x-lambda-meter-work';

/** The environment variable that tells the runtime client the model (and the time scale of declared waits). */
export const DURATION_MODEL_ENV = '_LAMBDA_METER_DURATION_MODEL';

/** No work at all. */
export const NO_WORK: DeclaredWork = Object.freeze({ cpuMs: 0, waitMs: 0 });

/**
 * Checks a `durationModel` option.
 *
 * @example
 * ```ts
 * checkDurationModel(undefined, 'options.durationModel'); // 'measured'
 * checkDurationModel('declared', 'options.durationModel'); // 'declared'
 * ```
 */
export function checkDurationModel(value: unknown, name: string): DurationModel {
  if (value === undefined) return 'measured';
  if (value === 'measured' || value === 'declared') return value;
  throw new InvalidInputError(name, `must be 'measured' or 'declared', got ${JSON.stringify(value)}`);
}

/**
 * Reads the work header the runtime client sent; undefined when it is missing or malformed.
 *
 * @example
 * ```ts
 * parseWorkHeader('{"cpuMs":50,"waitMs":100}'); // { cpuMs: 50, waitMs: 100 }
 * parseWorkHeader(undefined); // undefined
 * ```
 */
export function parseWorkHeader(value: string | undefined): DeclaredWork | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { cpuMs, waitMs } = parsed as { cpuMs?: unknown; waitMs?: unknown };
  const valid = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  return valid(cpuMs) && valid(waitMs) ? { cpuMs, waitMs } : undefined;
}

/**
 * The Duration of declared work at a memory size, in milliseconds: the waits as they are, plus the CPU work divided by
 * the share of one vCPU that a single thread gets at that size (memory / 1,769 MB, at most 1).
 *
 * @example
 * ```ts
 * modelledDurationMs({ cpuMs: 50, waitMs: 100 }, 1769); // 150
 * modelledDurationMs({ cpuMs: 50, waitMs: 100 }, 256); // 100 + 50 × 1769 / 256 ≈ 445.51
 * modelledDurationMs({ cpuMs: 50, waitMs: 0 }, 3538); // 50: one thread uses one vCPU at most
 * ```
 */
export function modelledDurationMs(work: DeclaredWork, memorySizeMB: number): number {
  const share = Math.min(1, memorySizeMB / MEMORY_MB_PER_VCPU);
  return work.waitMs + work.cpuMs / share;
}
