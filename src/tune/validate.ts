/**
 * Validation of power-tuning input: every problem is an InvalidInputError naming the field, before any AWS call.
 *
 * @module
 */
import { ARCHITECTURES, validatePriceTable } from '../cost/index.js';
import type { Architecture, PriceTable } from '../cost/types.js';
import { InvalidInputError } from '../errors.js';
import { resolveRetryOptions } from '../internal/retry.js';
import { nonNegativeNumber, optionalFunction, positiveInteger } from '../internal/validate.js';
import { validateWeights } from '../invoke/schedule.js';
import type { WeightedPayload } from '../invoke/types.js';
import { checkDiscardTopBottom, DEFAULT_DISCARD_TOP_BOTTOM, DEFAULT_RELATIVE_PRECISION, planNextRound } from './adaptive.js';
import { DEFAULT_BALANCED_WEIGHT, checkStrategy, checkWeight } from './analysis.js';
import type { PowerTuneInput, PowerTuneOptions, TuneAdaptiveSettings, TuneStrategy, UpdateWaitOptions } from './types.js';

/** Smallest and largest memory size Lambda accepts, MB (lambda-facts §3). */
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;

/** Prefix of every alias name and description marker a run creates, so leftovers can be recognised. */
export const MARKER_PREFIX = 'lambda-meter-tune';

const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/;

/** The input of a run, checked and with defaults filled in. */
export interface TunePlan {
  readonly functionName: string;
  readonly memorySizes: readonly number[];
  readonly payload: unknown;
  readonly payloads: readonly WeightedPayload[] | undefined;
  readonly payloadWeights: readonly number[] | undefined;
  readonly strategy: TuneStrategy;
  readonly balancedWeight: number;
  readonly count: number | 'adaptive';
  readonly adaptive: TuneAdaptiveSettings;
  /** Trimmed from each end before averaging (the sampler's and the recommendation's `discardTopBottom`). */
  readonly discardTopBottom: number;
  /** Tie tolerance of the recommendation: the sampler's `relativePrecision`. */
  readonly tieTolerance: number;
  readonly concurrency: number;
  readonly onlyColdStarts: boolean;
  readonly allowedErrorTypes: ReadonlySet<string>;
  readonly autoApply: false | '$LATEST' | { readonly alias: string };
  readonly dryRun: boolean;
  readonly architecture: Architecture | undefined;
  readonly region: string | undefined;
  readonly prices: PriceTable | undefined;
  readonly updateWait: Required<UpdateWaitOptions>;
}

/** Checks a memory size list: distinct integers from 128 to 10,240. */
export function checkMemorySizes(value: unknown, field: string): number[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidInputError(field, 'must be a non-empty array of memory sizes in MB');
  }
  const seen = new Set<number>();
  return value.map((m: unknown, i) => {
    if (typeof m !== 'number' || !Number.isInteger(m) || m < MIN_MEMORY_MB || m > MAX_MEMORY_MB) {
      throw new InvalidInputError(`${field}[${i}]`, `must be an integer from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} (MB), got ${String(m)}`);
    }
    if (seen.has(m)) throw new InvalidInputError(`${field}[${i}]`, `repeats ${m}`);
    seen.add(m);
    return m;
  });
}

function checkAdaptive(value: unknown, field: string): TuneAdaptiveSettings {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) throw new InvalidInputError(field, 'must be an object');
  const a = value as TuneAdaptiveSettings;
  for (const key of ['minSamples', 'maxSamples', 'batchSize'] as const) {
    if (a[key] !== undefined) positiveInteger(a[key], `${field}.${key}`);
  }
  if (a.minSamples !== undefined && a.maxSamples !== undefined && a.minSamples > a.maxSamples) {
    throw new InvalidInputError(`${field}.maxSamples`, `must be >= minSamples (${a.minSamples}), got ${a.maxSamples}`);
  }
  for (const key of ['relativePrecision', 'confidence'] as const) {
    const v = a[key];
    if (v !== undefined && (typeof v !== 'number' || !(v > 0 && v < 1))) {
      throw new InvalidInputError(`${field}.${key}`, `must be a number between 0 and 1 (exclusive), got ${String(v)}`);
    }
  }
  return a;
}

function checkAutoApply(value: unknown, field: string): TunePlan['autoApply'] {
  if (value === undefined || value === false) return false;
  if (value === '$LATEST') return value;
  if (typeof value === 'object' && value !== null) {
    const alias = (value as { alias?: unknown }).alias;
    if (typeof alias !== 'string' || !ALIAS_NAME.test(alias)) {
      throw new InvalidInputError(`${field}.alias`, `must be an alias name (letters, digits, - and _, not only digits), got ${JSON.stringify(alias)}`);
    }
    if (alias.startsWith(MARKER_PREFIX)) {
      throw new InvalidInputError(`${field}.alias`, `must not start with ${MARKER_PREFIX} (reserved for the run's own aliases)`);
    }
    return { alias };
  }
  throw new InvalidInputError(field, `must be false, '$LATEST' or { alias }, got ${JSON.stringify(value)}`);
}

function checkWait(value: unknown, field: string): Required<UpdateWaitOptions> {
  if (value !== undefined && (typeof value !== 'object' || value === null)) throw new InvalidInputError(field, 'must be an object');
  const w = (value ?? {}) as UpdateWaitOptions;
  return {
    minDelayMs: nonNegativeNumber(w.minDelayMs ?? 250, `${field}.minDelayMs`),
    maxDelayMs: nonNegativeNumber(w.maxDelayMs ?? 5000, `${field}.maxDelayMs`),
    maxWaitMs: nonNegativeNumber(w.maxWaitMs ?? 300_000, `${field}.maxWaitMs`),
  };
}

/** True when a function name, partial ARN or ARN names a version or alias. */
function hasQualifier(name: string): boolean {
  const arn = /(?:^|:)function:([^:]+)(:.*)?$/.exec(name);
  return arn === null ? name.includes(':') : arn[2] !== undefined;
}

/**
 * Checks everything about a run's input and options that can be checked without calling AWS.
 *
 * @throws InvalidInputError naming the first bad field.
 */
export function validateTuneInput(input: PowerTuneInput, options: PowerTuneOptions, needsFunction: boolean): TunePlan {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('input', 'must be an object');
  const i = input;
  if (needsFunction && (typeof i.functionName !== 'string' || i.functionName.trim() === '')) {
    throw new InvalidInputError('input.functionName', 'must be a non-empty string');
  }
  if (needsFunction && hasQualifier(i.functionName)) {
    throw new InvalidInputError('input.functionName', `must not carry a qualifier (the run works on $LATEST), got ${i.functionName}`);
  }
  const memorySizes = checkMemorySizes(i.memorySizes, 'input.memorySizes');
  if (i.payload !== undefined && i.payloads !== undefined) {
    throw new InvalidInputError('input.payloads', 'give either payload or payloads, not both');
  }
  const payloadWeights = i.payloads === undefined ? undefined : validateWeights(i.payloads, 'input.payloads');
  const strategy = checkStrategy(i.strategy ?? 'cost', 'input.strategy');
  const balancedWeight = checkWeight(i.balancedWeight ?? DEFAULT_BALANCED_WEIGHT, 'input.balancedWeight');
  if ((i as { invocations?: unknown }).invocations !== undefined) {
    throw new InvalidInputError('input.invocations', 'is now input.count (invocations per memory size, or "adaptive")');
  }
  const count = i.count ?? 'adaptive';
  if (count !== 'adaptive') {
    positiveInteger(count, 'input.count');
    if (payloadWeights !== undefined && count < payloadWeights.length && i.dryRun !== true) {
      throw new InvalidInputError('input.count', `must be at least the number of payloads (${payloadWeights.length}), got ${count}`);
    }
  }
  const concurrency = positiveInteger(i.concurrency ?? 1, 'input.concurrency');
  if (i.allowedErrorTypes !== undefined && (!Array.isArray(i.allowedErrorTypes) || i.allowedErrorTypes.some((t) => typeof t !== 'string'))) {
    throw new InvalidInputError('input.allowedErrorTypes', 'must be an array of errorType strings');
  }
  for (const key of ['onlyColdStarts', 'dryRun'] as const) {
    if (i[key] !== undefined && typeof i[key] !== 'boolean') throw new InvalidInputError(`input.${key}`, `must be a boolean, got ${typeof i[key]}`);
  }
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  const o = options;
  optionalFunction(o.onProgress, 'options.onProgress');
  if (o.signal !== undefined && (typeof o.signal !== 'object' || o.signal === null || typeof o.signal.aborted !== 'boolean')) {
    throw new InvalidInputError('options.signal', 'must be an AbortSignal');
  }
  if (i.architecture !== undefined && !ARCHITECTURES.includes(i.architecture)) {
    throw new InvalidInputError('input.architecture', `must be one of ${ARCHITECTURES.join(', ')}, got ${JSON.stringify(i.architecture)}`);
  }
  if (i.region !== undefined && (typeof i.region !== 'string' || i.region === '')) {
    throw new InvalidInputError('input.region', 'must be a non-empty string');
  }
  if (o.prices !== undefined) validatePriceTable(o.prices);
  const adaptive = checkAdaptive(i.adaptive, 'input.adaptive');
  const discardTopBottom = checkDiscardTopBottom(i.discardTopBottom ?? DEFAULT_DISCARD_TOP_BOTTOM, 'input.discardTopBottom');
  if (count === 'adaptive') {
    try {
      planNextRound(memorySizes.map((m) => ({ memorySizeMB: m, durationsMs: [], costsUSD: [] })), { strategy, balancedWeight, discardTopBottom, ...adaptive });
    } catch (err) {
      // The sampler names its options `options.*`; here they are `input.adaptive.*`.
      if (!InvalidInputError.is(err)) throw err;
      throw new InvalidInputError(err.field.replace(/^options\./, 'input.adaptive.'), err.message.replace(/^Invalid [^:]*: /, ''), { cause: err });
    }
  }
  resolveRetryOptions(o.retry, 'options.retry');
  resolveRetryOptions(o.cleanupRetry, 'options.cleanupRetry');
  return {
    functionName: needsFunction ? i.functionName : '',
    memorySizes,
    payload: i.payload,
    payloads: i.payloads,
    payloadWeights,
    strategy,
    balancedWeight,
    count,
    adaptive,
    discardTopBottom,
    tieTolerance: adaptive.relativePrecision ?? DEFAULT_RELATIVE_PRECISION,
    concurrency,
    onlyColdStarts: i.onlyColdStarts ?? false,
    allowedErrorTypes: new Set(i.allowedErrorTypes ?? []),
    autoApply: checkAutoApply(i.autoApply, 'input.autoApply'),
    dryRun: i.dryRun ?? false,
    architecture: i.architecture,
    region: i.region,
    prices: o.prices,
    updateWait: checkWait(o.updateWait, 'options.updateWait'),
  };
}
