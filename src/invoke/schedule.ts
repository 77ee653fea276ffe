import { InvalidInputError } from '../errors.js';
import type { WeightedPayload } from './types.js';

/**
 * Shares `count` among `weights` in proportion (largest-remainder method: floors first, then one more to each of the
 * largest remainders, ties to the earlier entry). The shares always add up to `count`.
 */
export function apportion(weights: readonly number[], count: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const quotas = weights.map((w) => (w * count) / total);
  const shares = quotas.map((q) => Math.floor(q));
  let left = count - shares.reduce((a, b) => a + b, 0);
  const order = quotas
    .map((q, i) => ({ i, remainder: q - Math.floor(q) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left--;
  }
  return shares;
}

/**
 * Yields, for each of `count` positions, which entry to use: each entry `shares[i]` times, spread evenly (smooth
 * weighted round-robin), so any prefix of the run already sees the mix. Deterministic.
 */
export function* interleave(shares: readonly number[]): Generator<number, void, undefined> {
  const total = shares.reduce((a, b) => a + b, 0);
  const current = shares.map(() => 0);
  for (let n = 0; n < total; n++) {
    let best = -1;
    for (let i = 0; i < shares.length; i++) {
      current[i] = (current[i] ?? 0) + (shares[i] ?? 0);
      if ((shares[i] ?? 0) > 0 && (best < 0 || (current[i] ?? 0) > (current[best] ?? 0))) best = i;
    }
    current[best] = (current[best] ?? 0) - total;
    yield best;
  }
}

/** Validates a weighted payload list, naming the bad entry. */
export function validateWeights(list: readonly WeightedPayload[], field: string): number[] {
  if (list.length === 0) throw new InvalidInputError(field, 'must hold at least one { payload, weight } entry');
  return list.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null) {
      throw new InvalidInputError(`${field}[${i}]`, 'must be an object { payload, weight }');
    }
    const { weight } = entry;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
      throw new InvalidInputError(`${field}[${i}].weight`, `must be a positive finite number, got ${String(weight)}`);
    }
    return weight;
  });
}
