/**
 * Baselines and the regression gate of `lambda-meter/compare`: keep the warm samples of an accepted run as a
 * versioned JSON document, and later fail a CI job only when a new run is slower or dearer than that baseline by more
 * than an allowed share, with confidence (noise alone never fails the gate).
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import type { Architecture } from '../cost/types.js';
import { summarize } from '../stats/summarize.js';
import type { Summary } from '../stats/summarize.js';
import { ratioInterval } from './sequential.js';
import { COMPARE_METRICS } from './types.js';
import type { CompareMetric, CompareResult, CompareSample } from './types.js';

/** The `schema` of a {@link CompareBaseline} document. */
export const COMPARE_BASELINE_SCHEMA = 'lambda-meter/compare-baseline';

/** The `schemaVersion` this lambda-meter writes and reads. */
export const COMPARE_BASELINE_SCHEMA_VERSION = 1;

/** The configuration a baseline was measured with (the side's target, with the memory and architecture it ran at). */
export interface BaselineTarget {
  /** Function name or ARN. */
  readonly functionName: string;
  /** The version or alias invoked, when one was. */
  readonly qualifier?: string | undefined;
  /** The memory size the side ran with, MB. */
  readonly memorySizeMB: number;
  /** The architecture the side ran with. */
  readonly architecture: Architecture;
  /** The event sent with each invocation, when it was one JSON value (a per-invocation payload function is not kept). */
  readonly payload?: unknown;
  /** The side's label in the run it came from. */
  readonly label: string;
}

/** One metric of a baseline: the summary of its warm values and the values themselves, in the order invoked. */
export interface BaselineMetric {
  readonly metric: CompareMetric;
  /** Summary of `samples`. */
  readonly summary: Summary;
  /** The warm values (failed invocations left out): what a later run is compared with. */
  readonly samples: readonly number[];
}

/** A versioned, JSON-serialisable baseline: one side of an accepted comparison, kept to gate later runs against. */
export interface CompareBaseline {
  readonly schema: typeof COMPARE_BASELINE_SCHEMA;
  readonly schemaVersion: typeof COMPARE_BASELINE_SCHEMA_VERSION;
  /** When the baseline was saved, epoch ms. */
  readonly createdAt: number;
  /** Which side of the run became the baseline. */
  readonly side: 'a' | 'b';
  readonly target: BaselineTarget;
  /** Every metric with warm values, in {@link COMPARE_METRICS} order. */
  readonly metrics: readonly BaselineMetric[];
  /** Cold-start summaries per metric of the same side (forced cold starts), when the run had any. */
  readonly cold?: Readonly<Partial<Record<CompareMetric, Summary>>> | undefined;
  /** The run it came from: its verdict, confidence and margin, and when it ran (epoch ms). */
  readonly run: {
    readonly verdict: CompareResult['verdict'];
    readonly confidence: number;
    readonly margin: number;
    readonly startedAt: number;
    readonly endedAt: number;
  };
}

/** Options of {@link saveBaseline}. */
export interface SaveBaselineOptions {
  /**
   * The side that becomes the baseline: B, the candidate, by default (the run's change was accepted, so B is what is
   * now deployed); `'a'` keeps the old side instead.
   * @default 'b'
   */
  readonly side?: 'a' | 'b' | undefined;
  /**
   * When the baseline is made, epoch ms.
   * @default Date.now()
   */
  readonly createdAt?: number | undefined;
}

/**
 * The metrics a gate checks when none are named: what the function's code decides and the bill shows. Not client
 * latency (it depends on where the gate runs), nor Max Memory Used (it grows as a warm execution environment ages, so
 * two runs of the same code differ by more than its nearly constant values' tight interval allows; name it to check
 * it), nor Init Duration (cold starts only).
 */
export const DEFAULT_GATE_METRICS: readonly CompareMetric[] = ['durationMs', 'billedDurationMs', 'costUSD'];

/** Options of {@link gate}. */
export interface GateOptions {
  /**
   * The slowdown (or cost increase) allowed, as a share of the baseline: `0.05` fails the gate only when the current
   * run is, with confidence, more than 5% above the baseline.
   * @default 0.05
   */
  readonly maxRegression?: number | undefined;
  /**
   * Confidence of each interval of current/baseline.
   * @default 0.95
   */
  readonly confidence?: number | undefined;
  /**
   * The metrics to check (those without values on both sides are reported and pass).
   * @default {@link DEFAULT_GATE_METRICS}
   */
  readonly metrics?: readonly CompareMetric[] | undefined;
  /**
   * With a `CompareResult` as the current run: the side whose warm samples are the current ones; `'both'` pools the
   * two (a run comparing the baseline's target with itself).
   * @default 'b'
   */
  readonly side?: 'a' | 'b' | 'both' | undefined;
}

/** The gate's finding for one metric. */
export interface GateMetricResult {
  readonly metric: CompareMetric;
  /** current/baseline: the ratio estimate of the interval's method (or of the medians when there is no interval). */
  readonly ratio: number | undefined;
  /** Confidence interval of current/baseline; undefined when either side has too few values. */
  readonly interval: readonly [number, number] | undefined;
  /** True when the interval's lower bound exceeds 1 + maxRegression. */
  readonly regression: boolean;
  /** Why, in words, with the figures. */
  readonly reason: string;
  readonly baselineMedian: number | undefined;
  readonly currentMedian: number | undefined;
  readonly baselineCount: number;
  readonly currentCount: number;
}

/** What {@link gate} found. */
export interface GateResult {
  /** False when any metric regressed. */
  readonly pass: boolean;
  readonly metrics: readonly GateMetricResult[];
  readonly functionName: string;
  readonly maxRegression: number;
  readonly confidence: number;
  /** When the baseline was saved, epoch ms. */
  readonly baselineCreatedAt: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function warmValues(samples: readonly CompareSample[], side: 'a' | 'b' | 'both', metric: CompareMetric): number[] {
  const out: number[] = [];
  for (const s of samples) {
    if (s.cold || s.failed || (side !== 'both' && s.side !== side)) continue;
    const v = s[metric];
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out;
}

function checkResult(result: unknown, field: string): asserts result is CompareResult {
  if (!isRecord(result) || !isRecord(result.a) || !isRecord(result.b) || !Array.isArray(result.samples)) {
    throw new InvalidInputError(field, 'must be a CompareResult (with a, b and samples)');
  }
}

/**
 * Keeps one side of a comparison as a baseline document: its configuration, per-metric summaries and the raw warm
 * samples a later run is gated against. By default side B, the candidate (the change was accepted, so B is what runs
 * now). `JSON.stringify` it to save it; {@link loadBaseline} reads it back.
 *
 * @example
 * ```ts
 * const result = await compare({ lambda }, { a: { functionName: 'api', qualifier: '41' }, b: { functionName: 'api', qualifier: '42' } });
 * await writeFile('baseline.json', JSON.stringify(saveBaseline(result), null, 2));
 * ```
 */
export function saveBaseline(result: CompareResult, options: SaveBaselineOptions = {}): CompareBaseline {
  checkResult(result, 'result');
  const side = options.side ?? 'b';
  if (side !== 'a' && side !== 'b') throw new InvalidInputError('options.side', `must be 'a' or 'b', got ${JSON.stringify(side)}`);
  const createdAt = options.createdAt ?? Date.now();
  if (!Number.isFinite(createdAt)) throw new InvalidInputError('options.createdAt', 'must be epoch milliseconds');
  const s = result[side];
  const metrics: BaselineMetric[] = [];
  for (const metric of COMPARE_METRICS) {
    const samples = warmValues(result.samples, side, metric);
    if (samples.length > 0) metrics.push({ metric, summary: summarize(samples), samples });
  }
  const payload = s.target.payload;
  const target: BaselineTarget = {
    functionName: s.target.functionName,
    ...(s.target.qualifier === undefined ? {} : { qualifier: s.target.qualifier }),
    memorySizeMB: s.memorySizeMB,
    architecture: s.architecture,
    ...(payload === undefined || typeof payload === 'function' ? {} : { payload }),
    label: s.label,
  };
  const cold = Object.keys(s.cold).length > 0 ? { ...s.cold } : undefined;
  return {
    schema: COMPARE_BASELINE_SCHEMA,
    schemaVersion: COMPARE_BASELINE_SCHEMA_VERSION,
    createdAt,
    side,
    target,
    metrics,
    ...(cold === undefined ? {} : { cold }),
    run: { verdict: result.verdict, confidence: result.confidence, margin: result.margin, startedAt: result.startedAt, endedAt: result.endedAt },
  };
}

/**
 * Reads a baseline document (its JSON text, or the parsed value) and checks it: the schema, the schema version this
 * lambda-meter reads, and every field a gate needs. Anything wrong is an `InvalidInputError` whose `field` names it
 * (`baseline.schemaVersion`, `baseline.metrics[2].samples[7]`, …).
 *
 * @example
 * ```ts
 * const baseline = loadBaseline(await readFile('baseline.json', 'utf8'));
 * ```
 */
export function loadBaseline(json: string | unknown): CompareBaseline {
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json) as unknown;
    } catch (error) {
      throw new InvalidInputError('baseline', `is not JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  if (!isRecord(doc)) throw new InvalidInputError('baseline', 'must be a JSON object (a lambda-meter compare baseline)');
  if (doc.schema !== COMPARE_BASELINE_SCHEMA) {
    throw new InvalidInputError('baseline.schema', `is ${JSON.stringify(doc.schema)}, not ${JSON.stringify(COMPARE_BASELINE_SCHEMA)}: this is not a compare baseline`);
  }
  if (doc.schemaVersion !== COMPARE_BASELINE_SCHEMA_VERSION) {
    throw new InvalidInputError(
      'baseline.schemaVersion',
      `is ${JSON.stringify(doc.schemaVersion)}; this lambda-meter reads version ${COMPARE_BASELINE_SCHEMA_VERSION} (save the baseline again with this version)`,
    );
  }
  const need = (ok: boolean, field: string, what: string): void => {
    if (!ok) throw new InvalidInputError(`baseline.${field}`, what);
  };
  need(typeof doc.createdAt === 'number' && Number.isFinite(doc.createdAt), 'createdAt', 'is missing or not epoch milliseconds');
  need(doc.side === 'a' || doc.side === 'b', 'side', "is missing or not 'a' or 'b'");
  const target = doc.target;
  need(isRecord(target), 'target', 'is missing');
  const t = target as Record<string, unknown>;
  need(typeof t.functionName === 'string' && t.functionName !== '', 'target.functionName', 'is missing');
  need(t.qualifier === undefined || typeof t.qualifier === 'string', 'target.qualifier', 'must be a string');
  need(typeof t.memorySizeMB === 'number' && Number.isInteger(t.memorySizeMB), 'target.memorySizeMB', 'is missing or not a whole number of MB');
  need(t.architecture === 'x86_64' || t.architecture === 'arm64', 'target.architecture', 'is missing or not x86_64 or arm64');
  need(typeof t.label === 'string', 'target.label', 'is missing');
  need(Array.isArray(doc.metrics), 'metrics', 'is missing or not a list');
  const seen = new Set<string>();
  (doc.metrics as unknown[]).forEach((m, i) => {
    const at = `metrics[${i}]`;
    need(isRecord(m), at, 'must be an object');
    const r = m as Record<string, unknown>;
    need(typeof r.metric === 'string' && (COMPARE_METRICS as readonly string[]).includes(r.metric), `${at}.metric`, `must be one of ${COMPARE_METRICS.join(', ')}`);
    need(!seen.has(r.metric as string), `${at}.metric`, `${String(r.metric)} appears twice`);
    seen.add(r.metric as string);
    need(isRecord(r.summary) && typeof r.summary.count === 'number' && typeof r.summary.p50 === 'number', `${at}.summary`, 'is missing or has no count and p50');
    need(Array.isArray(r.samples) && r.samples.length > 0, `${at}.samples`, 'is missing or empty');
    (r.samples as unknown[]).forEach((v, j) => need(typeof v === 'number' && Number.isFinite(v), `${at}.samples[${j}]`, `must be a finite number, got ${JSON.stringify(v)}`));
  });
  need(isRecord(doc.run), 'run', 'is missing');
  return doc as unknown as CompareBaseline;
}

/** The bare function name of a name or ARN (`arn:aws:lambda:us-east-1:123456789012:function:api:live` → `api`). */
function bareName(functionName: string): string {
  const m = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(functionName);
  return m === null ? functionName : (m[1] as string);
}

function median(sorted: readonly number[]): number | undefined {
  if (sorted.length === 0) return undefined;
  const mid = (sorted.length - 1) / 2;
  return ((sorted[Math.floor(mid)] as number) + (sorted[Math.ceil(mid)] as number)) / 2;
}

const pct = (x: number): string => `${+(x * 100).toFixed(1)}%`;
const fixed = (x: number): string => x.toFixed(3);

/**
 * Gates a current run against a baseline: for each metric, a confidence interval of current/baseline (from the raw
 * warm samples of both, by `ratioInterval`); the metric regresses when the interval's lower bound exceeds
 * `1 + maxRegression`, so a difference that noise could explain never fails the gate. `current` is a
 * `CompareResult` (side B by default, or `options.side`) or a baseline document of the current run. A baseline of
 * another function is an `InvalidInputError` (field `baseline`).
 *
 * @example
 * ```ts
 * const result = gate(await compare({ lambda }, { a: target, b: target }), loadBaseline(text), { maxRegression: 0.05, side: 'both' });
 * if (!result.pass) process.exitCode = 1;
 * ```
 */
export function gate(current: CompareResult | CompareBaseline, baseline: CompareBaseline, options: GateOptions = {}): GateResult {
  const base = loadBaseline(baseline);
  const maxRegression = options.maxRegression ?? 0.05;
  if (typeof maxRegression !== 'number' || !Number.isFinite(maxRegression) || maxRegression < 0) {
    throw new InvalidInputError('options.maxRegression', `must be a number >= 0 (a share: 0.05 for 5%), got ${JSON.stringify(maxRegression)}`);
  }
  const confidence = options.confidence ?? 0.95;
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new InvalidInputError('options.confidence', `must be a number between 0 and 1 (exclusive), got ${JSON.stringify(confidence)}`);
  }
  const metrics = options.metrics ?? DEFAULT_GATE_METRICS;
  if (!Array.isArray(metrics) || metrics.length === 0) throw new InvalidInputError('options.metrics', 'must be a non-empty list of metrics');
  metrics.forEach((m, i) => {
    if (!COMPARE_METRICS.includes(m)) throw new InvalidInputError(`options.metrics[${i}]`, `must be one of ${COMPARE_METRICS.join(', ')}, got ${JSON.stringify(m)}`);
  });
  const side = options.side ?? 'b';
  if (side !== 'a' && side !== 'b' && side !== 'both') throw new InvalidInputError('options.side', `must be 'a', 'b' or 'both', got ${JSON.stringify(side)}`);

  let currentName: string;
  let currentValues: (metric: CompareMetric) => number[];
  if (isRecord(current) && 'schema' in current) {
    const doc = loadBaseline(current);
    currentName = doc.target.functionName;
    currentValues = (metric) => [...(doc.metrics.find((m) => m.metric === metric)?.samples ?? [])];
  } else {
    checkResult(current, 'current');
    const r = current;
    currentName = side === 'a' ? r.a.target.functionName : r.b.target.functionName;
    if (side === 'both' && bareName(r.a.target.functionName) !== bareName(r.b.target.functionName)) {
      throw new InvalidInputError('options.side', `'both' pools the two sides, but they are different functions (${r.a.target.functionName}, ${r.b.target.functionName})`);
    }
    currentValues = (metric) => warmValues(r.samples, side, metric);
  }
  if (bareName(currentName) !== bareName(base.target.functionName)) {
    throw new InvalidInputError('baseline', `is a baseline of function ${base.target.functionName}, but the current run is of ${currentName}`);
  }

  const results = metrics.map((metric): GateMetricResult => {
    const b = [...(base.metrics.find((m) => m.metric === metric)?.samples ?? [])];
    const c = currentValues(metric);
    const baselineMedian = median([...b].sort((x, y) => x - y));
    const currentMedian = median([...c].sort((x, y) => x - y));
    const common = { metric, baselineMedian, currentMedian, baselineCount: b.length, currentCount: c.length };
    if (b.length === 0 || c.length === 0) {
      return { ...common, ratio: undefined, interval: undefined, regression: false, reason: `not checked: no values in the ${b.length === 0 ? 'baseline' : 'current run'}` };
    }
    if (b.some((v) => v <= 0) || c.some((v) => v <= 0)) {
      return { ...common, ratio: undefined, interval: undefined, regression: false, reason: 'not judged: values of 0 or below, which a ratio cannot use' };
    }
    const ci = ratioInterval(b, c, { confidence });
    const ofMedians = baselineMedian !== undefined && currentMedian !== undefined && baselineMedian > 0 ? currentMedian / baselineMedian : undefined;
    if (ci === undefined) {
      return { ...common, ratio: ofMedians, interval: undefined, regression: false, reason: `not judged: too few values for an interval (${b.length} baseline, ${c.length} current)` };
    }
    const limit = 1 + maxRegression;
    const interval = [ci.lower, ci.upper] as const;
    const figures = `current/baseline ${fixed(ci.estimate)}, ${pct(confidence)} interval [${fixed(ci.lower)}, ${fixed(ci.upper)}]`;
    if (ci.lower > limit) {
      return { ...common, ratio: ci.estimate, interval, regression: true, reason: `regressed: ${figures}; even its lower bound is above 1 + ${pct(maxRegression)}` };
    }
    const why = ci.upper <= limit ? `within ${pct(maxRegression)} of the baseline` : `not shown to exceed ${pct(maxRegression)} (the lower bound is at or below ${fixed(limit)})`;
    return { ...common, ratio: ci.estimate, interval, regression: false, reason: `passed: ${figures}; ${why}` };
  });
  return {
    pass: results.every((r) => !r.regression),
    metrics: results,
    functionName: base.target.functionName,
    maxRegression,
    confidence,
    baselineCreatedAt: base.createdAt,
  };
}
