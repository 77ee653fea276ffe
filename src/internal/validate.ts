/**
 * The one copy of the input checks every module uses: each throws `InvalidInputError` naming the field.
 *
 * @internal
 */
import { InvalidInputError } from '../errors.js';

/**
 * A short, safe description of a bad value for error messages: numbers and booleans as written, strings quoted and
 * cut at 40 characters, otherwise the kind of value.
 *
 * @example
 * ```ts
 * describe('x'.repeat(50)); // '"xxxx…"' (40 characters and an ellipsis)
 * describe([1]); // 'an array'
 * ```
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  return Array.isArray(value) ? 'an array' : typeof value;
}

/**
 * Returns `value` when it is a positive (safe) integer, else throws InvalidInputError naming `field`.
 *
 * @example
 * ```ts
 * const count = positiveInteger(input.count, 'input.count');
 * ```
 */
export function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidInputError(field, `must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

/**
 * Returns `value` when it is an integer from `min` to `max` (both included), else throws InvalidInputError naming
 * `field`.
 *
 * @example
 * ```ts
 * const count = integerInRange(input.count, 'input.count', 1, 1000);
 * ```
 */
export function integerInRange(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(field, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/**
 * Returns `value` when it is a finite number >= 0, else throws InvalidInputError naming `field`.
 *
 * @example
 * ```ts
 * const delayMs = nonNegativeNumber(options.delayMs, 'options.delayMs');
 * ```
 */
export function nonNegativeNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidInputError(field, `must be a finite number >= 0, got ${describe(value)}`);
  }
  return value;
}

/**
 * Returns `value` when it is a finite number, else throws InvalidInputError naming `field`.
 *
 * @example
 * ```ts
 * const ms = checkFinite(options.timeoutMs, 'options.timeoutMs');
 * ```
 */
export function checkFinite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidInputError(field, `must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/**
 * Throws InvalidInputError naming `field` unless `value` is a function or undefined.
 *
 * @example
 * ```ts
 * optionalFunction(options.onProgress, 'options.onProgress');
 * ```
 */
export function optionalFunction(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new InvalidInputError(field, `must be a function when given, got ${describe(value)}`);
  }
}

/**
 * Throws InvalidInputError naming `field` unless `client` has a `send` method; the message names the client expected,
 * e.g. `service` `'LambdaClient'`.
 *
 * @example
 * ```ts
 * checkClient(client, 'client', 'LambdaClient');
 * checkClient(clients.logs, 'clients.logs', 'CloudWatchLogsClient');
 * ```
 */
export function checkClient(client: unknown, field: string, service: string): void {
  if (typeof (client as { send?: unknown } | null | undefined)?.send !== 'function') {
    throw new InvalidInputError(field, `must be an AWS SDK v3 ${service} (an object with a send method), got ${describe(client)}`);
  }
}
