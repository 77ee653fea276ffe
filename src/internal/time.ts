import { InvalidInputError } from '../errors.js';

/** A point in time as the library accepts it: a Date or epoch milliseconds. */
export type TimeInput = Date | number;

/** Converts a Date or epoch-milliseconds value to epoch milliseconds, validating it. */
export function toEpochMs(value: TimeInput, field: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new InvalidInputError(field, `must be a valid Date or epoch milliseconds, got ${String(value)}`);
  }
  return ms;
}

/**
 * The one place where times become the epoch seconds that CloudWatch Logs Insights wants.
 * Start times round down and end times round up, so the requested range is always covered.
 */
export function toEpochSeconds(value: TimeInput, field: string, round: 'down' | 'up'): number {
  const ms = toEpochMs(value, field);
  return round === 'down' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
}
