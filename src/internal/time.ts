import { InvalidInputError } from '../errors.js';

/**
 * A point in time as the library accepts it: a `Date`, epoch milliseconds, or an ISO 8601 date-time string with its
 * offset (`'2026-12-07T09:00:00Z'`, `'2026-12-07T10:00:00+01:00'`). Results always carry epoch milliseconds.
 *
 * @example
 * ```ts
 * const since: TimeInput = Date.now() - 3_600_000; // or new Date(…), or '2026-12-07T09:00:00Z'
 * ```
 */
export type TimeInput = Date | number | string;

// A date, a time and an explicit offset: a string without one would be read in the machine's time zone.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Converts a `TimeInput` to epoch milliseconds, validating it. */
export function toEpochMs(value: TimeInput, field: string): number {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'string' ? (ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN) : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new InvalidInputError(
      field,
      `must be a valid Date, epoch milliseconds or an ISO 8601 date-time with an offset (e.g. 2026-12-07T09:00:00Z), got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
    );
  }
  return ms;
}
