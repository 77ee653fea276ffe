/**
 * Axis arithmetic for the charts: "nice" linear ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ), UTC time ticks, linear
 * scales. Pure and deterministic.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { checkFinite } from '../internal/validate.js';
import { formatFixed } from './format.js';

/** Ticks of a linear axis. */
export interface NiceTicks {
  /** First tick: the axis starts here (≤ the data minimum). */
  readonly min: number;
  /** Last tick: the axis ends here (≥ the data maximum). */
  readonly max: number;
  /** Distance between ticks. */
  readonly step: number;
  /** Decimals needed to print every tick exactly. */
  readonly decimals: number;
  /** The tick values, ascending, rounded to `decimals`. */
  readonly values: readonly number[];
}

/** Options of {@link niceTicks}. */
export interface NiceTicksOptions {
  /**
   * About how many intervals to make; the result has between about half and twice as many.
   * @default 5
   */
  readonly count?: number;
  /**
   * Use whole-number steps only (counts).
   * @default false
   */
  readonly integer?: boolean;
}

const NICE_FRACTIONS = [1, 2, 2.5, 5, 10] as const;

/**
 * Ticks that cover `[min, max]` at a round step: 1, 2, 2.5 or 5 times a power of ten. An empty range (`min` equal
 * to `max`) is widened around the value; `min` above `max` is an error.
 *
 * @throws InvalidInputError for a non-finite bound, `min > max`, or a `count` below 1.
 * @example
 * ```ts
 * niceTicks(0, 812).values;   // [0, 200, 400, 600, 800, 1000]
 * niceTicks(0.12, 0.93, { count: 4 }).values; // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function niceTicks(min: number, max: number, options: NiceTicksOptions = {}): NiceTicks {
  checkFinite(min, 'min');
  checkFinite(max, 'max');
  if (min > max) throw new InvalidInputError('max', `must be at least min (${min}), got ${max}`);
  const count = options.count ?? 5;
  if (!Number.isFinite(count) || count < 1) {
    throw new InvalidInputError('options.count', `must be a number ≥ 1, got ${String(count)}`);
  }
  let lo = min;
  let hi = max;
  if (lo === hi) {
    const half = lo === 0 ? 0.5 : Math.abs(lo) / 2;
    // Keep an all-positive (or all-negative) value's axis on its side of zero.
    lo = lo >= 0 && lo - half < 0 ? 0 : lo - half;
    hi = hi + half;
    if (min === 0) lo = 0;
  }
  const raw = (hi - lo) / count;
  const exponent = Math.floor(Math.log10(raw));
  const magnitude = 10 ** exponent;
  const fraction = NICE_FRACTIONS.find((f) => raw / magnitude <= f * (1 + 1e-9)) ?? 10;
  let step = fraction * magnitude;
  let decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (fraction === 2.5 ? 1 : 0));
  if (options.integer === true && step < 1) {
    step = 1;
    decimals = 0;
  }
  step = Number(step.toFixed(Math.min(decimals, 20)));
  // The tolerance keeps a bound that is already on a tick (within rounding error) from adding a tick.
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(Number((i * step).toFixed(Math.min(decimals, 20))));
  return { min: values[0]!, max: values[values.length - 1]!, step, decimals, values };
}

/** Ticks of a time axis. */
export interface TimeTicks {
  /** Distance between ticks, in milliseconds. */
  readonly stepMs: number;
  /** Tick instants (epoch ms, UTC-aligned to the step), all within the range. */
  readonly values: readonly number[];
  /** Tick labels in UTC: `HH:MM:SS`, `HH:MM`, `MM-DD HH:MM` or `YYYY-MM-DD` depending on step and span. */
  readonly labels: readonly string[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY,
];

/**
 * Ticks for a UTC time axis over `[startMs, endMs]`: the smallest step of 1 s … 30 days that makes at most `count`
 * intervals, aligned to multiples of the step since the epoch (so minutes and hours fall on the clock).
 *
 * @throws InvalidInputError for a non-finite bound or `start > end`.
 * @example
 * ```ts
 * const t = niceTimeTicks(Date.UTC(2026, 10, 30, 10, 0), Date.UTC(2026, 10, 30, 12, 0));
 * t.labels; // ['10:00', '10:30', '11:00', '11:30', '12:00']
 * ```
 */
export function niceTimeTicks(startMs: number, endMs: number, count = 6): TimeTicks {
  checkFinite(startMs, 'startMs');
  checkFinite(endMs, 'endMs');
  if (startMs > endMs) throw new InvalidInputError('endMs', `must be at least startMs (${startMs}), got ${endMs}`);
  const span = Math.max(endMs - startMs, SECOND);
  const stepMs =
    TIME_STEPS.find((s) => span / s <= count) ?? Math.ceil(span / count / (30 * DAY)) * 30 * DAY;
  const values: number[] = [];
  for (let t = Math.ceil(startMs / stepMs) * stepMs; t <= endMs; t += stepMs) values.push(t);
  const iso = (t: number): string => new Date(t).toISOString();
  const label =
    stepMs >= DAY
      ? (t: number) => iso(t).slice(0, 10)
      : span > DAY
        ? (t: number) => `${iso(t).slice(5, 10)} ${iso(t).slice(11, 16)}`
        : stepMs < MINUTE
          ? (t: number) => iso(t).slice(11, 19)
          : (t: number) => iso(t).slice(11, 16);
  return { stepMs, values, labels: values.map(label) };
}

/** A linear map from a domain to a range; a zero-width domain maps everything to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * k;
}

/** Formats a tick value with the decimals its axis needs. */
export function formatTick(value: number, ticks: Pick<NiceTicks, 'decimals'>): string {
  return formatFixed(value, ticks.decimals);
}
