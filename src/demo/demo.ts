/**
 * The demo pipeline: power-tune a CPU-bound and an I/O-bound function on `lambda-meter/local`, measure their cold
 * starts, diagnose an asynchronous scenario, print a summary and write one HTML report. No AWS account needed.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { measureColdStarts } from '../coldstarts/measure.js';
import type { ColdStartResult } from '../coldstarts/types.js';
import { diagnoseAsync } from '../diagnose/diagnose.js';
import type { AsyncDiagnosis } from '../diagnose/types.js';
import { InvalidInputError } from '../errors.js';
import { sleep as abortableSleep, throwIfAborted } from '../internal/abort.js';
import { loadCloudWatchSdk, loadLambdaSdk, loadLogsSdk } from '../internal/peer.js';
import { optionalFunction } from '../internal/validate.js';
import { startLocalLambda } from '../local/local.js';
import type { LocalLambda } from '../local/local.js';
import { renderHtmlReport } from '../reports/html.js';
import { coldStartReportDocument } from '../reports/results/coldstarts.js';
import { combinedReportDocument } from '../reports/results/combined.js';
import { asyncDiagnosisReportDocument, asyncFindingSummary } from '../reports/results/diagnose.js';
import { formatCount, formatFixed, formatUsd } from '../reports/format.js';
import { tuneReportDocument } from '../reports/results/tune.js';
import type { ReportDocument } from '../reports/types.js';
import { recommend } from '../tune/analysis.js';
import { powerTune } from '../tune/tune.js';
import type { TuneConfiguration, TuneRecommendation, TuneResult, TuneStrategy } from '../tune/types.js';
import { demoFunctionsDirectory } from './functions.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /**
   * Where the HTML report is written.
   * @default './report.html' (in the current directory)
   */
  readonly outFile?: string;
  /**
   * Receives each line of output (progress and the summary).
   * @default console.log
   */
  readonly log?: (line: string) => void;
  /** Stops the demo: the running measurement cleans up, `local` is stopped, and the promise rejects. */
  readonly signal?: AbortSignal;
  /**
   * Memory sizes to tune, MB.
   * @default [128, 256, 512, 1024, 1769, 3008]
   */
  readonly memorySizes?: readonly number[];
}

/** What the demo measured for one function. */
export interface DemoFunctionResult {
  /** The function's name on `local`: `cpu` or `io`. */
  readonly name: string;
  /** What kind of work it does. */
  readonly kind: 'cpu-bound' | 'io-bound';
  /** Its file, under the demo functions' folder. */
  readonly file: string;
  /** What it does, in words. */
  readonly description: string;
  /** The power-tuning result (cost strategy, adaptive sampling). */
  readonly tune: TuneResult;
  /** What each strategy recommends from the same measurements. */
  readonly recommendations: Readonly<Record<TuneStrategy, TuneRecommendation | undefined>>;
  /** Cold starts measured at the recommended memory size. */
  readonly coldStarts: ColdStartResult;
}

/** The result of {@link runDemo}. */
export interface DemoResult {
  /** The CPU-bound function, then the I/O-bound one. */
  readonly functions: readonly DemoFunctionResult[];
  /** The asynchronous scenario: reserved concurrency 1 and a burst of events. */
  readonly diagnosis: AsyncDiagnosis;
  /** The combined report document written as HTML. */
  readonly document: ReportDocument;
  /** The HTML file written (absolute). */
  readonly outFile: string;
  /** How `local` limited CPU, in words. */
  readonly cpu: string;
  /** Function processes `local` started, and how many were still running after it stopped (0 expected). */
  readonly processesStarted: number;
  readonly processesLeft: number;
  /** Wall time of the whole demo, ms. */
  readonly durationMs: number;
}

/** The tuned memory sizes: 128 MB to 3,008 MB, with 1,769 MB (one whole vCPU on Lambda). */
export const DEMO_MEMORY_SIZES: readonly number[] = [128, 256, 512, 1024, 1769, 3008];

// 12,000 chained SHA-256 hashes: about 25 ms of one full CPU, so 128 MB (1/14 of a CPU) stays near 350 ms.
const CPU_ROUNDS = 12_000;
// Power Tuning's default strategy, the cheapest size. `balanced` divides cost and duration by their maxima, so for the
// I/O-bound function a 5% difference in Duration weighs as much as a 3x difference in price: it is printed beside.
const STRATEGY: TuneStrategy = 'cost';
// The service's own waits (configuration updates, async back-off, Logs Insights phases) run 60 times faster; handler
// time stays real, so a larger factor would make a 70 ms handler look minutes long next to the back-off.
const TIME_SCALE = 60;
const IDLE_TIMEOUT_MS = 1000;
const ASYNC_EVENTS = 6;
const FAST_RETRY = { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 200, budgetMs: 30_000 } as const;
const FAST_WAIT = { minDelayMs: 5, maxDelayMs: 100, maxWaitMs: 30_000 } as const;

const FUNCTIONS = [
  {
    name: 'cpu',
    kind: 'cpu-bound',
    file: 'cpu.mjs',
    payload: { rounds: CPU_ROUNDS },
    description: `${CPU_ROUNDS.toLocaleString('en-US')} chained SHA-256 hashes (about 25 ms of one full CPU)`,
  },
  {
    name: 'io',
    kind: 'io-bound',
    file: 'io.mjs',
    payload: { id: 'demo' },
    description: 'waits for three simulated downstream calls (about 70 ms, almost no CPU)',
  },
] as const;

/** True while a process runs (exists and is not a zombie). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return true;
  }
}

function checkOptions(options: DemoOptions): readonly number[] {
  if (options.outFile !== undefined && (typeof options.outFile !== 'string' || options.outFile === '')) {
    throw new InvalidInputError('options.outFile', 'must be a non-empty path');
  }
  optionalFunction(options.log, 'options.log');
  const sizes = options.memorySizes ?? DEMO_MEMORY_SIZES;
  if (!Array.isArray(sizes) || sizes.length < 2) throw new InvalidInputError('options.memorySizes', 'must list at least two memory sizes');
  return sizes;
}

const pad = (text: string, width: number): string => text.padStart(width);
const fmtMs = (v: number | undefined): string => (v === undefined ? '-' : `${formatFixed(v, 1)} ms`);
const fmtUsd = (v: number): string => formatUsd(v);

/**
 * What a size's row says besides "recommended": `(dominated)` only when it is off the Pareto frontier (as report.html
 * shows it), `(eliminated early)` when the adaptive sampler stopped sampling it; an eliminated size on the frontier is
 * never called dominated.
 */
export function sizeNote(tune: TuneResult, c: TuneConfiguration): string {
  const notes: string[] = [];
  if (!c.failed && tune.recommendation !== undefined && !tune.paretoFrontier.includes(c.memorySizeMB)) notes.push('(dominated)');
  if (c.eliminated) notes.push('(eliminated early)');
  return notes.join(' ');
}

/** The summary table of one tuning result, as aligned text lines. */
function tuneLines(f: DemoFunctionResult): string[] {
  const rec = f.tune.recommendation?.memorySizeMB;
  const head = ['memory', 'warm p50', 'warm mean', 'cold Init p50', 'cost/million', 'samples', ''];
  const rows = f.tune.configurations.map((c) => [
    `${c.memorySizeMB} MB`,
    fmtMs(c.warm?.p50),
    fmtMs(c.warm?.mean),
    fmtMs(c.coldStarts?.initDurationMs.p50),
    fmtUsd(c.cost.perMillionUSD),
    String(c.warmInvocations),
    [c.memorySizeMB === rec ? '<- recommended' : '', sizeNote(f.tune, c)].filter(Boolean).join(' '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0))).join('  ')}`.trimEnd();
  return [line(head), ...rows.map(line)];
}

/** Why each function got its recommendation, in two lines, from the measured figures. */
function verdict(f: DemoFunctionResult): string[] {
  const rec = f.tune.recommendation;
  const configs = f.tune.configurations.filter((c) => !c.failed);
  const chosen = configs.find((c) => c.memorySizeMB === rec?.memorySizeMB);
  const smallest = configs[0];
  const largest = configs.at(-1);
  if (rec === undefined || chosen === undefined || smallest === undefined || largest === undefined) return [`${f.name}: no recommendation`];
  const near = configs.filter((c) => c.objectiveCostUSD <= chosen.objectiveCostUSD * 1.05).map((c) => c.memorySizeMB);
  const others = (['balanced', 'speed'] as const).map((s) => `${s} → ${f.recommendations[s]?.memorySizeMB ?? '-'} MB`).join(', ');
  const ratio = smallest.objectiveDurationMs / largest.objectiveDurationMs;
  const why =
    ratio >= 2
      ? `Duration fell ${ratio.toFixed(1)}x from ${smallest.memorySizeMB} to ${largest.memorySizeMB} MB (${fmtMs(smallest.objectiveDurationMs)} → ${fmtMs(largest.objectiveDurationMs)}): ` +
        'memory buys CPU, so the price of each millisecond rises about as fast as the milliseconds fall, and a larger size costs about the same (up to 1,769 MB, one whole CPU) while it is much faster.'
      : `Duration barely changed with memory (${fmtMs(smallest.objectiveDurationMs)} at ${smallest.memorySizeMB} MB, ${fmtMs(largest.objectiveDurationMs)} at ${largest.memorySizeMB} MB): ` +
        'the function waits rather than computes, so more memory only raises the price of each millisecond.';
  return [
    `${f.name} (${f.kind}): ${rec.memorySizeMB} MB, ${fmtUsd(chosen.cost.perMillionUSD)} per million invocations at ${fmtMs(chosen.objectiveDurationMs)}; ` +
      `within 5% of its cost: ${near.join(', ')} MB; other strategies: ${others}.`,
    `    ${why}`,
  ];
}

/**
 * Runs the demo offline: starts `lambda-meter/local` (CPU in proportion to memory, as on Lambda) with a CPU-bound and
 * an I/O-bound example function, power-tunes both across 128–3,008 MB (cost strategy, adaptive sampling), sends
 * a burst of asynchronous events to a copy of the I/O-bound function held to reserved concurrency 1 and diagnoses
 * it, then measures both functions' cold starts at their recommended sizes on a second `local` whose idle
 * environments end after a second (with an idle-eviction probe on the I/O-bound one), prints a summary and writes one
 * HTML report of everything. Every process it starts has ended when it resolves or rejects.
 *
 * @example
 * ```ts
 * const demo = await runDemo({ outFile: 'report.html' });
 * console.log(demo.functions.map((f) => `${f.name}: ${f.tune.recommendation?.memorySizeMB} MB`));
 * ```
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const memorySizes = checkOptions(options);
  const log = options.log ?? ((line: string) => console.log(line));
  const { signal } = options;
  const outFile = path.resolve(options.outFile ?? 'report.html');
  const began = performance.now();
  throwIfAborted(signal, 'runDemo');
  const [lambdaSdk, cloudWatchSdk, logsSdk] = await Promise.all([loadLambdaSdk('runDemo'), loadCloudWatchSdk('runDemo'), loadLogsSdk('runDemo')]);
  const dir = demoFunctionsDirectory();
  const handler = (file: string): string => `${path.join(dir, file)}#handler`;

  // Tuning and the async scenario: idle environments are kept (Lambda keeps them for minutes), so every warm sample
  // of a round is warm; an adaptive round can take seconds at 128 MB.
  const local: LocalLambda = await startLocalLambda({
    cpu: 'proportional',
    timeScale: TIME_SCALE,
    functions: [
      ...FUNCTIONS.map((f) => ({ name: f.name, handler: handler(f.file), memorySizeMB: 1024, timeoutSeconds: 30 })),
      { name: 'io-async', handler: handler('io.mjs'), memorySizeMB: 1024, timeoutSeconds: 10, reservedConcurrency: 1 },
    ],
  });
  const pids = new Set<number>();
  const noteLocal =
    (l: LocalLambda) =>
    (): void => {
      for (const e of l.environments()) if (e.pid !== undefined) pids.add(e.pid);
    };
  let notePids = noteLocal(local);
  const cpuInfo = local.lambda.cpuControl;
  const cpu =
    cpuInfo.mode === 'proportional'
      ? `CPU in proportion to memory (${cpuInfo.mechanism}; 1,769 MB = one CPU, at most ${cpuInfo.availableCpus})`
      : 'unlimited CPU';

  const tuned: { f: (typeof FUNCTIONS)[number]; tune: TuneResult; recommendations: Record<TuneStrategy, TuneRecommendation | undefined> }[] = [];
  let diagnosis: AsyncDiagnosis;
  {
    const config = local.clientConfig();
    const lambda = new lambdaSdk.LambdaClient(config);
    const cloudwatch = new cloudWatchSdk.CloudWatchClient(config);
    const logs = new logsSdk.CloudWatchLogsClient(config);
    try {
      log(`lambda-meter/local at ${local.endpoint}: ${cpu}; functions from ${dir}`);
      log(`tuning ${memorySizes.join(', ')} MB with the ${STRATEGY} strategy and adaptive sampling, prices us-east-1 x86_64`);
      for (const f of FUNCTIONS) {
        throwIfAborted(signal, 'runDemo');
        log(`\n${f.name} (${f.file}): ${f.description}`);
        const tune = await powerTune(
          { lambda },
          {
            functionName: f.name,
            memorySizes,
            payload: f.payload,
            strategy: STRATEGY,
            count: 'adaptive',
            adaptive: { minSamples: 5, maxSamples: 20, batchSize: 5 },
          },
          {
            retry: FAST_RETRY,
            cleanupRetry: FAST_RETRY,
            updateWait: FAST_WAIT,
            ...(signal === undefined ? {} : { signal }),
            onProgress: notePids,
          },
        );
        notePids();
        const points = tune.configurations
          .filter((c) => !c.failed)
          .map((c) => ({ memorySizeMB: c.memorySizeMB, durationMs: c.objectiveDurationMs, costUSD: c.objectiveCostUSD }));
        const recommendations = {
          cost: recommend(points, 'cost', { balancedWeight: tune.balancedWeight, tieTolerance: tune.tieTolerance }),
          speed: recommend(points, 'speed', { balancedWeight: tune.balancedWeight, tieTolerance: tune.tieTolerance }),
          balanced: recommend(points, 'balanced', { balancedWeight: tune.balancedWeight, tieTolerance: tune.tieTolerance }),
        };
        log(`  ${formatCount(tune.invocations)} invocations; recommended ${tune.recommendation?.memorySizeMB ?? '-'} MB`);
        tuned.push({ f, tune, recommendations });
      }

      throwIfAborted(signal, 'runDemo');
      log(`\nasync: ${ASYNC_EVENTS} Event invocations at once to io-async (io.mjs, reserved concurrency 1), service waits ${TIME_SCALE}x faster`);
      const since = Date.now();
      for (let i = 0; i < ASYNC_EVENTS; i++) {
        await lambda.send(new lambdaSdk.InvokeCommand({ FunctionName: 'io-async', InvocationType: 'Event', Payload: JSON.stringify({ id: `event-${i}` }) }));
      }
      const deadline = Date.now() + 60_000;
      const invoked = (): number =>
        local.metrics
          .getStatistics({
            namespace: 'AWS/Lambda',
            metricName: 'Invocations',
            dimensions: { FunctionName: 'io-async' },
            startTime: since - 3_600_000,
            endTime: Date.now() + 60_000,
            periodSeconds: 3600,
            stat: 'Sum',
          })
          .reduce((sum, p) => sum + p.value, 0);
      while (invoked() < ASYNC_EVENTS) {
        if (Date.now() > deadline) throw new Error(`io-async ran ${invoked()} of ${ASYNC_EVENTS} events in 60 s`);
        await abortableSleep(20, signal, 'runDemo');
      }
      notePids();
      diagnosis = await diagnoseAsync(
        { lambda, cloudWatch: cloudwatch, logs },
        { functionName: 'io-async', startTime: since - 60_000, endTime: Date.now() + 60_000 },
        { ...(signal === undefined ? {} : { signal }) },
      );
      log(`  ${diagnosis.findings.map((x) => `${x.severity} ${x.code}`).join(', ')}`);
    } finally {
      notePids();
      await local.stop();
      lambda.destroy();
      cloudwatch.destroy();
      logs.destroy();
    }
  }

  // Cold starts, on a second local whose idle environments end after IDLE_TIMEOUT_MS, for the idle-eviction probe;
  // each function runs at its recommended memory size.
  const functions: DemoFunctionResult[] = [];
  throwIfAborted(signal, 'runDemo');
  const coldLocal = await startLocalLambda({
    cpu: 'proportional',
    timeScale: TIME_SCALE,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    functions: tuned.map(({ f, tune }) => ({
      name: f.name,
      handler: handler(f.file),
      memorySizeMB: tune.recommendation?.memorySizeMB ?? 1024,
      timeoutSeconds: 30,
    })),
  });
  notePids = noteLocal(coldLocal);
  {
    const lambda = new lambdaSdk.LambdaClient(coldLocal.clientConfig());
    try {
      for (const { f, tune, recommendations } of tuned) {
        throwIfAborted(signal, 'runDemo');
        const idle = f.kind === 'io-bound' ? { gapsMs: [IDLE_TIMEOUT_MS / 5, IDLE_TIMEOUT_MS * 2], count: 2 } : undefined;
        log(
          `\n${f.name}: 3 forced cold starts and 10 warm invocations at ${tune.recommendation?.memorySizeMB ?? 1024} MB` +
            (idle === undefined ? '' : `, then idle gaps of ${idle.gapsMs.join(' and ')} ms (environments end after ${IDLE_TIMEOUT_MS} ms idle)`),
        );
        const coldStarts = await measureColdStarts(
          { lambda },
          {
            functionName: f.name,
            count: 3,
            warm: { count: 10 },
            payload: f.payload,
            ...(idle === undefined ? {} : { idleProbe: idle }),
          },
          {
            retry: FAST_RETRY,
            updateWait: { maxWaitMs: 30_000 },
            ...(signal === undefined ? {} : { signal }),
            onProgress: notePids,
          },
        );
        notePids();
        functions.push({ name: f.name, kind: f.kind, file: f.file, description: f.description, tune, recommendations, coldStarts });
      }
    } finally {
      notePids();
      await coldLocal.stop();
      lambda.destroy();
    }
  }

  const generatedAt = new Date();
  const documents = [
    ...functions.flatMap((f) => [tuneReportDocument(f.tune, { generatedAt }), coldStartReportDocument(f.coldStarts, { generatedAt })]),
    asyncDiagnosisReportDocument(diagnosis, { generatedAt, timeScale: TIME_SCALE }),
  ];
  const document = combinedReportDocument('lambda-meter demo: power tuning, cold starts and an async diagnosis', documents, {
    generatedAt,
    subtitle: `lambda-meter/local · ${cpu} · prices us-east-1 x86_64`,
    introduction:
      'Measured offline on lambda-meter/local, which gives each function CPU in proportion to its memory as Lambda does ' +
      '(one whole CPU at 1,769 MB), so the shape of the results holds on Lambda while the figures depend on this machine. ' +
      `Both functions were tuned with the ${STRATEGY} strategy (what the others pick from the same data is printed in the terminal); their cold starts were then measured at the recommended size.`,
  });
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, renderHtmlReport(document));

  const left = [...pids].filter(processRuns);
  log('\nSummary');
  for (const f of functions) {
    log(`\n${f.name} (${f.kind}): ${f.description}`);
    for (const line of tuneLines(f)) log(line);
    const c = f.coldStarts;
    log(
      `  cold start at ${f.tune.recommendation?.memorySizeMB ?? '-'} MB: Init ${fmtMs(c.cold.initDurationMs?.p50)} + Duration ${fmtMs(c.cold.durationMs?.p50)} ` +
        `(p50 of ${c.cold.count}); warm Duration p50 ${fmtMs(c.warm.durationMs?.p50)}` +
        (c.idleProbe === undefined ? '' : `; idle probe: ${c.idleProbe.map((g) => `${g.gapMs} ms → ${((g.coldShare ?? 0) * 100).toFixed(0)}% cold`).join(', ')}`),
    );
  }
  log('\nRecommendations');
  for (const f of functions) for (const line of verdict(f)) log(`  ${line}`);
  for (const finding of diagnosis.findings) log(`\nasync diagnosis of io-async: ${finding.severity} ${finding.code}: ${asyncFindingSummary(finding, { timeScale: TIME_SCALE })}`);
  const durationMs = performance.now() - began;
  log(
    `\nwrote ${outFile}; stopped local: ${pids.size} function processes started, ${left.length} left running; ${(durationMs / 1000).toFixed(1)} s in all`,
  );
  return { functions, diagnosis, document, outFile, cpu, processesStarted: pids.size, processesLeft: left.length, durationMs };
}
