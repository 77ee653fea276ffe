/**
 * `compareGrid`: one function at every memory size × architecture, measured warm in randomised blocks, with the
 * Pareto frontier of (cost, Duration) and, per memory size, arm64 against x86_64 with an anytime-valid interval.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_PRICES, reportCost } from '../cost/index.js';
import type { Architecture } from '../cost/types.js';
import { CleanupError } from '../errors.js';
import { throwIfAborted } from '../internal/abort.js';
import type { LambdaClientLike, SdkClientLike } from '../internal/clients.js';
import type { Progress, ProgressPhase, ProgressRetry } from '../internal/options.js';
import { loadLambdaSdk } from '../internal/peer.js';
import { checkClient } from '../internal/validate.js';
import { invokeWithTail } from '../invoke/index.js';
import { paretoFrontier, summarize } from '../stats/index.js';
import type { Summary } from '../stats/summarize.js';
import { comparisonVisualizationUrl } from '../tune/analysis.js';
import type { VisualizedRun } from '../tune/analysis.js';
import { COMPARE_MARKER_PREFIX, deleteRunVersions, loadCode, readFunction, regionOfArn, restoreCode, setArchitecture } from './compare.js';
import { mulberry32, shuffle } from '../internal/random.js';
import type { FunctionRun } from './compare.js';
import { METHOD, ratioInterval } from './sequential.js';
import { COMPARE_METRICS } from './types.js';
import type { ArchitectureRatio, CompareClients, CompareMetric, GridConfiguration, GridInput, GridOptions, GridResult } from './types.js';
import { validateGridInput } from './validate.js';
import type { GridPlan } from './validate.js';

const OPERATION = 'compareGrid';

/** One warm invocation's measurements. */
interface GridSample {
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly clientLatencyMs: number;
  readonly maxMemoryUsedMB: number;
  readonly costUSD: number;
  readonly failed: boolean;
}

/** One configuration while the grid runs. */
interface Cell {
  readonly memorySizeMB: number;
  readonly architecture: Architecture;
  version: string | undefined;
  readonly warm: GridSample[];
  initDurationMs: number | undefined;
  failed: number;
  attempts: number;
}

interface GridRun {
  readonly plan: GridPlan;
  readonly options: GridOptions;
  readonly client: LambdaClientLike;
  readonly fn: FunctionRun;
  readonly tag: string;
  readonly cells: readonly Cell[];
  readonly region: string;
  sent: number;
  done: number;
  planned: number;
  functionErrors: number;
  costUSD: number;
}

function emit(run: GridRun, phase: ProgressPhase, extra: Partial<Progress> = {}): void {
  run.options.onProgress?.({ operation: OPERATION, phase, completed: run.done, total: run.planned, failed: run.functionErrors, ...extra });
}

/** Publishes one version per configuration, architecture by architecture (fewest code deployments). */
async function configure(run: GridRun): Promise<void> {
  const { fn } = run;
  const signal = run.options.signal;
  fn.preexisting = new Set((await fn.cp.listVersions(signal)).map((v) => v.version));
  const byArchitecture = [...run.cells].sort((a, b) => (a.architecture === fn.currentArchitecture ? -1 : 0) - (b.architecture === fn.currentArchitecture ? -1 : 0));
  for (const cell of byArchitecture) {
    throwIfAborted(signal, OPERATION);
    emit(run, 'configuring', { memorySizeMB: cell.memorySizeMB });
    const description = `${run.tag}:${cell.memorySizeMB}:${cell.architecture}`;
    fn.touched = true;
    await setArchitecture(fn, cell.architecture, signal);
    await fn.cp.update({ memorySizeMB: cell.memorySizeMB, description }, signal);
    throwIfAborted(signal, OPERATION);
    const version = await fn.cp.publish(description, signal);
    if (!fn.preexisting.has(version)) fn.createdVersions.add(version);
    cell.version = version;
  }
}

async function invoke(run: GridRun, cell: Cell): Promise<void> {
  const { options, plan } = run;
  const index = run.sent++;
  const payload = typeof plan.payload === 'function' ? (plan.payload as (i: number) => unknown)(index) : plan.payload;
  const onProgress =
    options.onProgress === undefined
      ? undefined
      : (p: Progress): void => {
          if (p.phase === 'retrying') emit(run, 'retrying', p.retry === undefined ? {} : { retry: p.retry });
        };
  const inv = await invokeWithTail(
    run.client,
    { functionName: run.fn.name, qualifier: cell.version, payload },
    { signal: options.signal, retry: options.retry, ...(onProgress === undefined ? {} : { onProgress }) },
  );
  run.done++;
  cell.attempts++;
  const failed = inv.functionError !== undefined;
  if (failed) {
    run.functionErrors++;
    cell.failed++;
  }
  const report = inv.report;
  if (report === undefined) return;
  const costUSD = reportCost(report, { prices: plan.prices ?? DEFAULT_PRICES, architecture: cell.architecture, region: run.region }).totalUSD;
  run.costUSD += costUSD;
  if (report.coldStart) {
    cell.initDurationMs ??= report.initDurationMs ?? report.restoreDurationMs;
    return;
  }
  cell.warm.push({
    durationMs: report.durationMs,
    billedDurationMs: report.billedDurationMs,
    clientLatencyMs: inv.clientLatencyMs,
    maxMemoryUsedMB: report.maxMemoryUsedMB,
    costUSD,
    failed,
  });
}

/** Randomised blocks over the configurations that still need warm invocations, until each has `count`. */
async function sample(run: GridRun): Promise<GridResult['stoppedBecause']> {
  const { plan, options } = run;
  const random = mulberry32(plan.seed);
  const started = plan.clock();
  // A configuration whose invocations keep coming back cold or without a REPORT stops after this many attempts.
  const maxAttempts = 2 * plan.count + 5;
  for (;;) {
    const open = run.cells.filter((c) => c.warm.length < plan.count && c.attempts < maxAttempts);
    if (open.length === 0) return 'count';
    if (plan.maxDurationMs !== undefined && plan.clock() - started >= plan.maxDurationMs) return 'max-duration';
    if (plan.maxCostUSD !== undefined) {
      const perInvocation = run.done === 0 ? 0 : run.costUSD / run.done;
      if (run.costUSD + perInvocation * open.length * plan.blockSize > plan.maxCostUSD) return 'max-cost';
    }
    const block = shuffle(open.flatMap((c) => Array<Cell>(Math.min(plan.blockSize, plan.count - c.warm.length)).fill(c)), random);
    run.planned = Math.max(run.planned, run.done + block.length);
    for (const cell of block) {
      throwIfAborted(options.signal, OPERATION);
      await invoke(run, cell);
      emit(run, cell.warm.length > 0 ? 'warm' : 'invoking', { memorySizeMB: cell.memorySizeMB });
    }
  }
}

/** Deletes the versions the grid published and restores `$LATEST`'s code, architecture, memory size and description. */
async function cleanUp(run: GridRun, runError: unknown): Promise<void> {
  const { fn, tag } = run;
  if (!fn.touched && !fn.codeTouched) return;
  const cp = fn.cleanupCp;
  const leftovers: string[] = [];
  let lastError: unknown;
  lastError = (await deleteRunVersions(fn, (description) => description.startsWith(`${tag}:`), leftovers)) ?? lastError;
  try {
    leftovers.push(...(await restoreCode(fn)));
  } catch (err) {
    lastError = err;
    leftovers.push(`architecture and code of $LATEST (was ${fn.originalArchitecture}) on ${fn.name}`);
  }
  const { snapshot } = fn;
  try {
    await cp.update({ memorySizeMB: snapshot.memorySizeMB, description: snapshot.description }, undefined);
    const now = await cp.getConfiguration(undefined);
    if (now.MemorySize !== snapshot.memorySizeMB) leftovers.push(`memory size ${String(now.MemorySize)} MB (was ${snapshot.memorySizeMB}) on ${fn.name}`);
    if ((now.Description ?? '') !== snapshot.description) leftovers.push(`description ${JSON.stringify(now.Description)} (was ${JSON.stringify(snapshot.description)}) on ${fn.name}`);
  } catch (err) {
    lastError = err;
    leftovers.push(`memory size and description of $LATEST (were ${snapshot.memorySizeMB} MB, ${JSON.stringify(snapshot.description)}) on ${fn.name}`);
  }
  if (leftovers.length > 0) throw new CleanupError(OPERATION, leftovers, lastError ?? new Error('the restore could not be confirmed'), runError);
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return summarize(values).p50;
}

function configurationOf(cell: Cell): Omit<GridConfiguration, 'dominated'> {
  const ok = cell.warm.filter((s) => !s.failed);
  const warm: Partial<Record<CompareMetric, Summary>> = {};
  for (const metric of COMPARE_METRICS) {
    if (metric === 'initDurationMs') {
      if (cell.initDurationMs !== undefined) warm.initDurationMs = summarize([cell.initDurationMs], { field: metric });
      continue;
    }
    const values = ok.map((s) => s[metric]);
    if (values.length > 0) warm[metric] = summarize(values, { field: metric });
  }
  return {
    memorySizeMB: cell.memorySizeMB,
    architecture: cell.architecture,
    warm,
    count: cell.warm.length,
    failed: cell.failed,
    durationMs: median(ok.map((s) => s.durationMs)),
    costUSD: median(ok.map((s) => s.costUSD)),
  };
}

function ratioOf(x86: readonly number[], arm: readonly number[], confidence: number): ArchitectureRatio['durationMs'] {
  if (x86.some((v) => !(v > 0)) || arm.some((v) => !(v > 0))) return undefined;
  const r = ratioInterval(x86, arm, { confidence });
  return r === undefined ? undefined : { estimate: r.estimate, interval: [r.lower, r.upper] };
}

/**
 * Measures one function at every memory size × architecture: a version is published from `$LATEST` per
 * configuration (the architecture changed with UpdateFunctionCode and the function's own code package, as `compare`
 * does), then warm invocations run in randomised blocks over the configurations (each in a seeded random order) until
 * each has `count`, or a budget cap is reached. A configuration's first invocation is cold: its Init Duration is kept
 * apart, and it is not one of the `count`.
 *
 * The result has warm summaries per configuration, the Pareto frontier of (median cost, median Duration) — the
 * configurations no other is at least as cheap and as fast as, and better in one (`paretoFrontier` of
 * `lambda-meter/stats`) — and, for each memory size measured on both architectures, the arm64/x86_64 ratio of
 * Duration and of cost per invocation with `compare`'s anytime-valid interval (`ratioInterval`).
 *
 * It **always cleans up**, on success, error and abort alike: the versions it published are deleted and `$LATEST`
 * gets back its code, architecture, memory size and description; if that cannot be confirmed the run rejects with
 * {@link CleanupError} listing what is left.
 *
 * @throws InvalidInputError naming the field (a code package over 50 MB zipped names `input.architectures`);
 * MissingPeerDependencyError; CleanupError; ServiceCallError (an image that is not multi-architecture fails its
 * update with Lambda's own error), RetryExhaustedError, LambdaMeterAbortError.
 *
 * @example
 * ```ts
 * import { LambdaClient } from '@aws-sdk/client-lambda';
 * import { compareGrid } from 'lambda-meter/compare';
 *
 * const grid = await compareGrid(
 *   { lambda: new LambdaClient({}) },
 *   { functionName: 'resize', memorySizes: [512, 1024], architectures: ['x86_64', 'arm64'] },
 *   { count: 30, seed: 1 },
 * );
 * for (const r of grid.ratios) console.log(r.memorySizeMB, r.durationMs?.interval, r.costUSD?.estimate);
 * console.log(grid.frontier.map((c) => `${c.memorySizeMB} MB ${c.architecture}`));
 * ```
 */
export async function compareGrid<L extends SdkClientLike>(clients: CompareClients<L>, input: GridInput, options: GridOptions = {}): Promise<GridResult> {
  const client = (clients as Partial<CompareClients> | null | undefined)?.lambda as LambdaClientLike | undefined;
  checkClient(client, 'clients.lambda', 'LambdaClient');
  const plan = validateGridInput(input, options);
  const signal = options.signal;
  throwIfAborted(signal, OPERATION);
  const startedAt = plan.clock();
  const sdk = await loadLambdaSdk(OPERATION);
  const holder: { run?: GridRun } = {};
  const onRetry = (retry: ProgressRetry): void => {
    if (holder.run !== undefined) emit(holder.run, 'retrying', { retry });
  };
  options.onProgress?.({ operation: OPERATION, phase: 'preparing', completed: 0, total: 0, failed: 0 });
  const lambda = client as LambdaClientLike;
  const fn = await readFunction(lambda, sdk, plan.functionName, 'input', plan, options, onRetry);
  const architectures = plan.architectures ?? [fn.originalArchitecture];
  if (architectures.some((a) => a !== fn.originalArchitecture)) {
    fn.code = await loadCode(fn.cp, fn.name, 'input.architectures', fn.codeSha256, signal);
  }
  throwIfAborted(signal, OPERATION);
  const order: Architecture[] = ['x86_64', 'arm64'];
  const cells: Cell[] = [];
  for (const memorySizeMB of [...plan.memorySizes].sort((a, b) => a - b)) {
    for (const architecture of order.filter((a) => architectures.includes(a))) {
      cells.push({ memorySizeMB, architecture, version: undefined, warm: [], initDurationMs: undefined, failed: 0, attempts: 0 });
    }
  }
  const prices = plan.prices ?? DEFAULT_PRICES;
  let region = regionOfArn(fn.snapshot.functionArn) ?? prices.defaultRegion;
  if (prices.regions[region] === undefined) region = prices.defaultRegion;
  const run: GridRun = {
    plan,
    options,
    client: lambda,
    fn,
    tag: `${COMPARE_MARKER_PREFIX}:${randomBytes(4).toString('hex')}`,
    cells,
    region,
    sent: 0,
    done: 0,
    planned: cells.length * plan.count,
    functionErrors: 0,
    costUSD: 0,
  };
  holder.run = run;

  let runError: unknown;
  let stoppedBecause: GridResult['stoppedBecause'] | undefined;
  try {
    await configure(run);
    // $LATEST back to its own architecture and memory size while the versions are measured.
    await setArchitecture(fn, fn.originalArchitecture, signal);
    await fn.cp.update({ memorySizeMB: fn.snapshot.memorySizeMB, description: `${run.tag}` }, signal);
    stoppedBecause = await sample(run);
  } catch (err) {
    runError = err;
  }
  emit(run, 'cleanup');
  await cleanUp(run, runError);
  if (runError !== undefined || stoppedBecause === undefined) throw runError;

  const measured = cells.map((c) => configurationOf(c));
  const priced = measured.filter((c) => c.costUSD !== undefined && c.durationMs !== undefined);
  const front = new Set(paretoFrontier(priced, (c) => [c.costUSD as number, c.durationMs as number]));
  const configurations: GridConfiguration[] = measured.map((c) => ({ ...c, dominated: !front.has(c) }));
  const frontier = configurations
    .filter((c) => !c.dominated && c.costUSD !== undefined && c.durationMs !== undefined)
    .sort((a, b) => (a.costUSD as number) - (b.costUSD as number) || (a.durationMs as number) - (b.durationMs as number));
  const ratios: ArchitectureRatio[] = [];
  for (const memorySizeMB of [...new Set(cells.map((c) => c.memorySizeMB))]) {
    const x86 = cells.find((c) => c.memorySizeMB === memorySizeMB && c.architecture === 'x86_64');
    const arm = cells.find((c) => c.memorySizeMB === memorySizeMB && c.architecture === 'arm64');
    if (x86 === undefined || arm === undefined) continue;
    const ok = (c: Cell): GridSample[] => c.warm.filter((s) => !s.failed);
    ratios.push({
      memorySizeMB,
      durationMs: ratioOf(ok(x86).map((s) => s.durationMs), ok(arm).map((s) => s.durationMs), plan.confidence),
      costUSD: ratioOf(ok(x86).map((s) => s.costUSD), ok(arm).map((s) => s.costUSD), plan.confidence),
    });
  }
  // Both architectures measured: the two runs on one page of the Power Tuning UI that draws comparisons.
  const runOf = (architecture: Architecture): VisualizedRun => ({
    configurations: configurations
      .filter((c) => c.architecture === architecture && c.durationMs !== undefined && c.costUSD !== undefined)
      .map((c) => ({ memorySizeMB: c.memorySizeMB, objectiveDurationMs: c.durationMs as number, objectiveCostUSD: c.costUSD as number, failed: false })),
  });
  const bothArchitectures = ratios.length > 0;
  emit(run, 'done');
  return {
    functionName: fn.name,
    configurations,
    frontier,
    ratios,
    ...(bothArchitectures
      ? { visualizationUrl: comparisonVisualizationUrl(runOf('x86_64'), runOf('arm64'), { labels: ['x86_64', 'arm64'] }) }
      : {}),
    confidence: plan.confidence,
    stoppedBecause,
    invocations: run.done,
    costUSD: run.costUSD,
    method: `${METHOD} Each configuration is a version published from $LATEST; warm invocations run in randomised blocks over the configurations (a seeded random order in each block); the frontier is over the median cost and the median Duration of warm invocations; arm64/x86_64 is the ratio of the two architectures at one memory size.`,
    startedAt,
    endedAt: plan.clock(),
  };
}
