/**
 * `compare`: is B faster or cheaper than A? Sets each side's configuration (restored afterwards), forces cold starts
 * apart, then samples warm invocations in randomised blocks and stops as soon as the anytime-valid interval of B/A
 * gives a verdict, or a budget cap is reached.
 *
 * @module
 */
import { mulberry32, shuffle } from '../internal/random.js';
import { createHash, randomBytes } from 'node:crypto';
import { COLD_START_VARIABLE } from '../coldstarts/measure.js';
import { DEFAULT_PRICES, reportCost } from '../cost/index.js';
import type { Architecture, PriceTable } from '../cost/types.js';
import { CleanupError, InvalidInputError, ServiceCallError } from '../errors.js';
import { throwIfAborted } from '../internal/abort.js';
import type { LambdaClientLike, SdkClientLike } from '../internal/clients.js';
import { ControlPlane } from '../internal/control-plane.js';
import type { FunctionSnapshot } from '../internal/control-plane.js';
import type { Progress, ProgressPhase, ProgressRetry } from '../internal/options.js';
import { loadLambdaSdk } from '../internal/peer.js';
import { errorCode } from '../internal/retry.js';
import { checkClient } from '../internal/validate.js';
import { invokeWithTail } from '../invoke/index.js';
import type { TailInvocation } from '../invoke/types.js';
import { summarize } from '../stats/index.js';
import type { Summary } from '../stats/summarize.js';
import { compareMetric, expectedPerRequest, METHOD } from './sequential.js';
import { COMPARE_METRICS } from './types.js';
import type {
  CompareClients,
  CompareInput,
  CompareMetric,
  CompareOptions,
  CompareResult,
  CompareSample,
  CompareSide,
  CompareTarget,
  MetricComparison,
  StopReason,
  Verdict,
} from './types.js';
import { validateCompareInput } from './validate.js';
import type { ComparePlan } from './validate.js';

const OPERATION = 'compare';
/** Prefix of the Description marker on `$LATEST` and on every version a run publishes. */
export const COMPARE_MARKER_PREFIX = 'lambda-meter-compare';
/** Default retry of cleanup calls: more patient than the run's, and never cut short by the run's signal. */
const DEFAULT_CLEANUP_RETRY = { maxAttempts: 12, baseDelayMs: 100, maxDelayMs: 5000, budgetMs: 120_000 } as const;

type SideKey = 'a' | 'b';

/**
 * How a side is invoked: `direct` (its qualifier or `$LATEST`, unchanged), `latest` (`$LATEST` updated in place), or
 * `version` (versions the run publishes from `$LATEST` with the side's memory size).
 */
type SideMode = 'direct' | 'latest' | 'version';

/** One function the run reads and may change. */
export interface FunctionRun {
  readonly name: string;
  readonly cp: ControlPlane;
  readonly cleanupCp: ControlPlane;
  readonly snapshot: FunctionSnapshot;
  readonly codeSha256: string | undefined;
  preexisting: ReadonlySet<string>;
  readonly createdVersions: Set<string>;
  /** `$LATEST`'s MemorySize or Description was changed. */
  touched: boolean;
  /** `$LATEST`'s environment was changed. */
  environmentTouched: boolean;
  /** The memory size `$LATEST` must have while the warm invocations run. */
  latestMemorySizeMB: number;
  /** `$LATEST`'s architecture before the run, and the one it must have while the warm invocations run. */
  readonly originalArchitecture: Architecture;
  latestArchitecture: Architecture;
  /** `$LATEST`'s architecture now; undefined after an UpdateFunctionCode whose outcome is not known. */
  currentArchitecture: Architecture | undefined;
  /** The code package, read before anything changes when a side needs another architecture. */
  code: CodeSource | undefined;
  /** `$LATEST`'s code was deployed again (UpdateFunctionCode) with another architecture. */
  codeTouched: boolean;
}

/** One side while the run goes on. */
interface SideRun {
  readonly key: SideKey;
  readonly field: string;
  readonly target: CompareTarget;
  readonly label: string;
  readonly fn: FunctionRun;
  readonly mode: SideMode;
  readonly memorySizeMB: number;
  readonly architecture: Architecture;
  readonly pricing: { readonly prices: PriceTable; readonly architecture: Architecture; readonly region: string };
  /** What the warm invocations invoke. */
  qualifier: string | undefined;
  /** Invocations sent so far (the payload index). */
  sent: number;
  failed: number;
  readonly warm: CompareSample[];
  readonly cold: CompareSample[];
}

interface Run {
  readonly plan: ComparePlan;
  readonly options: CompareOptions;
  readonly client: LambdaClientLike;
  readonly runId: string;
  readonly sides: readonly [SideRun, SideRun];
  readonly samples: CompareSample[];
  done: number;
  planned: number;
  functionErrors: number;
  costUSD: number;
}

function emit(options: CompareOptions, run: Run | undefined, phase: ProgressPhase, extra: Partial<Progress> = {}): void {
  options.onProgress?.({
    operation: OPERATION,
    phase,
    completed: run?.done ?? 0,
    total: run?.planned ?? 0,
    failed: run?.functionErrors ?? 0,
    ...extra,
  });
}

/** A randomised block: `k` × A and `k` × B, shuffled. */
function blockOrder(k: number, random: () => number): SideKey[] {
  return shuffle<SideKey>([...Array<SideKey>(k).fill('a'), ...Array<SideKey>(k).fill('b')], random);
}

export function regionOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 && parts[3] !== '' ? parts[3] : undefined;
}

export function isNotFound(err: unknown): boolean {
  return (ServiceCallError.is(err) ? err.code : errorCode(err)) === 'ResourceNotFoundException' || errorCode((err as { cause?: unknown } | null)?.cause) === 'ResourceNotFoundException';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The value of one metric in a sample; undefined when the sample has none. */
function valueOf(sample: CompareSample, metric: CompareMetric): number | undefined {
  return metric === 'initDurationMs' ? sample.initDurationMs : sample[metric];
}

function values(samples: readonly CompareSample[], metric: CompareMetric): number[] {
  const out: number[] = [];
  for (const s of samples) {
    const v = valueOf(s, metric);
    if (!s.failed && v !== undefined) out.push(v);
  }
  return out;
}

function summaries(samples: readonly CompareSample[]): Partial<Record<CompareMetric, Summary>> {
  const out: Partial<Record<CompareMetric, Summary>> = {};
  for (const metric of COMPARE_METRICS) {
    const v = values(samples, metric);
    if (v.length > 0) out[metric] = summarize(v, { field: metric });
  }
  return out;
}

/** `compareMetric` where every value is > 0 (its log scale needs it); undefined otherwise or with too few values. */
function comparison(metric: CompareMetric, a: readonly number[], b: readonly number[], plan: ComparePlan): MetricComparison | undefined {
  if (a.some((v) => !(v > 0)) || b.some((v) => !(v > 0))) return undefined;
  return compareMetric(metric, a, b, { confidence: plan.confidence, margin: plan.margin });
}

// ---------------------------------------------------------------------------------------------------------------
// Preparing: read everything, decide how each side runs, change nothing.

/** The code of `$LATEST`, to deploy again with another architecture: the .zip package's bytes, or the image URI. */
export type CodeSource = { readonly zipFile: Uint8Array } | { readonly imageUri: string };

/** The largest .zip package UpdateFunctionCode accepts in the request itself (`ZipFile`), bytes: 50 MB (Lambda quotas). */
export const MAX_DIRECT_UPLOAD_BYTES = 50 * 1024 * 1024;

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** True for an https URL, or an http URL on the loopback interface (lambda-meter local serves its packages so). */
function downloadable(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/**
 * Reads `$LATEST`'s code before anything changes: GetFunction's `Code`, then for a .zip package its bytes from the
 * presigned `Code.Location` (node's fetch, checked against `CodeSha256`), for an image its `ImageUri`.
 *
 * @throws InvalidInputError naming `field` when the package is larger than {@link MAX_DIRECT_UPLOAD_BYTES} or the code
 * cannot be read; ServiceCallError when the download fails or does not match `CodeSha256`.
 */
export async function loadCode(cp: ControlPlane, name: string, field: string, codeSha256: string | undefined, signal: AbortSignal | undefined): Promise<CodeSource> {
  const code = await cp.getCode(signal);
  if (code.repositoryType === 'ECR' || code.imageUri !== undefined) {
    if (code.imageUri === undefined) throw new InvalidInputError(field, `GetFunction gives no ImageUri for the container image of ${name}`);
    return { imageUri: code.imageUri };
  }
  if (code.location === undefined) {
    throw new InvalidInputError(field, `GetFunction gives no Code.Location for ${name}: its code package cannot be read (the caller needs lambda:GetFunction)`);
  }
  let url: URL;
  try {
    url = new URL(code.location);
  } catch {
    throw new InvalidInputError(field, `GetFunction's Code.Location of ${name} is not a URL`);
  }
  if (!downloadable(url)) throw new InvalidInputError(field, `GetFunction's Code.Location of ${name} is not an https URL (${url.protocol})`);
  const tooLarge = (bytes: number): InvalidInputError =>
    new InvalidInputError(
      field,
      `the code package of ${name} is ${mb(bytes)} zipped, more than the ${mb(MAX_DIRECT_UPLOAD_BYTES)} UpdateFunctionCode accepts directly (ZipFile), and compare changes the architecture with that upload only; deploy the ${name} variant with the other architecture yourself (from S3) and compare the two`,
    );
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ?? null });
  } catch (err) {
    throwIfAborted(signal, OPERATION);
    throw new ServiceCallError('Lambda.GetFunction', 'CodeDownloadFailed', `the code package of ${name} could not be downloaded: ${(err as Error).message}`, undefined, { cause: err });
  }
  if (!response.ok) {
    throw new ServiceCallError('Lambda.GetFunction', 'CodeDownloadFailed', `the code package of ${name} could not be downloaded: HTTP ${response.status}`, response.status);
  }
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(length) && length > MAX_DIRECT_UPLOAD_BYTES) {
    await response.body?.cancel();
    throw tooLarge(length);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_DIRECT_UPLOAD_BYTES) throw tooLarge(bytes.length);
  const sha = createHash('sha256').update(bytes).digest('base64');
  if (codeSha256 !== undefined && sha !== codeSha256) {
    throw new ServiceCallError('Lambda.GetFunction', 'CodeMismatch', `the code package downloaded for ${name} has SHA-256 ${sha}, not its CodeSha256 ${codeSha256}`);
  }
  return { zipFile: bytes };
}

/** Reads a function's settings before a run changes anything; a missing function is an InvalidInputError at `field`. */
export async function readFunction(
  client: LambdaClientLike,
  sdk: Awaited<ReturnType<typeof loadLambdaSdk>>,
  name: string,
  field: string,
  plan: Pick<ComparePlan, 'updateWait'>,
  options: Pick<CompareOptions, 'retry' | 'signal'>,
  onRetry: (retry: ProgressRetry) => void,
): Promise<FunctionRun> {
  const cp = new ControlPlane(client, sdk, name, { retry: options.retry, wait: plan.updateWait, onRetry });
  const cleanupCp = new ControlPlane(client, sdk, name, { retry: DEFAULT_CLEANUP_RETRY, wait: plan.updateWait, onRetry });
  let snapshot: FunctionSnapshot;
  let codeSha256: string | undefined;
  try {
    snapshot = await cp.snapshot(options.signal);
    codeSha256 = str(((await cp.getConfiguration(options.signal)) as { CodeSha256?: unknown }).CodeSha256);
  } catch (err) {
    if (isNotFound(err)) throw new InvalidInputError(`${field}.functionName`, `no function ${name} exists`, { cause: err });
    throw err;
  }
  if (snapshot.description.startsWith(COMPARE_MARKER_PREFIX)) {
    throw new InvalidInputError(
      `${field}.functionName`,
      `$LATEST's Description of ${name} is ${JSON.stringify(snapshot.description)}, a lambda-meter compare marker: an earlier run did not restore it; set its settings back first`,
    );
  }
  return {
    name,
    cp,
    cleanupCp,
    snapshot,
    codeSha256,
    preexisting: new Set(),
    createdVersions: new Set(),
    touched: false,
    environmentTouched: false,
    latestMemorySizeMB: snapshot.memorySizeMB,
    originalArchitecture: snapshot.architecture === 'arm64' ? 'arm64' : 'x86_64',
    latestArchitecture: snapshot.architecture === 'arm64' ? 'arm64' : 'x86_64',
    currentArchitecture: snapshot.architecture === 'arm64' ? 'arm64' : 'x86_64',
    code: undefined,
    codeTouched: false,
  };
}

async function prepareSide(
  key: SideKey,
  target: CompareTarget,
  fn: FunctionRun,
  shared: boolean,
  plan: ComparePlan,
  signal: AbortSignal | undefined,
): Promise<SideRun> {
  const field = `input.${key}`;
  let memory = fn.snapshot.memorySizeMB;
  let arch = fn.snapshot.architecture;
  let codeSha256 = fn.codeSha256;
  let arn = fn.snapshot.functionArn;
  const qualified = target.qualifier !== undefined && target.qualifier !== '$LATEST';
  if (qualified) {
    let config: { MemorySize?: unknown; Architectures?: unknown; CodeSha256?: unknown; FunctionArn?: unknown };
    try {
      config = await fn.cp.getConfiguration(signal, target.qualifier);
    } catch (err) {
      if (isNotFound(err)) {
        throw new InvalidInputError(`${field}.qualifier`, `${fn.name} has no published version or alias ${JSON.stringify(target.qualifier)}`, { cause: err });
      }
      throw err;
    }
    if (typeof config.MemorySize === 'number') memory = config.MemorySize;
    if (Array.isArray(config.Architectures)) arch = str(config.Architectures[0]) ?? arch;
    codeSha256 = str(config.CodeSha256);
    arn = str(config.FunctionArn) ?? arn;
  }
  const own: Architecture = arch === 'arm64' ? 'arm64' : 'x86_64';
  const architecture: Architecture = target.architecture ?? own;
  const change = (target.memorySizeMB !== undefined && target.memorySizeMB !== memory) || architecture !== own;
  const memorySizeMB = target.memorySizeMB ?? memory;
  let mode: SideMode = 'direct';
  if (qualified && (change || plan.coldStarts > 0)) mode = 'version';
  else if (!qualified && change) mode = shared ? 'version' : 'latest';
  if (mode === 'version' && qualified && codeSha256 !== fn.codeSha256) {
    throw new InvalidInputError(
      `${field}.qualifier`,
      `${fn.name}:${target.qualifier} runs other code than $LATEST, and ${change ? `${field}.memorySizeMB or ${field}.architecture` : 'input.coldStarts'} needs versions published from $LATEST; compare it without them, or deploy its code to $LATEST`,
    );
  }
  if ((mode !== 'direct' || plan.coldStarts > 0) && fn.snapshot.environmentError !== undefined) {
    throw new InvalidInputError(`${field}.functionName`, `the environment of ${fn.name} cannot be read (${fn.snapshot.environmentError}); it cannot be restored safely`);
  }
  const prices = plan.prices ?? DEFAULT_PRICES;
  let region = regionOfArn(arn) ?? prices.defaultRegion;
  if (prices.regions[region] === undefined) region = prices.defaultRegion;
  if (mode === 'latest') {
    fn.latestMemorySizeMB = memorySizeMB;
    fn.latestArchitecture = architecture;
  }
  if (mode !== 'direct' && architecture !== fn.originalArchitecture && fn.code === undefined) {
    fn.code = await loadCode(fn.cp, fn.name, `${field}.architecture`, fn.codeSha256, signal);
  }
  return {
    key,
    field,
    target,
    label: target.label ?? (target.qualifier === undefined ? target.functionName : `${target.functionName}:${target.qualifier}`),
    fn,
    mode,
    memorySizeMB,
    architecture,
    pricing: { prices, architecture, region },
    qualifier: mode === 'direct' ? target.qualifier : undefined,
    sent: 0,
    failed: 0,
    warm: [],
    cold: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Configuring and invoking

function marker(run: Run, side?: SideRun, sample?: number): string {
  return [`${COMPARE_MARKER_PREFIX}:${run.runId}`, side?.key, sample].filter((p) => p !== undefined).join(':');
}

/** Publishes a version of `$LATEST` with the side's memory size (and a new cold-start variable when `nonce` is set). */
async function publishFor(run: Run, side: SideRun, nonce?: number): Promise<string> {
  const { fn } = side;
  const signal = run.options.signal;
  const description = marker(run, side, nonce);
  fn.touched = true;
  if (nonce !== undefined) fn.environmentTouched = true;
  await setArchitecture(fn, side.architecture, signal);
  await fn.cp.update(
    {
      memorySizeMB: side.memorySizeMB,
      description,
      environment: nonce === undefined ? undefined : { ...fn.snapshot.environment, [COLD_START_VARIABLE]: `${run.runId}-${side.key}-${nonce}` },
    },
    signal,
  );
  throwIfAborted(signal, OPERATION);
  const version = await fn.cp.publish(description, signal);
  if (!fn.preexisting.has(version)) fn.createdVersions.add(version);
  return version;
}

/**
 * Deploys `$LATEST`'s own code again with `architecture` (UpdateFunctionCode), unless it has it already. The code was
 * read before the run changed anything (see `loadCode`).
 */
export async function setArchitecture(fn: FunctionRun, architecture: Architecture, signal: AbortSignal | undefined): Promise<void> {
  if (fn.currentArchitecture === architecture) return;
  if (fn.code === undefined) throw new Error(`internal: the code of ${fn.name} was not read before its architecture changes`);
  fn.codeTouched = true;
  fn.currentArchitecture = undefined;
  await fn.cp.updateCode({ ...fn.code, architecture }, signal);
  fn.currentArchitecture = architecture;
}

/** Gives `$LATEST` the memory size and architecture its warm invocations need, after versions were published from it. */
async function settleLatest(run: Run, fns: readonly FunctionRun[]): Promise<void> {
  for (const fn of fns) {
    if (!fn.touched) continue;
    await setArchitecture(fn, fn.latestArchitecture, run.options.signal);
    const inPlace = run.sides.some((s) => s.fn === fn && s.mode === 'latest');
    await fn.cp.update(
      { memorySizeMB: fn.latestMemorySizeMB, description: inPlace ? marker(run) : fn.snapshot.description },
      run.options.signal,
    );
  }
}

async function configure(run: Run, fns: readonly FunctionRun[]): Promise<void> {
  const signal = run.options.signal;
  for (const fn of fns) {
    if (run.sides.some((s) => s.fn === fn && s.mode === 'version')) {
      fn.preexisting = new Set((await fn.cp.listVersions(signal)).map((v) => v.version));
    }
  }
  for (const side of run.sides) {
    throwIfAborted(signal, OPERATION);
    if (side.mode === 'version') {
      emit(run.options, run, 'configuring', { memorySizeMB: side.memorySizeMB });
      side.qualifier = await publishFor(run, side);
    }
  }
  for (const side of run.sides) {
    if (side.mode === 'latest') {
      emit(run.options, run, 'configuring', { memorySizeMB: side.memorySizeMB });
      side.fn.touched = true;
    }
  }
  await settleLatest(run, fns);
}

function record(run: Run, side: SideRun, inv: TailInvocation, forcedCold: boolean): void {
  run.done++;
  const report = inv.report;
  const failed = inv.functionError !== undefined;
  if (failed) run.functionErrors++;
  if (report === undefined) {
    // No REPORT: nothing to measure or price. Counted as failed.
    side.failed++;
    return;
  }
  if (failed) side.failed++;
  const cost = reportCost(report, side.pricing).totalUSD;
  run.costUSD += cost;
  const sample: CompareSample = {
    index: run.samples.length,
    side: side.key,
    cold: report.coldStart,
    durationMs: report.durationMs,
    billedDurationMs: report.billedDurationMs,
    clientLatencyMs: inv.clientLatencyMs,
    initDurationMs: report.initDurationMs ?? report.restoreDurationMs,
    maxMemoryUsedMB: report.maxMemoryUsedMB,
    costUSD: cost,
    failed,
  };
  run.samples.push(sample);
  if (forcedCold && report.coldStart) side.cold.push(sample);
  else if (!forcedCold && !report.coldStart) side.warm.push(sample);
}

async function invokeOnce(run: Run, side: SideRun, qualifier: string | undefined, forcedCold: boolean): Promise<void> {
  const { options } = run;
  const index = side.sent++;
  const payload = typeof side.target.payload === 'function' ? (side.target.payload as (i: number) => unknown)(index) : side.target.payload;
  const onProgress =
    options.onProgress === undefined
      ? undefined
      : (p: Progress): void => {
          if (p.phase === 'retrying') emit(options, run, 'retrying', p.retry === undefined ? {} : { retry: p.retry });
        };
  const inv = await invokeWithTail(
    run.client,
    { functionName: side.fn.name, ...(qualifier === undefined ? {} : { qualifier }), payload },
    { signal: options.signal, retry: options.retry, ...(onProgress === undefined ? {} : { onProgress }) },
  );
  record(run, side, inv, forcedCold);
}

async function coldStarts(run: Run): Promise<void> {
  const { plan, options } = run;
  if (plan.coldStarts === 0) return;
  const signal = options.signal;
  for (const side of run.sides) {
    for (let i = 0; i < plan.coldStarts; i++) {
      throwIfAborted(signal, OPERATION);
      emit(options, run, 'cold', { memorySizeMB: side.memorySizeMB });
      let qualifier = side.qualifier;
      if (side.mode === 'version') {
        qualifier = await publishFor(run, side, i);
      } else {
        // $LATEST: a new value of the cold-start variable replaces every execution environment.
        side.fn.environmentTouched = true;
        await side.fn.cp.update({ environment: { ...side.fn.snapshot.environment, [COLD_START_VARIABLE]: `${run.runId}-${side.key}-${i}` } }, signal);
      }
      throwIfAborted(signal, OPERATION);
      await invokeOnce(run, side, qualifier, true);
    }
  }
  if (run.sides.some((s) => s.mode === 'version')) await settleLatest(run, [...new Set(run.sides.map((s) => s.fn))]);
}

interface SamplingOutcome {
  readonly stoppedBecause: StopReason;
  readonly invocations: number;
}

async function sample(run: Run): Promise<SamplingOutcome> {
  const { plan, options } = run;
  const signal = options.signal;
  const random = mulberry32(plan.seed);
  const [a, b] = run.sides;
  const started = plan.clock();
  let invocations = 0;
  let warmCost = 0;
  for (;;) {
    const remaining = plan.maxInvocations - invocations;
    if (remaining < 2) return { stoppedBecause: 'max-invocations', invocations };
    if (plan.maxDurationMs !== undefined && plan.clock() - started >= plan.maxDurationMs) return { stoppedBecause: 'max-duration', invocations };
    const k = Math.min(plan.blockSize, Math.floor(remaining / 2));
    if (plan.maxCostUSD !== undefined) {
      const perInvocation = invocations === 0 ? 0 : warmCost / invocations;
      if (run.costUSD + perInvocation * 2 * k > plan.maxCostUSD || run.costUSD >= plan.maxCostUSD) return { stoppedBecause: 'max-cost', invocations };
    }
    run.planned += 2 * k;
    for (const key of blockOrder(k, random)) {
      throwIfAborted(signal, OPERATION);
      const side = key === 'a' ? a : b;
      const before = run.costUSD;
      await invokeOnce(run, side, side.qualifier, false);
      warmCost += run.costUSD - before;
      invocations++;
      emit(options, run, 'invoking', { memorySizeMB: side.memorySizeMB });
    }
    const va = values(a.warm, plan.metric);
    const vb = values(b.warm, plan.metric);
    if (va.length >= plan.minSamples && vb.length >= plan.minSamples) {
      const c = comparison(plan.metric, va, vb, plan);
      if (c !== undefined && c.verdict !== 'undecided') return { stoppedBecause: 'decided', invocations };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cleanup

/**
 * Deletes the versions a run published on `fn`: those it recorded, and any listed whose description carries the run's
 * marker (`ours`) and that did not exist before the run (a PublishVersion whose answer was lost). Each version that
 * cannot be deleted is added to `leftovers`; returns the last error met, if any.
 */
export async function deleteRunVersions(fn: FunctionRun, ours: (description: string) => boolean, leftovers: string[]): Promise<unknown> {
  const cp = fn.cleanupCp;
  let lastError: unknown;
  const versions = new Set(fn.createdVersions);
  try {
    for (const v of await cp.listVersions(undefined)) if (v.version !== '$LATEST' && ours(v.description) && !fn.preexisting.has(v.version)) versions.add(v.version);
  } catch (err) {
    lastError = err;
  }
  for (const version of [...versions].sort((x, y) => Number(x) - Number(y))) {
    try {
      await cp.deleteVersion(version, undefined);
    } catch (err) {
      lastError = err;
      leftovers.push(`version ${version} of ${fn.name}`);
    }
  }
  return lastError;
}

/** Deletes the versions the run published and restores `$LATEST`; throws CleanupError listing what is left. */
async function cleanUp(run: Run, fns: readonly FunctionRun[], runError: unknown): Promise<void> {
  const leftovers: string[] = [];
  let lastError: unknown;
  const tag = marker(run);
  const ours = (description: string): boolean => description === tag || description.startsWith(`${tag}:`);
  for (const fn of fns) {
    if (!fn.touched && !fn.environmentTouched && !fn.codeTouched) continue;
    const cp = fn.cleanupCp;
    leftovers.push(...(await restoreCode(fn).catch((err: unknown) => {
      lastError = err;
      return [`architecture and code of $LATEST (was ${fn.originalArchitecture}, CodeSha256 ${fn.codeSha256 ?? 'unknown'}) on ${fn.name}`];
    })));
    lastError = (await deleteRunVersions(fn, ours, leftovers)) ?? lastError;
    const { snapshot } = fn;
    try {
      await cp.update(
        {
          memorySizeMB: snapshot.memorySizeMB,
          description: snapshot.description,
          environment: fn.environmentTouched ? snapshot.environment : undefined,
        },
        undefined,
      );
      const now = (await cp.getConfiguration(undefined)) as { MemorySize?: unknown; Description?: unknown; Environment?: { Variables?: Record<string, unknown> } };
      if (now.MemorySize !== snapshot.memorySizeMB) leftovers.push(`memory size ${String(now.MemorySize)} MB (was ${snapshot.memorySizeMB}) on ${fn.name}`);
      if ((now.Description ?? '') !== snapshot.description) leftovers.push(`description ${JSON.stringify(now.Description)} (was ${JSON.stringify(snapshot.description)}) on ${fn.name}`);
      const variable = now.Environment?.Variables?.[COLD_START_VARIABLE];
      if (fn.environmentTouched && variable !== snapshot.environment[COLD_START_VARIABLE]) leftovers.push(`environment variable ${COLD_START_VARIABLE} on ${fn.name}`);
    } catch (err) {
      lastError = err;
      leftovers.push(`memory size and description of $LATEST (were ${snapshot.memorySizeMB} MB, ${JSON.stringify(snapshot.description)}) on ${fn.name}`);
      if (fn.environmentTouched) leftovers.push(`environment variable ${COLD_START_VARIABLE} on ${fn.name}`);
    }
  }
  if (leftovers.length > 0) {
    throw new CleanupError(OPERATION, leftovers, lastError ?? new Error('the restore could not be confirmed'), runError);
  }
}

/**
 * Deploys `$LATEST`'s original code again with its original architecture when the run changed them; returns what
 * could not be confirmed restored (empty when nothing is left).
 */
export async function restoreCode(fn: FunctionRun): Promise<string[]> {
  if (!fn.codeTouched || fn.code === undefined) return [];
  if (fn.currentArchitecture !== fn.originalArchitecture) {
    fn.currentArchitecture = undefined;
    await fn.cleanupCp.updateCode({ ...fn.code, architecture: fn.originalArchitecture }, undefined);
  }
  const now = (await fn.cleanupCp.getConfiguration(undefined)) as { Architectures?: unknown; CodeSha256?: unknown };
  const arch = Array.isArray(now.Architectures) ? str(now.Architectures[0]) : undefined;
  const out: string[] = [];
  if (arch !== fn.originalArchitecture) out.push(`architecture ${String(arch)} (was ${fn.originalArchitecture}) on ${fn.name}`);
  else fn.currentArchitecture = arch;
  if (fn.codeSha256 !== undefined && str(now.CodeSha256) !== fn.codeSha256) out.push(`code of $LATEST (CodeSha256 ${String(now.CodeSha256)}, was ${fn.codeSha256}) on ${fn.name}`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Results

function sideResult(run: Run, side: SideRun): CompareSide {
  const request = (s: CompareSample, cold: boolean): { latencyMs: number; costUSD: number } => ({
    latencyMs: s.durationMs + (cold ? (s.initDurationMs ?? 0) : 0),
    costUSD: s.costUSD,
  });
  const warm = side.warm.filter((s) => !s.failed);
  const cold = side.cold.filter((s) => !s.failed);
  return {
    label: side.label,
    target: side.target,
    memorySizeMB: side.memorySizeMB,
    architecture: side.architecture,
    warm: summaries(side.warm),
    cold: summaries(side.cold),
    failed: side.failed,
    expected: expectedPerRequest(
      warm.map((s) => request(s, false)),
      cold.map((s) => request(s, true)),
      run.plan.coldStartRate,
    ),
  };
}

function metricsOf(run: Run): MetricComparison[] {
  const [a, b] = run.sides;
  const out: MetricComparison[] = [];
  for (const metric of COMPARE_METRICS) {
    // Init Duration exists on cold starts only: it is compared from the forced cold starts.
    const c = metric === 'initDurationMs'
      ? comparison(metric, values(a.cold, metric), values(b.cold, metric), run.plan)
      : comparison(metric, values(a.warm, metric), values(b.warm, metric), run.plan);
    if (c !== undefined) out.push(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/**
 * Compares two targets — two functions, two versions or aliases, or one function at two memory sizes — and says
 * whether B is faster (or cheaper), slower, or equivalent to A within `margin`, with confidence `options.confidence`.
 *
 * Before changing anything it checks both targets exist (a missing function or qualifier is an InvalidInputError
 * naming `input.a.functionName` / `input.a.qualifier`). A side with a memory size is then set up: `$LATEST` is
 * updated in place when the side invokes `$LATEST` and the other side is another function; otherwise (a qualifier,
 * or both sides on one function) a version is published from `$LATEST` with that memory size, as `powerTune` does —
 * so a qualifier with a memory size or forced cold starts must run the same code as `$LATEST`. `coldStarts` forced
 * cold starts per side are measured apart (a new value of `LAMBDA_METER_COLD` on `$LATEST`, or a new version). Then
 * warm invocations run in randomised blocks (`blockSize` of A and of B in a seeded random order) and, once both sides
 * have `minSamples` warm values, the anytime-valid interval of B/A for `input.metric` is checked after every block:
 * sampling stops at the first verdict that is not `undecided`, or at a budget cap (`stoppedBecause` says which).
 *
 * Expected latency per request blends warm Duration and cold Duration + Init Duration by `input.coldStartRate`.
 *
 * A side with an `architecture` other than the function's own is set up like a memory size, with UpdateFunctionCode:
 * before anything changes, GetFunction gives the code — for a .zip package its bytes are downloaded from the
 * presigned `Code.Location` (checked against `CodeSha256`; over 50 MB zipped, more than UpdateFunctionCode takes
 * directly, is an InvalidInputError naming `input.b.architecture`), for a container image its `ImageUri` — and that
 * same code is deployed with the other architecture (an image that is not multi-architecture fails the update with
 * Lambda's error, a ServiceCallError). The original code and architecture are deployed again afterwards.
 *
 * It **always cleans up**, on success, error and abort alike: the versions it published are deleted and `$LATEST`
 * gets back its MemorySize, Description, environment, code and architecture; if that cannot be confirmed the run rejects with
 * {@link CleanupError} listing what is left (the run's own error as its cause).
 *
 * @throws InvalidInputError naming the field; MissingPeerDependencyError without `@aws-sdk/client-lambda`;
 * CleanupError; ServiceCallError, RetryExhaustedError, LambdaMeterAbortError.
 *
 * @example
 * ```ts
 * import { LambdaClient } from '@aws-sdk/client-lambda';
 * import { compare } from 'lambda-meter/compare';
 *
 * const result = await compare(
 *   { lambda: new LambdaClient({}) },
 *   { a: { functionName: 'resize', memorySizeMB: 512 }, b: { functionName: 'resize', memorySizeMB: 1024 }, margin: 0.05 },
 *   { budget: { maxInvocations: 400 }, seed: 1 },
 * );
 * console.log(result.verdict, result.metrics[0]?.interval, result.stoppedBecause);
 * ```
 */
export async function compare<L extends SdkClientLike>(
  clients: CompareClients<L>,
  input: CompareInput,
  options: CompareOptions = {},
): Promise<CompareResult> {
  const client = (clients as Partial<CompareClients> | null | undefined)?.lambda as LambdaClientLike | undefined;
  checkClient(client, 'clients.lambda', 'LambdaClient');
  const plan = validateCompareInput(input, options);
  const signal = options.signal;
  throwIfAborted(signal, OPERATION);
  const startedAt = plan.clock();
  const sdk = await loadLambdaSdk(OPERATION);
  const holder: { run?: Run } = {};
  const onRetry = (retry: ProgressRetry): void => emit(options, holder.run, 'retrying', { retry });

  emit(options, undefined, 'preparing');
  // Nothing changes before both sides are read and checked: a failure here needs no cleanup.
  const lambda = client as LambdaClientLike;
  const fnA = await readFunction(lambda, sdk, plan.a.functionName, 'input.a', plan, options, onRetry);
  const shared = plan.b.functionName === plan.a.functionName;
  const fnB = shared ? fnA : await readFunction(lambda, sdk, plan.b.functionName, 'input.b', plan, options, onRetry);
  const sideA = await prepareSide('a', plan.a, fnA, shared, plan, signal);
  const sideB = await prepareSide('b', plan.b, fnB, shared, plan, signal);
  throwIfAborted(signal, OPERATION);
  const fns = shared ? [fnA] : [fnA, fnB];

  const run: Run = {
    plan,
    options,
    client: lambda,
    runId: randomBytes(4).toString('hex'),
    sides: [sideA, sideB],
    samples: [],
    done: 0,
    planned: plan.coldStarts * 2,
    functionErrors: 0,
    costUSD: 0,
  };
  holder.run = run;

  let runError: unknown;
  let outcome: SamplingOutcome | undefined;
  try {
    await configure(run, fns);
    await coldStarts(run);
    outcome = await sample(run);
  } catch (err) {
    runError = err;
  }
  emit(options, run, 'cleanup');
  await cleanUp(run, fns, runError);
  if (runError !== undefined || outcome === undefined) throw runError;

  const metrics = metricsOf(run);
  const stopping = metrics.find((m) => m.metric === plan.metric);
  const verdict: Verdict = stopping?.verdict ?? 'undecided';
  emit(options, run, 'done');
  return {
    a: sideResult(run, sideA),
    b: sideResult(run, sideB),
    metric: plan.metric,
    verdict,
    metrics,
    confidence: plan.confidence,
    margin: plan.margin,
    stoppedBecause: outcome.stoppedBecause,
    invocations: outcome.invocations,
    costUSD: run.costUSD,
    method: `${METHOD} Warm invocations in randomised blocks (A and B in a seeded random order within each block); Init Duration is compared from the forced cold starts; expected latency per request is Duration for warm and Duration + Init Duration for cold invocations.`,
    samples: run.samples,
    startedAt,
    endedAt: plan.clock(),
  };
}
