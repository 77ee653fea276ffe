/**
 * Building cost breakdowns from exact parts, and reading the exact parts back (internal).
 *
 * @module
 * @internal
 */
import { InvalidInputError } from '../errors.js';
import { Dec } from './decimal.js';
import { describe } from '../internal/validate.js';
import type { CostBreakdown } from './types.js';

/** The exact amounts behind a `CostBreakdown`. */
export interface Parts {
  readonly gbSeconds: Dec;
  readonly requests: bigint;
  readonly compute: Dec;
  readonly request: Dec;
  readonly storage: Dec;
}

// Breakdowns built here remember their exact parts, so summing them needs no string parsing.
const exactParts = new WeakMap<object, Parts>();

/** The `CostBreakdown` fields of `parts`. */
export function breakdownFields(parts: Parts): CostBreakdown {
  const gbSeconds = parts.gbSeconds.toString();
  const compute = parts.compute.toString();
  const request = parts.request.toString();
  const storage = parts.storage.toString();
  const total = parts.compute.add(parts.request).add(parts.storage).toString();
  // Number() of the exact decimal string is the correctly rounded nearest double.
  return {
    gbSeconds: Number(gbSeconds),
    requests: Number(parts.requests),
    computeUSD: Number(compute),
    requestUSD: Number(request),
    storageUSD: Number(storage),
    totalUSD: Number(total),
    gbSecondsExact: gbSeconds,
    computeUSDExact: compute,
    requestUSDExact: request,
    storageUSDExact: storage,
    totalUSDExact: total,
  };
}

/** Records the exact parts of a result object and returns it. */
export function remember<T extends CostBreakdown>(result: T, parts: Parts): T {
  exactParts.set(result, parts);
  return result;
}

function exactField(cost: Record<string, unknown>, key: string, field: string): Dec {
  const text = cost[key];
  const dec = typeof text === 'string' ? Dec.parse(text) : undefined;
  if (dec === undefined || dec.isNegative()) {
    throw new InvalidInputError(`${field}.${key}`, `must be an exact non-negative decimal string, got ${describe(text)}`);
  }
  return dec;
}

/** The exact parts of a breakdown: remembered ones, or read from its `…Exact` strings (e.g. after JSON). */
export function partsOf(cost: CostBreakdown, field: string): Parts {
  if (typeof cost !== 'object' || cost === null) {
    throw new InvalidInputError(field, `must be a CostBreakdown object, got ${describe(cost)}`);
  }
  const known = exactParts.get(cost);
  if (known !== undefined) return known;
  const record = cost as unknown as Record<string, unknown>;
  const requests = record.requests;
  if (typeof requests !== 'number' || !Number.isSafeInteger(requests) || requests < 0) {
    throw new InvalidInputError(`${field}.requests`, `must be a non-negative integer, got ${describe(requests)}`);
  }
  return {
    gbSeconds: exactField(record, 'gbSecondsExact', field),
    requests: BigInt(requests),
    compute: exactField(record, 'computeUSDExact', field),
    request: exactField(record, 'requestUSDExact', field),
    storage: exactField(record, 'storageUSDExact', field),
  };
}
