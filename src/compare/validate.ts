/**
 * Validation of a comparison's input and options: every problem is an InvalidInputError naming the field, before any
 * AWS call.
 *
 * @module
 */
import { ARCHITECTURES, validatePriceTable } from '../cost/index.js';
import type { Architecture, PriceTable } from '../cost/types.js';
import { InvalidInputError } from '../errors.js';
import type { UpdateWaitOptions } from '../internal/control-plane.js';
import { resolveRetryOptions } from '../internal/retry.js';
import { describe, integerInRange, nonNegativeNumber, optionalFunction, positiveInteger } from '../internal/validate.js';
import { COMPARE_METRICS } from './types.js';
import type { CompareInput, CompareMetric, CompareOptions, CompareTarget, GridInput, GridOptions } from './types.js';

/** Smallest and largest memory size Lambda accepts, MB. */
const MIN_MEMORY_MB = 128;
const MAX_MEMORY_MB = 10_240;

/** Defaults of a comparison. */
export const COMPARE_DEFAULTS = {
  metric: 'durationMs',
  margin: 0.05,
  confidence: 0.95,
  coldStarts: 0,
  coldStartRate: 0,
  maxInvocations: 2000,
  blockSize: 5,
  minSamples: 10,
} as const;

/** A comparison's input and options, checked, with defaults filled in. */
export interface ComparePlan {
  readonly a: CompareTarget;
  readonly b: CompareTarget;
  readonly metric: CompareMetric;
  readonly margin: number;
  readonly confidence: number;
  readonly coldStarts: number;
  readonly coldStartRate: number;
  readonly maxInvocations: number;
  readonly maxCostUSD: number | undefined;
  readonly maxDurationMs: number | undefined;
  readonly blockSize: number;
  readonly minSamples: number;
  readonly seed: number;
  readonly prices: PriceTable | undefined;
  readonly updateWait: Required<UpdateWaitOptions>;
  readonly clock: () => number;
}

/** True when a function name, partial ARN or ARN names a version or alias. */
function hasQualifier(name: string): boolean {
  const arn = /(?:^|:)function:([^:]+)(:.*)?$/.exec(name);
  return arn === null ? name.includes(':') : arn[2] !== undefined;
}

function openInterval(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new InvalidInputError(field, `must be a number between 0 and 1 (exclusive), got ${describe(value)}`);
  }
  return value;
}

function positiveNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(field, `must be a finite number > 0, got ${describe(value)}`);
  }
  return value;
}

function checkTarget(value: unknown, field: string): CompareTarget {
  if (typeof value !== 'object' || value === null) throw new InvalidInputError(field, 'must be an object ({ functionName, … })');
  const t = value as CompareTarget;
  if (typeof t.functionName !== 'string' || t.functionName.trim() === '') {
    throw new InvalidInputError(`${field}.functionName`, `must be a non-empty string, got ${describe(t.functionName)}`);
  }
  if (hasQualifier(t.functionName)) {
    throw new InvalidInputError(`${field}.functionName`, `must not carry a qualifier (give it as ${field}.qualifier), got ${describe(t.functionName)}`);
  }
  if (t.qualifier !== undefined && (typeof t.qualifier !== 'string' || !/^[a-zA-Z0-9$_-]{1,128}$/.test(t.qualifier))) {
    throw new InvalidInputError(`${field}.qualifier`, `must be a version number, $LATEST or an alias name, got ${describe(t.qualifier)}`);
  }
  if (t.memorySizeMB !== undefined) integerInRange(t.memorySizeMB, `${field}.memorySizeMB`, MIN_MEMORY_MB, MAX_MEMORY_MB);
  if (t.architecture !== undefined && !ARCHITECTURES.includes(t.architecture)) {
    throw new InvalidInputError(`${field}.architecture`, `must be one of ${ARCHITECTURES.join(', ')}, got ${describe(t.architecture)}`);
  }
  if (t.label !== undefined && (typeof t.label !== 'string' || t.label === '')) {
    throw new InvalidInputError(`${field}.label`, `must be a non-empty string, got ${describe(t.label)}`);
  }
  return t;
}

/** The options every compare run shares, checked: an object with `onProgress` and `clock` functions, an AbortSignal, retry settings. */
function checkRunOptions<O extends CompareOptions | GridOptions>(options: O): O {
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  optionalFunction(options.onProgress, 'options.onProgress');
  optionalFunction(options.clock, 'options.clock');
  const signal = options.signal;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof signal.aborted !== 'boolean')) {
    throw new InvalidInputError('options.signal', 'must be an AbortSignal');
  }
  resolveRetryOptions(options.retry, 'options.retry');
  return options;
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

/**
 * Checks everything about a comparison that can be checked without calling AWS.
 *
 * @throws InvalidInputError naming the first bad field.
 */
export function validateCompareInput(input: CompareInput, options: CompareOptions): ComparePlan {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('input', 'must be an object ({ a, b, … })');
  const a = checkTarget(input.a, 'input.a');
  const b = checkTarget(input.b, 'input.b');
  const metric = input.metric ?? COMPARE_DEFAULTS.metric;
  if (!COMPARE_METRICS.includes(metric)) {
    throw new InvalidInputError('input.metric', `must be one of ${COMPARE_METRICS.join(', ')}, got ${describe(metric)}`);
  }
  if (metric === 'initDurationMs') {
    throw new InvalidInputError('input.metric', 'cannot be initDurationMs: sampling stops on warm invocations, which have no Init Duration');
  }
  const margin = openInterval(input.margin ?? COMPARE_DEFAULTS.margin, 'input.margin');
  const coldStarts = integerInRange(input.coldStarts ?? COMPARE_DEFAULTS.coldStarts, 'input.coldStarts', 0, 1000);
  const coldStartRate = input.coldStartRate ?? COMPARE_DEFAULTS.coldStartRate;
  if (typeof coldStartRate !== 'number' || !(coldStartRate >= 0 && coldStartRate <= 1)) {
    throw new InvalidInputError('input.coldStartRate', `must be a number from 0 to 1, got ${describe(coldStartRate)}`);
  }

  const o = checkRunOptions(options);
  const confidence = openInterval(o.confidence ?? COMPARE_DEFAULTS.confidence, 'options.confidence');
  if (o.budget !== undefined && (typeof o.budget !== 'object' || o.budget === null)) throw new InvalidInputError('options.budget', 'must be an object');
  const budget = o.budget ?? {};
  const maxInvocations = positiveInteger(budget.maxInvocations ?? COMPARE_DEFAULTS.maxInvocations, 'options.budget.maxInvocations');
  if (maxInvocations < 2) throw new InvalidInputError('options.budget.maxInvocations', `must be at least 2 (one per side), got ${maxInvocations}`);
  const maxCostUSD = budget.maxCostUSD === undefined ? undefined : positiveNumber(budget.maxCostUSD, 'options.budget.maxCostUSD');
  const maxDurationMs = budget.maxDurationMs === undefined ? undefined : positiveNumber(budget.maxDurationMs, 'options.budget.maxDurationMs');
  const blockSize = positiveInteger(o.blockSize ?? COMPARE_DEFAULTS.blockSize, 'options.blockSize');
  const minSamples = positiveInteger(o.minSamples ?? COMPARE_DEFAULTS.minSamples, 'options.minSamples');
  if (minSamples < 2) throw new InvalidInputError('options.minSamples', `must be at least 2 (an interval needs two values per side), got ${minSamples}`);
  if (o.seed !== undefined && (typeof o.seed !== 'number' || !Number.isSafeInteger(o.seed))) {
    throw new InvalidInputError('options.seed', `must be a safe integer, got ${describe(o.seed)}`);
  }
  if (o.prices !== undefined) validatePriceTable(o.prices);
  return {
    a,
    b,
    metric,
    margin,
    confidence,
    coldStarts,
    coldStartRate,
    maxInvocations,
    maxCostUSD,
    maxDurationMs,
    blockSize,
    minSamples,
    seed: o.seed ?? Math.floor(Math.random() * 2 ** 32),
    prices: o.prices,
    updateWait: checkWait(o.updateWait, 'options.updateWait'),
    clock: o.clock ?? Date.now,
  };
}

/** Defaults of a grid. */
export const GRID_DEFAULTS = { count: 20, blockSize: 1, confidence: 0.95 } as const;

/** A grid's input and options, checked, with defaults filled in. */
export interface GridPlan {
  readonly functionName: string;
  readonly memorySizes: readonly number[];
  /** Undefined: the function's own architecture only. */
  readonly architectures: readonly Architecture[] | undefined;
  readonly payload: unknown;
  readonly count: number;
  readonly blockSize: number;
  readonly confidence: number;
  readonly maxCostUSD: number | undefined;
  readonly maxDurationMs: number | undefined;
  readonly seed: number;
  readonly prices: PriceTable | undefined;
  readonly updateWait: Required<UpdateWaitOptions>;
  readonly clock: () => number;
}

/**
 * Checks everything about a grid that can be checked without calling AWS.
 *
 * @throws InvalidInputError naming the first bad field.
 */
export function validateGridInput(input: GridInput, options: GridOptions): GridPlan {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('input', 'must be an object ({ functionName, memorySizes, architectures })');
  if (typeof input.functionName !== 'string' || input.functionName.trim() === '') {
    throw new InvalidInputError('input.functionName', `must be a non-empty string, got ${describe(input.functionName)}`);
  }
  if (hasQualifier(input.functionName)) {
    throw new InvalidInputError('input.functionName', `must not carry a qualifier (the grid publishes versions from $LATEST), got ${describe(input.functionName)}`);
  }
  if (!Array.isArray(input.memorySizes) || input.memorySizes.length === 0) throw new InvalidInputError('input.memorySizes', 'must be a non-empty array of memory sizes, MB');
  input.memorySizes.forEach((m, i) => integerInRange(m, `input.memorySizes[${i}]`, MIN_MEMORY_MB, MAX_MEMORY_MB));
  const dup = input.memorySizes.findIndex((m, i) => input.memorySizes.indexOf(m) !== i);
  if (dup >= 0) throw new InvalidInputError(`input.memorySizes[${dup}]`, `repeats ${String(input.memorySizes[dup])}`);
  let architectures: Architecture[] | undefined;
  if (input.architectures !== undefined) {
    if (!Array.isArray(input.architectures) || input.architectures.length === 0) throw new InvalidInputError('input.architectures', `must be a non-empty array of ${ARCHITECTURES.join(', ')}`);
    input.architectures.forEach((a, i) => {
      if (!ARCHITECTURES.includes(a)) throw new InvalidInputError(`input.architectures[${i}]`, `must be one of ${ARCHITECTURES.join(', ')}, got ${describe(a)}`);
      if (input.architectures?.indexOf(a) !== i) throw new InvalidInputError(`input.architectures[${i}]`, `repeats ${a}`);
    });
    architectures = [...input.architectures];
  }
  const o = checkRunOptions(options);
  const count = positiveInteger(o.count ?? GRID_DEFAULTS.count, 'options.count');
  if (count < 2) throw new InvalidInputError('options.count', `must be at least 2 (an interval needs two values per configuration), got ${count}`);
  const blockSize = positiveInteger(o.blockSize ?? GRID_DEFAULTS.blockSize, 'options.blockSize');
  const confidence = openInterval(o.confidence ?? GRID_DEFAULTS.confidence, 'options.confidence');
  if (o.budget !== undefined && (typeof o.budget !== 'object' || o.budget === null)) throw new InvalidInputError('options.budget', 'must be an object');
  const budget = o.budget ?? {};
  const maxCostUSD = budget.maxCostUSD === undefined ? undefined : positiveNumber(budget.maxCostUSD, 'options.budget.maxCostUSD');
  const maxDurationMs = budget.maxDurationMs === undefined ? undefined : positiveNumber(budget.maxDurationMs, 'options.budget.maxDurationMs');
  if (o.seed !== undefined && (typeof o.seed !== 'number' || !Number.isSafeInteger(o.seed))) {
    throw new InvalidInputError('options.seed', `must be a safe integer, got ${describe(o.seed)}`);
  }
  if (o.prices !== undefined) validatePriceTable(o.prices);
  return {
    functionName: input.functionName,
    memorySizes: [...input.memorySizes],
    architectures,
    payload: input.payload,
    count,
    blockSize,
    confidence,
    maxCostUSD,
    maxDurationMs,
    seed: o.seed ?? Math.floor(Math.random() * 2 ** 32),
    prices: o.prices,
    updateWait: checkWait(o.updateWait, 'options.updateWait'),
    clock: o.clock ?? Date.now,
  };
}
