/**
 * What a power-tuning run will cost and take, before it spends anything.
 *
 * @module
 */
import { DEFAULT_PRICES, invocationCost } from '../cost/index.js';
import { InvalidInputError } from '../errors.js';
import type { EstimateTuneInput, PowerTuneOptions, TuneEstimate } from './types.js';
import { validateTuneInput } from './validate.js';

/** The adaptive sampler's default `maxSamples`: an adaptive run's upper bound per memory size. */
const ADAPTIVE_MAX_SAMPLES = 50;
/** Client and service overhead assumed per invocation, ms (the network round trip and Lambda's own work). */
const OVERHEAD_MS = 50;
/** PublishVersion and CreateAlias, plus deleting both again, assumed per version, seconds. */
const VERSION_SECONDS = 1;

/**
 * Estimates a run before it starts: how many invocations (an upper bound with adaptive sampling: `maxSamples`, 50
 * by default, per memory size, plus one cold start), how many versions it publishes, what the invocations cost
 * (priced at `expectedDurationMs` per invocation, 100 ms unless given) and how long it takes (each configuration
 * update assumed to take `updateSeconds`, 3 s unless given, plus the invocations at the given concurrency).
 *
 * @throws InvalidInputError naming the field, as {@link powerTune} would.
 *
 * @example
 * ```ts
 * const e = estimateTune({ memorySizes: [128, 512, 1024], count: 20, expectedDurationMs: (mb) => 200_000 / mb }, { prices: DEFAULT_PRICES });
 * console.log(e.invocations, e.versions, e.estimatedUSD.toFixed(6), e.estimatedSeconds);
 * ```
 */
export function estimateTune(input: EstimateTuneInput, options: Pick<PowerTuneOptions, 'prices'> = {}): TuneEstimate {
  const plan = validateTuneInput(input as Parameters<typeof validateTuneInput>[0], options, false);
  const expected = input.expectedDurationMs ?? 100;
  if (typeof expected !== 'function' && (typeof expected !== 'number' || !Number.isFinite(expected) || expected < 0)) {
    throw new InvalidInputError('input.expectedDurationMs', `must be a number >= 0 or a function of the memory size, got ${String(expected)}`);
  }
  const updateSeconds = input.updateSeconds ?? 3;
  if (typeof updateSeconds !== 'number' || !Number.isFinite(updateSeconds) || updateSeconds < 0) {
    throw new InvalidInputError('input.updateSeconds', `must be a number >= 0, got ${String(updateSeconds)}`);
  }
  const durationAt = (mb: number): number => {
    const d = typeof expected === 'function' ? expected(mb) : expected;
    if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) {
      throw new InvalidInputError('input.expectedDurationMs', `returned ${String(d)} for ${mb} MB; must be a number >= 0`);
    }
    return d;
  };
  const perSize = plan.dryRun
    ? 1
    : plan.count === 'adaptive'
      ? (plan.adaptive.maxSamples ?? ADAPTIVE_MAX_SAMPLES) + (plan.onlyColdStarts ? 0 : 1)
      : plan.count;
  const prices = plan.prices ?? DEFAULT_PRICES;
  let usd = 0;
  let invokeSeconds = 0;
  for (const mb of plan.memorySizes) {
    const ms = durationAt(mb);
    usd += perSize * invocationCost({ memorySizeMB: mb, durationMs: ms, architecture: plan.architecture, region: plan.region }, { prices }).totalUSD;
    const parallel = plan.onlyColdStarts ? 1 : Math.min(plan.concurrency, perSize);
    invokeSeconds += (Math.ceil(perSize / parallel) * (ms + OVERHEAD_MS)) / 1000;
  }
  const versions = plan.memorySizes.length * (plan.onlyColdStarts ? perSize : 1) + (typeof plan.autoApply === 'object' ? 1 : 0);
  // One update per version, the restore, and one more for an alias autoApply.
  const updates = versions + 1 + (typeof plan.autoApply === 'object' ? 1 : 0);
  return {
    invocations: perSize * plan.memorySizes.length,
    versions,
    estimatedUSD: usd,
    estimatedSeconds: updates * updateSeconds + versions * VERSION_SECONDS + invokeSeconds,
  };
}
