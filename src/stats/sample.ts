/**
 * Input checks and small numeric helpers shared by the stats module (internal).
 *
 * @module
 * @internal
 */
import { InvalidInputError } from '../errors.js';
import { describe } from '../internal/validate.js';

/** Checks `values` is a non-empty array of finite numbers; `field` names it in errors. */
export function checkValues(values: readonly number[], field: string): void {
  if (!Array.isArray(values)) throw new InvalidInputError(field, `must be an array of finite numbers, got ${describe(values)}`);
  if (values.length === 0) throw new InvalidInputError(field, 'must not be empty');
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(`${field}[${i}]`, `must be a finite number, got ${describe(v)}`);
    }
  }
}

/** A sorted copy (ascending) of the first `end` values (all by default); the caller's array is never reordered. */
export function sortedCopy(values: readonly number[], end: number = values.length): Float64Array {
  // Float64Array#sort is numeric (no string comparison) and works on the copy.
  return Float64Array.from(end === values.length ? values : values.slice(0, end)).sort();
}

/** Checks a probability in [0, 1] or (0, 1). */
export function checkProbability(value: unknown, field: string, open: boolean): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (open ? value > 0 && value < 1 : value >= 0 && value <= 1);
  if (!ok) throw new InvalidInputError(field, `must be a number in ${open ? '(0, 1)' : '[0, 1]'}, got ${describe(value)}`);
  return value as number;
}

/** Checks a percentile in [0, 100]. */
export function checkPercent(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new InvalidInputError(field, `must be a number from 0 to 100, got ${describe(value)}`);
  }
  return value;
}

/** Checks an options argument is an object (or undefined). */
export function checkOptions(options: unknown, field: string): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidInputError(field, `must be an object, got ${describe(options)}`);
  }
  return options as Record<string, unknown>;
}

/**
 * Percentile `p` (0–100) of sorted data by linear interpolation between closest ranks (Hyndman & Fan type 7):
 * h = (n − 1)·p/100, result = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) with 0-based x.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const x0 = sorted[lo] as number;
  if (lo >= n - 1) return sorted[n - 1] as number;
  const frac = h - lo;
  if (frac === 0) return x0;
  const x1 = sorted[lo + 1] as number;
  // Written so the result stays within [x0, x1] despite rounding.
  const v = x0 + frac * (x1 - x0);
  return v < x0 ? x0 : v > x1 ? x1 : v;
}

/** Neumaier-compensated sum of a range of an array. */
export function compensatedSum(values: ArrayLike<number>, start = 0, end = values.length): number {
  let sum = 0;
  let c = 0;
  for (let i = start; i < end; i++) {
    const v = values[i] as number;
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}
