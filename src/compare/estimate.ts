/**
 * Before a comparison spends anything: how many invocations it may make and what they cost (`estimateCompare`), and
 * the cold-start rate a function really sees, read from its REPORT lines (`coldStartRateFromReports`,
 * `measureColdStartRate`), to pass to `compare` as `input.coldStartRate`.
 *
 * @module
 */
import { ARCHITECTURES, DEFAULT_PRICES, invocationCost } from '../cost/index.js';
import type { Architecture, PriceTable } from '../cost/types.js';
import { InvalidInputError } from '../errors.js';
import type { LogsClientLike, SdkClientLike } from '../internal/clients.js';
import { describe, integerInRange, nonNegativeNumber } from '../internal/validate.js';
import { queryReports } from '../insights/index.js';
import type { QueryReportsOptions } from '../insights/types.js';
import type { ReportRecord } from '../report/types.js';
import type {
  CompareEstimate,
  CompareEstimateOptions,
  CompareInput,
  CompareScenario,
  CompareTarget,
  MeasureColdStartRateInput,
  MeasuredColdStartRate,
} from './types.js';
import { COMPARE_DEFAULTS, validateCompareInput } from './validate.js';

/** Client and service overhead assumed per invocation, ms (as `estimateTune` assumes). */
const OVERHEAD_MS = 50;
/** The warm Duration assumed when none is given, ms (as `estimateTune` assumes). */
const DEFAULT_DURATION_MS = 100;
/** Lambda's default memory size, MB: assumed for a side that does not set one. */
const DEFAULT_MEMORY_MB = 128;

/** Where the expected invocations come from. */
const BENCH_SOURCE =
  'bench/compare.mjs, docs/benchmarks.md "Sequential comparison" (2026-12-07, 1,000 simulated runs per row, lognormal warm values with 1% outliers × U(5, 10), confidence 0.95, margin 0.05, blocks of 5, first look at 10 per side, budget 2,000)';

/**
 * The scenarios `bench/compare.mjs` measured (1%-outlier rows): median warm invocations, both sides, and the 90th
 * percentile where the bench reports it. `atBudget`: more than half the runs reached the bench's budget of 2,000, so
 * the median is only known for a cap of at most 2,000.
 */
const BENCH_ROWS: readonly { readonly trueRatio: number; readonly cv: number; readonly median: number; readonly p90?: number; readonly atBudget?: boolean }[] = [
  { trueRatio: 1, cv: 0.1, median: 240 },
  { trueRatio: 1, cv: 0.2, median: 920 },
  { trueRatio: 1, cv: 0.3, median: 2000, atBudget: true },
  { trueRatio: 0.9, cv: 0.2, median: 130, p90: 270 },
];
/** The budget of the bench runs, warm invocations. */
const BENCH_BUDGET = 2000;

function positiveFinite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(field, `must be a finite number > 0, got ${describe(value)}`);
  }
  return value;
}

function checkScenario(value: unknown): CompareScenario | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new InvalidInputError('options.scenario', 'must be an object ({ trueRatio, cv })');
  const s = value as CompareScenario;
  return { trueRatio: positiveFinite(s.trueRatio, 'options.scenario.trueRatio'), cv: positiveFinite(s.cv, 'options.scenario.cv') };
}

/**
 * Estimates a comparison before it runs, as `estimateTune` does a tuning run: the most warm invocations it may make
 * (the first budget cap reached: `maxInvocations`, `maxCostUSD` or `maxDurationMs`, in whole blocks as `compare`
 * samples), the forced cold starts, and their cost from the price table at each side's memory size and architecture,
 * priced at the given warm Durations (100 ms unless given; a cold start adds `initDurationMs`, 0 unless given). A
 * side without `memorySizeMB` or `architecture` runs with its function's own, unknown before the run: 128 MB and
 * x86_64 are assumed unless `options.memorySizeMB` / `options.architecture` say otherwise.
 *
 * With `options.scenario` (a true B/A and a coefficient of variation) it also gives the expected number of warm
 * invocations, but only for what `bench/compare.mjs` measured (docs/benchmarks.md): B/A = 1 at CV 0.1, 0.2 and 0.3,
 * and B/A = 0.9 at CV 0.2, at `compare`'s default confidence, margin, block size and first look. Anything else is not
 * extrapolated: `expected` is undefined.
 *
 * @throws InvalidInputError naming the field, as {@link compare} would, and for a bad estimate option.
 *
 * @example
 * ```ts
 * const e = estimateCompare(
 *   { a: { functionName: 'api', memorySizeMB: 512 }, b: { functionName: 'api', memorySizeMB: 1024 }, coldStarts: 3 },
 *   { budget: { maxInvocations: 600 }, durationMsA: 180, durationMsB: 95, scenario: { trueRatio: 0.9, cv: 0.2 } },
 * );
 * console.log(e.maxWarmInvocations, e.maxUSD.toFixed(6), e.expected?.medianInvocations);
 * ```
 */
export function estimateCompare(input: CompareInput, options: CompareEstimateOptions = {}): CompareEstimate {
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  const plan = validateCompareInput(input, {
    prices: options.prices,
    budget: options.budget,
    confidence: options.confidence,
    blockSize: options.blockSize,
    minSamples: options.minSamples,
    seed: 0,
  });
  const durationA = nonNegativeNumber(options.durationMsA ?? DEFAULT_DURATION_MS, 'options.durationMsA');
  const durationB = nonNegativeNumber(options.durationMsB ?? DEFAULT_DURATION_MS, 'options.durationMsB');
  const initMs = nonNegativeNumber(options.initDurationMs ?? 0, 'options.initDurationMs');
  const defaultMemory = integerInRange(options.memorySizeMB ?? DEFAULT_MEMORY_MB, 'options.memorySizeMB', 128, 10_240);
  const defaultArch = options.architecture ?? 'x86_64';
  if (!ARCHITECTURES.includes(defaultArch)) {
    throw new InvalidInputError('options.architecture', `must be one of ${ARCHITECTURES.join(', ')}, got ${describe(defaultArch)}`);
  }
  const prices: PriceTable = plan.prices ?? DEFAULT_PRICES;
  const region = options.region ?? prices.defaultRegion;
  if (typeof region !== 'string' || prices.regions[region] === undefined) {
    throw new InvalidInputError('options.region', `must be a region of the price table, got ${describe(region)}`);
  }
  const scenario = checkScenario(options.scenario);

  const side = (target: CompareTarget, durationMs: number) => {
    const memorySizeMB = target.memorySizeMB ?? defaultMemory;
    const architecture: Architecture = target.architecture ?? defaultArch;
    const at = (ms: number): number => invocationCost({ memorySizeMB, durationMs: ms, architecture, region }, { prices }).totalUSD;
    return { memorySizeMB, architecture, durationMs, warmUSD: at(durationMs), coldUSD: at(durationMs + initMs) };
  };
  const a = side(plan.a, durationA);
  const b = side(plan.b, durationB);

  const coldInvocations = plan.coldStarts * 2;
  const coldUSD = plan.coldStarts * (a.coldUSD + b.coldUSD);
  // `compare` samples in blocks of `blockSize` per side; the invocation cap cuts the last block to what is left.
  const byInvocations = 2 * Math.floor(plan.maxInvocations / 2);
  let maxWarm = byInvocations;
  let boundBy: CompareEstimate['boundBy'] = 'max-invocations';
  const k = plan.blockSize;
  if (plan.maxCostUSD !== undefined) {
    // Before each block `compare` checks that the cost so far plus the block's (at the mean cost per invocation so
    // far) stays within the cap; the first block has no mean yet and runs unless the cold starts spent the cap.
    const left = plan.maxCostUSD - coldUSD;
    const perBlock = k * (a.warmUSD + b.warmUSD);
    const blocks = left <= 0 ? 0 : perBlock === 0 ? Infinity : Math.max(1, Math.floor(left / perBlock));
    const byCost = blocks * 2 * k;
    if (byCost < maxWarm) {
      maxWarm = byCost;
      boundBy = 'max-cost';
    }
  }
  if (plan.maxDurationMs !== undefined) {
    // The clock is read before each block: a block starts while less than maxDurationMs has passed.
    const blockMs = k * (durationA + durationB + 2 * OVERHEAD_MS);
    const byDuration = Math.ceil(plan.maxDurationMs / blockMs) * 2 * k;
    if (byDuration < maxWarm) {
      maxWarm = byDuration;
      boundBy = 'max-duration';
    }
  }
  const warmPerInvocationUSD = (a.warmUSD + b.warmUSD) / 2;
  const maxUSD = coldUSD + maxWarm * warmPerInvocationUSD;
  const invokeMs =
    plan.coldStarts * (durationA + durationB + 2 * initMs + 2 * OVERHEAD_MS) + (maxWarm / 2) * (durationA + durationB + 2 * OVERHEAD_MS);

  let expected: CompareEstimate['expected'];
  const defaults =
    plan.confidence === COMPARE_DEFAULTS.confidence &&
    plan.margin === COMPARE_DEFAULTS.margin &&
    plan.blockSize === COMPARE_DEFAULTS.blockSize &&
    plan.minSamples === COMPARE_DEFAULTS.minSamples;
  if (scenario !== undefined && defaults) {
    const row = BENCH_ROWS.find((r) => Math.abs(r.trueRatio - scenario.trueRatio) < 1e-9 && Math.abs(r.cv - scenario.cv) < 1e-9);
    // A cap on the invocations caps every run, so the median (and p90) of the capped counts is the capped median.
    // A row whose median is the bench's own budget only says "at least 2,000": known for caps up to 2,000.
    if (row !== undefined && !(row.atBudget === true && maxWarm > BENCH_BUDGET)) {
      const medianInvocations = Math.min(row.median, maxWarm);
      expected = {
        medianInvocations,
        p90Invocations: row.p90 === undefined ? undefined : Math.min(row.p90, maxWarm),
        medianUSD: coldUSD + medianInvocations * warmPerInvocationUSD,
        source: BENCH_SOURCE,
      };
    }
  }

  const pub = (s: typeof a) => ({ memorySizeMB: s.memorySizeMB, architecture: s.architecture, durationMs: s.durationMs, warmUSD: s.warmUSD });
  return {
    maxWarmInvocations: maxWarm,
    coldInvocations,
    boundBy,
    a: pub(a),
    b: pub(b),
    maxUSD,
    maxInvokeSeconds: invokeMs / 1000,
    expected,
  };
}

/** True for a REPORT of a cold start: an Init Duration, or a SnapStart Restore Duration. */
function isCold(r: ReportRecord): boolean {
  return r.initDurationMs !== undefined || r.restoreDurationMs !== undefined || r.coldStart === true;
}

/**
 * The share of REPORTs that are cold starts (an Init Duration, or a SnapStart Restore Duration): the cold-start rate
 * the function really sees, to pass to `compare` as `input.coldStartRate`. Undefined for no REPORTs.
 *
 * @throws InvalidInputError (`reports`, `reports[i]`) for something that is not an array of REPORT records.
 *
 * @example
 * ```ts
 * import { parseLog } from 'lambda-meter/report';
 * const { reports } = parseLog(logText);
 * const rate = coldStartRateFromReports(reports); // e.g. 0.012
 * ```
 */
export function coldStartRateFromReports(reports: readonly ReportRecord[]): number | undefined {
  return countCold(reports).rate;
}

function countCold(reports: readonly ReportRecord[]): MeasuredColdStartRate {
  if (!Array.isArray(reports)) throw new InvalidInputError('reports', `must be an array of REPORT records, got ${describe(reports)}`);
  let cold = 0;
  reports.forEach((r: unknown, i) => {
    if (typeof r !== 'object' || r === null) throw new InvalidInputError(`reports[${i}]`, `must be a REPORT record, got ${describe(r)}`);
    if (isCold(r as ReportRecord)) cold++;
  });
  return { rate: reports.length === 0 ? undefined : cold / reports.length, reports: reports.length, cold };
}

/**
 * Reads a function's REPORTs in a time window through Logs Insights (`queryReports` of `lambda-meter/insights`) and
 * returns its cold-start rate with the counts it comes from. Pass `rate` to `compare` as `input.coldStartRate` to
 * blend cold and warm as the function's real traffic does.
 *
 * @throws InvalidInputError naming the field, as `queryReports` would; its service errors as they come.
 *
 * @example
 * ```ts
 * import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
 * const day = 86_400_000;
 * const { rate, reports, cold } = await measureColdStartRate(new CloudWatchLogsClient({}), { functionName: 'api', startTime: Date.now() - 7 * day, endTime: Date.now() });
 * console.log(`${cold} of ${reports} cold`);
 * const result = await compare({ lambda }, { a, b, coldStartRate: rate ?? 0 });
 * ```
 */
export async function measureColdStartRate<C extends SdkClientLike>(
  logsClient: LogsClientLike<C>,
  input: MeasureColdStartRateInput,
  options: QueryReportsOptions = {},
): Promise<MeasuredColdStartRate> {
  const reports = await queryReports(logsClient, input, options);
  return countCold(reports);
}

/**
 * An estimate as lines of text, for a terminal (what `lambda-meter compare --estimate` prints).
 *
 * @example
 * ```ts
 * process.stdout.write(formatCompareEstimate(estimateCompare({ a: { functionName: 'api', qualifier: '1' }, b: { functionName: 'api', qualifier: '2' } })));
 * ```
 */
export function formatCompareEstimate(e: CompareEstimate): string {
  const usd = (n: number): string => `$${n.toFixed(6)}`;
  const side = (name: string, s: CompareEstimate['a']): string =>
    `${name}: ${s.memorySizeMB} MB ${s.architecture}, ${s.durationMs} ms per warm invocation, ${usd(s.warmUSD)} each`;
  const lines = [
    side('A', e.a),
    side('B', e.b),
    `at most ${e.maxWarmInvocations} warm invocations (bound by ${e.boundBy}) + ${e.coldInvocations} cold: ${usd(e.maxUSD)}, about ${e.maxInvokeSeconds.toFixed(1)} s of invoking`,
  ];
  if (e.expected !== undefined) {
    const p90 = e.expected.p90Invocations === undefined ? '' : ` (p90 ${e.expected.p90Invocations})`;
    lines.push(`expected: ${e.expected.medianInvocations} warm invocations${p90}, ${usd(e.expected.medianUSD)} (${e.expected.source})`);
  }
  return `${lines.join('\n')}\n`;
}
