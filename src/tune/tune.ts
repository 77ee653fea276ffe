/**
 * `powerTune`: AWS Lambda Power Tuning as a library call. For each memory size: update `$LATEST` (serially, waiting
 * for each update), publish a version, create an alias, and invoke it with the log tail; then summarise warm and cold
 * invocations apart, recommend by strategy, and always clean up.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_PRICES, reportCost, sumCosts } from '../cost/index.js';
import type { Architecture, InvocationCost, PriceTable } from '../cost/types.js';
import { CleanupError, InvalidInputError, TuneFunctionError } from '../errors.js';
import { throwIfAborted } from '../internal/abort.js';
import type { LambdaClientLike, SdkClientLike } from '../internal/clients.js';
import { ControlPlane } from '../internal/control-plane.js';
import type { FunctionSettings, FunctionSnapshot } from '../internal/control-plane.js';
import type { Progress, ProgressPhase, ProgressRetry } from '../internal/options.js';
import { loadLambdaSdk } from '../internal/peer.js';
import { checkClient } from '../internal/validate.js';
import { invokeMany } from '../invoke/index.js';
import type { TailInvocation } from '../invoke/types.js';
import { summarize } from '../stats/index.js';
import { trimmedMean } from '../stats/summarize.js';
import type { Summary } from '../stats/summarize.js';
import { planNextRound } from './adaptive.js';
import { paretoFrontierSizes, recommend, visualizationUrl, weightedOrder } from './analysis.js';
import type {
  PowerTuneInput,
  PowerTuneOptions,
  TuneApplied,
  TuneCleanup,
  TuneClients,
  TuneConfiguration,
  TunePoint,
  TuneRecommendation,
  TuneResult,
} from './types.js';
import { MARKER_PREFIX, validateTuneInput } from './validate.js';
import type { TunePlan } from './validate.js';

const OPERATION = 'powerTune';

/** Throws lambda-meter's LambdaMeterAbortError when `signal` has fired. */
function checkAbort(signal: AbortSignal | undefined): void {
  throwIfAborted(signal, OPERATION);
}

/** Default retry of cleanup calls: more patient than the run's, and never cut short by the run's signal. */
const DEFAULT_CLEANUP_RETRY = { maxAttempts: 12, baseDelayMs: 100, maxDelayMs: 5000, budgetMs: 120_000 } as const;
/** Environment variable set in `onlyColdStarts` mode so every published version differs from the last one. */
export const COLD_START_VARIABLE = 'LAMBDA_METER_TUNE_SAMPLE';
/** Upper bound of adaptive rounds, whatever the sampler says. */
const MAX_ROUNDS = 1000;
/** Adaptive rounds in a row without a single warm invocation after which a memory size is given up. */
const MAX_ROUNDS_WITHOUT_WARM = 3;

/** Everything measured for one memory size while the run goes on. */
interface ConfigState {
  readonly memorySizeMB: number;
  readonly nextPayload: () => unknown;
  alias: string | undefined;
  version: string | undefined;
  invocations: number;
  readonly warmDurations: number[];
  readonly warmCosts: number[];
  readonly coldInit: number[];
  readonly coldDurations: number[];
  readonly coldCosts: number[];
  readonly billed: number[];
  readonly costs: InvocationCost[];
  readonly errors: Record<string, number>;
  failed: boolean;
  eliminated: boolean;
  maxMemoryUsedMB: number | undefined;
  timedOut: boolean;
  outOfMemory: boolean;
}

/** What the run created, for cleanup. */
interface Created {
  readonly aliases: Set<string>;
  readonly versions: Set<string>;
  configurationTouched: boolean;
  environmentTouched: boolean;
}

/** Shared state of one run. */
interface Run {
  readonly plan: TunePlan;
  readonly cp: ControlPlane;
  readonly client: LambdaClientLike;
  readonly runId: string;
  readonly snapshot: FunctionSnapshot;
  readonly preexisting: ReadonlySet<string>;
  readonly created: Created;
  readonly states: ConfigState[];
  readonly warnings: string[];
  readonly pricing: { architecture: Architecture; region: string; prices: PriceTable };
  readonly options: PowerTuneOptions;
  phase: ProgressPhase;
  done: number;
  planned: number;
  /** Invocations that ended in a function error. */
  functionErrors: number;
}

function emit(options: PowerTuneOptions, run: Pick<Run, 'done' | 'planned' | 'functionErrors'> | undefined, phase: ProgressPhase, extra: Partial<Progress> = {}): void {
  options.onProgress?.({
    operation: OPERATION,
    phase,
    completed: run?.done ?? 0,
    total: run?.planned ?? 0,
    failed: run?.functionErrors ?? 0,
    ...extra,
  });
}

function progress(run: Run, phase: ProgressPhase, memorySizeMB?: number): void {
  run.phase = phase;
  emit(run.options, run, phase, memorySizeMB === undefined ? {} : { memorySizeMB });
}

/** The marker put in `$LATEST`'s and each version's Description while the run owns them. */
function marker(runId: string, memorySizeMB?: number, sample?: number): string {
  return [`${MARKER_PREFIX}:${runId}`, memorySizeMB, sample].filter((p) => p !== undefined).join(':');
}

function aliasName(runId: string, memorySizeMB: number, sample?: number): string {
  return sample === undefined ? `${MARKER_PREFIX}-${memorySizeMB}-${runId}` : `${MARKER_PREFIX}-${memorySizeMB}-${sample}-${runId}`;
}

function regionOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 && parts[3] !== '' ? parts[3] : undefined;
}

function resolvePricing(plan: TunePlan, snapshot: FunctionSnapshot, warnings: string[]): Run['pricing'] {
  const prices = plan.prices ?? DEFAULT_PRICES;
  const architecture: Architecture = plan.architecture ?? (snapshot.architecture === 'arm64' ? 'arm64' : 'x86_64');
  let region = plan.region ?? regionOfArn(snapshot.functionArn) ?? prices.defaultRegion;
  if (prices.regions[region] === undefined) {
    warnings.push(`The price table has no prices for ${region}; costs use ${prices.defaultRegion} prices.`);
    region = prices.defaultRegion;
  }
  return { architecture, region, prices };
}

function newState(plan: TunePlan, memorySizeMB: number): ConfigState {
  let nextPayload: () => unknown = () => plan.payload;
  if (plan.payloadWeights !== undefined) {
    const entries = plan.payloads ?? [];
    const order = weightedOrder(plan.payloadWeights);
    nextPayload = () => entries[order.next().value]?.payload;
  }
  return {
    memorySizeMB,
    nextPayload,
    alias: undefined,
    version: undefined,
    invocations: 0,
    warmDurations: [],
    warmCosts: [],
    coldInit: [],
    coldDurations: [],
    coldCosts: [],
    billed: [],
    costs: [],
    errors: {},
    failed: false,
    eliminated: false,
    maxMemoryUsedMB: undefined,
    timedOut: false,
    outOfMemory: false,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/** Updates `$LATEST` to one memory size, publishes it and creates an alias; returns the alias. */
async function prepareVersion(run: Run, state: ConfigState, sample?: number): Promise<string> {
  const { cp, created, runId, snapshot } = run;
  const signal = run.options.signal;
  checkAbort(signal);
  progress(run, 'configuring', state.memorySizeMB);
  const description = marker(runId, state.memorySizeMB, sample);
  const settings: FunctionSettings = {
    memorySizeMB: state.memorySizeMB,
    description,
    environment: sample === undefined ? undefined : { ...snapshot.environment, [COLD_START_VARIABLE]: `${runId}-${state.memorySizeMB}-${sample}` },
  };
  created.configurationTouched = true;
  if (settings.environment !== undefined) created.environmentTouched = true;
  await cp.update(settings, signal);
  checkAbort(signal);
  const version = await cp.publish(description, signal);
  if (!run.preexisting.has(version)) created.versions.add(version);
  else run.warnings.push(`PublishVersion returned version ${version}, which existed before the run; it is used but not deleted.`);
  checkAbort(signal);
  const alias = aliasName(runId, state.memorySizeMB, sample);
  created.aliases.add(alias);
  await cp.createAlias(alias, version, description, signal);
  state.alias = alias;
  state.version = version;
  return alias;
}

function record(run: Run, state: ConfigState, inv: TailInvocation): void {
  state.invocations++;
  run.done++;
  const report = inv.report;
  if (inv.functionError !== undefined) {
    run.functionErrors++;
    const type = inv.errorType ?? report?.errorType ?? 'Unknown';
    state.errors[type] = (state.errors[type] ?? 0) + 1;
    if (!run.plan.allowedErrorTypes.has(type)) state.failed = true;
    if (type === 'Runtime.OutOfMemory') state.outOfMemory = true;
    if (type === 'Sandbox.Timedout') state.timedOut = true;
  }
  if (state.version !== undefined && inv.executedVersion !== undefined && inv.executedVersion !== state.version) {
    run.warnings.push(`${state.alias ?? ''} ran version ${inv.executedVersion}, not ${state.version}.`);
  }
  if (report === undefined) {
    run.warnings.push(`Invocation ${inv.requestId} at ${state.memorySizeMB} MB returned no REPORT; it has no duration or cost.`);
    return;
  }
  if (report.status === 'timeout') state.timedOut = true;
  if (report.errorType === 'Runtime.OutOfMemory') state.outOfMemory = true;
  const cost = reportCost(report, run.pricing);
  state.costs.push(cost);
  state.billed.push(report.billedDurationMs);
  state.maxMemoryUsedMB = Math.max(state.maxMemoryUsedMB ?? 0, report.maxMemoryUsedMB);
  if (report.coldStart) {
    state.coldInit.push(report.initDurationMs ?? report.restoreDurationMs ?? 0);
    state.coldDurations.push(report.durationMs);
    state.coldCosts.push(cost.totalUSD);
  } else {
    state.warmDurations.push(report.durationMs);
    state.warmCosts.push(cost.totalUSD);
  }
}

/** Invokes one memory size `count` times (a fresh version per invocation with `onlyColdStarts`). */
async function takeSamples(run: Run, state: ConfigState, count: number): Promise<void> {
  const { plan, options } = run;
  const signal = options.signal;
  const base = run.done;
  const baseFailed = run.functionErrors;
  // invokeMany's progress, as this run's: its retries are this run's retries, its counts are added to the run's.
  const onProgress =
    options.onProgress === undefined
      ? undefined
      : (p: Progress): void =>
          emit(options, run, p.phase === 'retrying' ? 'retrying' : 'invoking', {
            memorySizeMB: state.memorySizeMB,
            completed: base + p.completed,
            failed: baseFailed + p.failed,
            ...(p.inFlight === undefined ? {} : { inFlight: p.inFlight }),
            ...(p.retry === undefined ? {} : { retry: p.retry }),
          });
  const invokeOptions = { signal, retry: options.retry, ...(onProgress === undefined ? {} : { onProgress }) };
  if (plan.onlyColdStarts) {
    for (let i = 0; i < count; i++) {
      const sample = state.invocations;
      const alias = await prepareVersion(run, state, sample);
      checkAbort(signal);
      progress(run, 'invoking', state.memorySizeMB);
      const [inv] = await invokeMany(
        run.client,
        { functionName: plan.functionName, qualifier: alias, count: 1, payloads: () => state.nextPayload() },
        invokeOptions,
      );
      if (inv !== undefined) record(run, state, inv);
    }
    return;
  }
  checkAbort(signal);
  progress(run, 'invoking', state.memorySizeMB);
  const results = await invokeMany(
    run.client,
    { functionName: plan.functionName, qualifier: state.alias, count, concurrency: plan.concurrency, payloads: () => state.nextPayload() },
    invokeOptions,
  );
  for (const inv of results) record(run, state, inv);
}

/** The durations and costs a strategy compares: warm ones, or cold ones with `onlyColdStarts` (or when none is warm). */
function objective(run: Run, state: ConfigState): { durations: number[]; costs: number[] } {
  if (!run.plan.onlyColdStarts && state.warmDurations.length > 0) return { durations: state.warmDurations, costs: state.warmCosts };
  return { durations: state.coldDurations.map((d, i) => d + (state.coldInit[i] ?? 0)), costs: state.coldCosts };
}

async function measure(run: Run): Promise<void> {
  const { plan, states } = run;
  const signal = run.options.signal;
  if (!plan.onlyColdStarts) {
    for (const state of states) await prepareVersion(run, state);
  }
  if (plan.dryRun || plan.count !== 'adaptive') {
    const count = plan.dryRun ? 1 : (plan.count as number);
    run.planned = count * states.length;
    for (const state of states) await takeSamples(run, state, count);
    return;
  }
  const coldStreaks = new Map<ConfigState, number>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    checkAbort(signal);
    const active = states.filter((s) => !s.failed);
    if (active.length === 0) return;
    const decision = planNextRound(
      active.map((s) => {
        const o = objective(run, s);
        return { memorySizeMB: s.memorySizeMB, durationsMs: o.durations, costsUSD: o.costs };
      }),
      { strategy: plan.strategy, balancedWeight: plan.balancedWeight, discardTopBottom: plan.discardTopBottom, ...plan.adaptive },
    );
    for (const mem of decision.eliminated) {
      const s = states.find((x) => x.memorySizeMB === mem);
      if (s !== undefined) s.eliminated = true;
    }
    if (decision.done) return;
    const todo = decision.sample
      .map((s) => ({ state: active.find((x) => x.memorySizeMB === s.memorySizeMB), count: s.count }))
      .filter((t): t is { state: ConfigState; count: number } => t.state !== undefined && Number.isInteger(t.count) && t.count > 0);
    if (todo.length === 0) {
      run.warnings.push('The adaptive sampler asked for no further samples without saying it was done; sampling stopped.');
      return;
    }
    run.planned += todo.reduce((a, t) => a + t.count, 0);
    for (const t of todo) {
      const samplesOf = (state: ConfigState): number => (plan.onlyColdStarts ? state.coldDurations.length : state.warmDurations.length);
      const before = samplesOf(t.state);
      await takeSamples(run, t.state, t.count);
      // Only warm invocations are samples. If environments never stay warm (evicted between invocations, or a new
      // one each time), the sampler would ask forever: give up on that size after a few rounds without a warm one.
      const gained = samplesOf(t.state) - before;
      const streak = gained > 0 ? 0 : (coldStreaks.get(t.state) ?? 0) + 1;
      coldStreaks.set(t.state, streak);
      if (streak >= MAX_ROUNDS_WITHOUT_WARM && !t.state.failed) {
        t.state.failed = true;
        run.warnings.push(
          `${t.state.memorySizeMB} MB: no warm invocation in ${streak} rounds (every invocation was a cold start), so it was left out; ` +
            'use onlyColdStarts to tune cold starts, or keep environments warm between invocations.',
        );
      }
    }
  }
  run.warnings.push(`Adaptive sampling stopped after ${MAX_ROUNDS} rounds.`);
}

// ---------------------------------------------------------------------------------------------------------------
// Cleanup and autoApply

interface CleanupOutcome {
  readonly cleanup: TuneCleanup;
  readonly applied: TuneApplied | undefined;
  readonly applyError: unknown;
}

/**
 * Deletes every alias and version the run created (tracked, plus any carrying the run's marker, in case a response
 * was lost), restores `$LATEST`, and applies the recommendation when asked. Never stops for the run's signal.
 * Throws CleanupError listing what is left when it cannot finish (with the run's error as its cause).
 */
async function cleanUp(run: Run, cp: ControlPlane, winner: number | undefined, runError: unknown): Promise<CleanupOutcome> {
  const { created, snapshot, runId } = run;
  const tag = `${MARKER_PREFIX}:${runId}`;
  const ours = (description: string): boolean => description === tag || description.startsWith(`${tag}:`);
  let lastError: unknown;
  const deletedAliases: string[] = [];
  const deletedVersions: string[] = [];
  const aliases = new Set(created.aliases);
  const versions = new Set([...created.versions].filter((v) => !run.preexisting.has(v)));
  if (created.configurationTouched) {
    try {
      for (const a of await cp.listAliases(undefined)) if (a.name.endsWith(`-${runId}`) && a.name.startsWith(MARKER_PREFIX)) aliases.add(a.name);
      for (const v of await cp.listVersions(undefined)) if (ours(v.description) && !run.preexisting.has(v.version)) versions.add(v.version);
    } catch (err) {
      lastError = err;
    }
  }
  for (const name of aliases) {
    try {
      if (await cp.deleteAlias(name, undefined)) deletedAliases.push(name);
    } catch (err) {
      lastError = err;
    }
  }
  for (const version of [...versions].sort((a, b) => Number(a) - Number(b))) {
    try {
      if (await cp.deleteVersion(version, undefined)) deletedVersions.push(version);
    } catch (err) {
      lastError = err;
    }
  }

  const original: FunctionSettings = {
    memorySizeMB: snapshot.memorySizeMB,
    description: snapshot.description,
    environment: created.environmentTouched ? snapshot.environment : undefined,
  };
  let applied: TuneApplied | undefined;
  let applyError: unknown;
  let restored = !created.configurationTouched;
  const apply = run.plan.autoApply;
  if (created.configurationTouched || (apply !== false && winner !== undefined)) {
    let target = original;
    if (winner !== undefined && apply !== false) {
      progress(run, 'applying', winner);
      try {
        if (apply === '$LATEST') {
          target = { ...original, memorySizeMB: winner };
          applied = { target: '$LATEST', memorySizeMB: winner, version: undefined };
        } else {
          await cp.update({ ...original, memorySizeMB: winner }, undefined);
          const version = await cp.publish(`${snapshot.description === '' ? '' : `${snapshot.description} `}(lambda-meter tune: ${winner} MB)`.trim(), undefined);
          try {
            await cp.setAlias(apply.alias, version, undefined);
          } catch (err) {
            if (!run.preexisting.has(version)) await cp.deleteVersion(version, undefined).catch(() => undefined);
            throw err;
          }
          applied = { target: apply.alias, memorySizeMB: winner, version };
        }
      } catch (err) {
        applyError = err;
      }
    }
    progress(run, 'cleanup');
    try {
      await cp.update(target, undefined);
      const now = await cp.getConfiguration(undefined);
      restored = now.MemorySize === target.memorySizeMB && (now.Description ?? '') === target.description;
      if (!restored) lastError = new Error(`$LATEST shows MemorySize ${String(now.MemorySize)} and Description ${JSON.stringify(now.Description)} after the restore`);
    } catch (err) {
      lastError = err;
      restored = false;
    }
  }

  // What is left, as the service lists it (falls back to what could not be deleted when listing fails).
  let leftAliases = [...aliases].filter((a) => !deletedAliases.includes(a));
  let leftVersions = [...versions].filter((v) => !deletedVersions.includes(v));
  if (created.configurationTouched) {
    try {
      const listedAliases = await cp.listAliases(undefined);
      const listedVersions = await cp.listVersions(undefined);
      leftAliases = listedAliases.filter((a) => aliases.has(a.name) || (a.name.startsWith(MARKER_PREFIX) && a.name.endsWith(`-${runId}`))).map((a) => a.name);
      leftVersions = listedVersions.filter((v) => (versions.has(v.version) || ours(v.description)) && !run.preexisting.has(v.version)).map((v) => v.version);
    } catch (err) {
      lastError ??= err;
    }
  }
  if (leftAliases.length > 0 || leftVersions.length > 0 || !restored) {
    const fn = run.plan.functionName;
    const leftovers = [...leftAliases.map((a) => `alias ${a} of ${fn}`), ...leftVersions.map((v) => `version ${v} of ${fn}`)];
    if (!restored) {
      let now: { MemorySize?: unknown; Description?: unknown } | undefined;
      try {
        now = await cp.getConfiguration(undefined);
      } catch {
        now = undefined;
      }
      const memory = typeof now?.MemorySize === 'number' ? `memory size ${now.MemorySize} MB` : 'memory size';
      if (now?.MemorySize !== snapshot.memorySizeMB) leftovers.push(`${memory} (was ${snapshot.memorySizeMB}) on ${fn}`);
      if (now === undefined || (now.Description ?? '') !== snapshot.description) {
        const current = typeof now?.Description === 'string' ? ` ${JSON.stringify(now.Description)}` : '';
        leftovers.push(`description${current} (was ${JSON.stringify(snapshot.description)}) on ${fn}`);
      }
      if (created.environmentTouched) leftovers.push(`environment variable ${COLD_START_VARIABLE} on ${fn}`);
    }
    throw new CleanupError(OPERATION, leftovers, lastError ?? new Error('the cleanup could not be confirmed'), runError);
  }
  return { cleanup: { restored: true, deletedAliases, deletedVersions }, applied, applyError };
}

// ---------------------------------------------------------------------------------------------------------------
// Results

function summary(values: readonly number[], field: string): Summary | undefined {
  return values.length === 0 ? undefined : summarize(values, { field });
}

const mean = (values: readonly number[]): number => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);
/** The mean after leaving out ⌊n · fraction⌋ values at each end, as the sampler computes it. */
const trimmed = (values: readonly number[], fraction: number): number => (values.length === 0 ? Number.NaN : trimmedMean(values, fraction));

function configurationOf(run: Run, state: ConfigState): TuneConfiguration {
  const o = objective(run, state);
  const objectiveCostUSD = trimmed(o.costs, run.plan.discardTopBottom);
  const perInvocationUSD = mean(o.costs);
  const total = sumCosts(state.costs);
  const coldTotals = state.coldDurations.map((d, i) => d + (state.coldInit[i] ?? 0));
  return {
    memorySizeMB: state.memorySizeMB,
    invocations: state.invocations,
    warmInvocations: state.warmDurations.length,
    warm: summary(state.warmDurations, 'durationMs'),
    coldStarts:
      state.coldDurations.length === 0
        ? undefined
        : {
            count: state.coldDurations.length,
            initDurationMs: summarize(state.coldInit, { field: 'initDurationMs' }),
            durationMs: summarize(state.coldDurations, { field: 'durationMs' }),
            totalMs: summarize(coldTotals, { field: 'totalMs' }),
            costPerInvocationUSD: mean(state.coldCosts),
          },
    billedDurationMs: summary(state.billed, 'billedDurationMs'),
    cost: {
      perInvocationUSD,
      perMillionUSD: perInvocationUSD * 1e6,
      totalUSDExact: total.totalUSDExact,
      totalUSD: total.totalUSD,
    },
    objectiveDurationMs: trimmed(o.durations, run.plan.discardTopBottom),
    objectiveCostUSD,
    objectiveDurationsMs: [...o.durations],
    errors: { ...state.errors },
    failed: state.failed,
    eliminated: state.eliminated,
    maxMemoryUsedMB: state.maxMemoryUsedMB,
    headroomMB: state.maxMemoryUsedMB === undefined ? undefined : state.memorySizeMB - state.maxMemoryUsedMB,
    timedOut: state.timedOut,
    outOfMemory: state.outOfMemory,
  };
}

function pointsOf(configurations: readonly TuneConfiguration[]): TunePoint[] {
  return configurations
    .filter((c) => !c.failed && Number.isFinite(c.objectiveDurationMs) && Number.isFinite(c.objectiveCostUSD))
    .map((c) => ({ memorySizeMB: c.memorySizeMB, durationMs: c.objectiveDurationMs, costUSD: c.objectiveCostUSD }));
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/**
 * Finds the memory size that makes a function cheapest, fastest or best balanced, as AWS Lambda Power Tuning does,
 * from your own code: for each memory size it updates `$LATEST` (one update at a time, waiting until
 * `LastUpdateStatus` is `Successful`), publishes a version, creates an alias `lambda-meter-tune-<MB>-<run>` and
 * invokes it with the log tail (a fixed number of times, or adaptively until the leader is clear). Warm invocations
 * and cold starts are summarised separately; cost is priced exactly from each REPORT's Billed Duration.
 *
 * It **always cleans up**, on success, error and abort alike: every alias and version it created is deleted and
 * `$LATEST` gets back its original MemorySize and Description (and environment, with `onlyColdStarts`). Cleanup
 * retries faults with its own budget and is not cut short by `signal`; if it cannot finish, the run rejects with
 * {@link CleanupError} listing exactly what is left (the run's own error, if any, is its `cause`). Otherwise the run's own error (or `LambdaMeterAbortError`)
 * is rethrown after cleanup.
 *
 * @throws InvalidInputError naming the field (before any call); MissingPeerDependencyError without
 * `@aws-sdk/client-lambda`; TuneFunctionError when every memory size failed; CleanupError; ServiceCallError,
 * RetryExhaustedError, LambdaMeterAbortError.
 *
 * @example
 * ```ts
 * import { LambdaClient } from '@aws-sdk/client-lambda';
 * import { powerTune } from 'lambda-meter/tune';
 *
 * const result = await powerTune(
 *   { lambda: new LambdaClient({}) },
 *   { functionName: 'resize', memorySizes: [256, 512, 1024, 1769], payload: { width: 640 }, strategy: 'balanced' },
 *   { signal: AbortSignal.timeout(15 * 60_000), onProgress: (p) => console.error(p.phase, p.completed, p.total) },
 * );
 * console.log(result.recommendation, result.paretoFrontier, result.visualizationUrl);
 * ```
 */
export async function powerTune<L extends SdkClientLike>(
  clients: TuneClients<L>,
  input: PowerTuneInput,
  options: PowerTuneOptions = {},
): Promise<TuneResult> {
  const client = (clients as Partial<TuneClients> | null | undefined)?.lambda;
  checkClient(client, 'clients.lambda', 'LambdaClient');
  const plan = validateTuneInput(input, options, true);
  const signal = options.signal;
  checkAbort(signal);
  const sdk = await loadLambdaSdk(OPERATION);
  const wait = plan.updateWait;
  // The run's counters, once the run exists: retries before it report zeros.
  const counters: { run?: Run } = {};
  const onRetry = (retry: ProgressRetry): void => emit(options, counters.run, 'retrying', { retry });
  const cp = new ControlPlane(client as LambdaClientLike, sdk, plan.functionName, { retry: options.retry, wait, onRetry });
  const cleanupCp = new ControlPlane(client as LambdaClientLike, sdk, plan.functionName, {
    retry: options.cleanupRetry ?? DEFAULT_CLEANUP_RETRY,
    wait,
    onRetry,
  });

  emit(options, undefined, 'preparing');
  // Nothing has changed yet: a failure here needs no cleanup.
  const snapshot = await cp.snapshot(signal);
  if (snapshot.description.startsWith(MARKER_PREFIX)) {
    throw new InvalidInputError(
      'input.functionName',
      `$LATEST's Description is ${JSON.stringify(snapshot.description)}, a lambda-meter tune marker: an earlier run did not restore it; set its settings back first`,
    );
  }
  const preexisting = new Set((await cp.listVersions(signal)).map((v) => v.version));
  checkAbort(signal);

  const warnings: string[] = [];
  const run: Run = {
    plan,
    cp,
    client: client as LambdaClientLike,
    runId: randomBytes(4).toString('hex'),
    snapshot,
    preexisting,
    created: { aliases: new Set(), versions: new Set(), configurationTouched: false, environmentTouched: false },
    states: plan.memorySizes.map((m) => newState(plan, m)),
    warnings,
    pricing: resolvePricing(plan, snapshot, warnings),
    options,
    phase: 'preparing',
    done: 0,
    planned: 0,
    functionErrors: 0,
  };
  counters.run = run;

  let runError: unknown;
  let configurations: TuneConfiguration[] = [];
  let recommendation: TuneRecommendation | undefined;
  try {
    await measure(run);
    configurations = run.states.map((s) => configurationOf(run, s));
    if (!plan.dryRun) {
      const points = pointsOf(configurations);
      if (points.length === 0) {
        const failed = Object.fromEntries(configurations.filter((c) => c.failed).map((c) => [c.memorySizeMB, c.errors]));
        if (Object.keys(failed).length > 0) throw new TuneFunctionError(plan.functionName, failed);
        throw new TuneFunctionError(plan.functionName, {});
      }
      recommendation = recommend(points, plan.strategy, { balancedWeight: plan.balancedWeight, tieTolerance: plan.tieTolerance });
    }
  } catch (err) {
    runError = err;
  }

  progress(run, 'cleanup');
  const outcome = await cleanUp(run, cleanupCp, runError === undefined ? recommendation?.memorySizeMB : undefined, runError);
  if (runError !== undefined) throw runError;
  if (outcome.applyError !== undefined) throw outcome.applyError;
  progress(run, 'done');
  const result = {
    functionName: plan.functionName,
    recommendation,
    strategy: plan.strategy,
    balancedWeight: plan.balancedWeight,
    discardTopBottom: plan.discardTopBottom,
    tieTolerance: plan.tieTolerance,
    configurations,
    paretoFrontier: plan.dryRun ? [] : paretoFrontierSizes(pointsOf(configurations)),
    invocations: run.done,
    cleanup: outcome.cleanup,
    applied: outcome.applied,
    warnings,
  };
  return { ...result, visualizationUrl: visualizationUrl(result) };
}
