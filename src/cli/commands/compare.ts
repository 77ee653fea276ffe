/**
 * The CLI commands of `lambda-meter/compare`: `compare A B` (is B faster or cheaper than A, with confidence) and
 * `gate` (fail a CI job when a run regresses against a saved baseline).
 *
 * @module
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidInputError, isLambdaMeterError } from '../../errors.js';
import { compare } from '../../compare/compare.js';
import { estimateCompare, formatCompareEstimate, measureColdStartRate } from '../../compare/estimate.js';
import { gate, loadBaseline, saveBaseline } from '../../compare/baseline.js';
import type { CompareBaseline, GateResult } from '../../compare/baseline.js';
import { COMPARE_METRICS } from '../../compare/types.js';
import type { CompareInput, CompareMetric, CompareOptions, CompareResult, CompareTarget } from '../../compare/types.js';
import type { Architecture } from '../../cost/types.js';
import { compareReportDocument, gateReportDocument, gateReportMarkdown } from '../../reports/index.js';
import type { CliIo } from '../local.js';
import { architectureFlag, durationFlag } from '../args.js';
import { jsonValue, wholeNumber, withCommonOptions, writeResult } from '../context.js';
import type { CommonOptions } from '../context.js';
import { CliFailure } from '../errors.js';
import { createProgress } from '../progress.js';
import { withClients } from './basic.js';
import { compareGrid } from '../../compare/grid.js';
import type { GridInput, GridOptions, GridResult } from '../../compare/types.js';
import { gridReportDocument } from '../../reports/results/grid.js';

/**
 * Reads `function[:qualifier]` (or a function ARN, whose eighth part is the qualifier), naming `argument` when empty.
 *
 * @example
 * ```ts
 * parseTargetSpec('api:live', '<a>'); // { functionName: 'api', qualifier: 'live' }
 * ```
 */
export function parseTargetSpec(text: string, argument: string): { functionName: string; qualifier?: string } {
  if (text.startsWith('arn:')) {
    const parts = text.split(':');
    if (parts.length < 7 || parts[5] !== 'function' || parts[6] === '') throw new InvalidInputError(argument, `must be function[:qualifier] or a function ARN, got ${JSON.stringify(text)}`);
    const qualifier = parts[7];
    return { functionName: parts.slice(0, 7).join(':'), ...(qualifier === undefined || qualifier === '' ? {} : { qualifier }) };
  }
  const at = text.indexOf(':');
  const functionName = at < 0 ? text : text.slice(0, at);
  const qualifier = at < 0 ? undefined : text.slice(at + 1);
  if (functionName === '' || qualifier === '') throw new InvalidInputError(argument, `must be function[:qualifier], e.g. api or api:live; got ${JSON.stringify(text)}`);
  return { functionName, ...(qualifier === undefined ? {} : { qualifier }) };
}

/**
 * Reads a share given as a percentage (`5%`) or a fraction (`0.05`), in (min, max) or [min, max), naming the flag.
 *
 * @example
 * ```ts
 * shareFlag('5%', '--margin', { min: 0, max: 1 }); // 0.05
 * ```
 */
export function shareFlag(value: string | undefined, flag: string, range: { readonly min: number; readonly max: number; readonly minInclusive?: boolean }): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const percent = text.endsWith('%');
  const n = Number(percent ? text.slice(0, -1) : text);
  const share = percent ? n / 100 : n;
  const aboveMin = range.minInclusive === true ? share >= range.min : share > range.min;
  if (text === '' || text === '%' || !Number.isFinite(share) || !aboveMin || share >= range.max) {
    const lo = `${range.min * 100}%`;
    throw new InvalidInputError(flag, `must be a percentage such as 5% or a fraction such as 0.05, ${range.minInclusive === true ? 'at least' : 'above'} ${lo} and below ${range.max * 100}%; got ${JSON.stringify(value)}`);
  }
  return share;
}

function metricFlag(value: string, flag: string): CompareMetric {
  if ((COMPARE_METRICS as readonly string[]).includes(value)) return value as CompareMetric;
  throw new InvalidInputError(flag, `must be one of ${COMPARE_METRICS.join(', ')}, got ${JSON.stringify(value)}`);
}

function usdFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim().replace(/^\$/, ''));
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidInputError(flag, `must be an amount of USD above 0, e.g. 0.50; got ${JSON.stringify(value)}`);
  return n;
}

/** The budget and run flags `compare` and `gate` share. */
interface RunFlags extends CommonOptions {
  confidence?: string;
  maxInvocations?: string;
  maxCost?: string;
  maxDuration?: string;
  coldStarts?: string;
  payload?: string;
  seed?: string;
}

function runOptions(flags: RunFlags, signal: AbortSignal | undefined, onProgress: CompareOptions['onProgress']): CompareOptions {
  const confidence = shareFlag(flags.confidence, '--confidence', { min: 0, max: 1 });
  const maxInvocations = wholeNumber(flags.maxInvocations, '--max-invocations', 2);
  const maxCostUSD = usdFlag(flags.maxCost, '--max-cost');
  const maxDurationMs = durationFlag(flags.maxDuration, '--max-duration');
  const seed = wholeNumber(flags.seed, '--seed', 0);
  const budget = {
    ...(maxInvocations === undefined ? {} : { maxInvocations }),
    ...(maxCostUSD === undefined ? {} : { maxCostUSD }),
    ...(maxDurationMs === undefined ? {} : { maxDurationMs }),
  };
  return {
    ...(confidence === undefined ? {} : { confidence }),
    ...(Object.keys(budget).length === 0 ? {} : { budget }),
    ...(seed === undefined ? {} : { seed }),
    ...(signal === undefined ? {} : { signal }),
    ...(onProgress === undefined ? {} : { onProgress }),
  };
}

interface CompareFlags extends RunFlags {
  memoryA?: string;
  memoryB?: string;
  archA?: string;
  archB?: string;
  margin?: string;
  metric: string;
  coldStartRate?: string;
  coldStartRateSince?: string;
  coldStartRateLogGroup?: string;
  saveBaseline?: string;
  baselineSide: string;
  estimate?: boolean;
}

/**
 * Reads `compare`'s arguments and flags into the input and options of `compare()`; bad values are
 * `InvalidInputError`s naming the flag or argument.
 *
 * @example
 * ```ts
 * compareArguments('api:41', 'api:42', { metric: 'durationMs', baselineSide: 'b', margin: '5%' }, undefined);
 * ```
 */
export function compareArguments(a: string, b: string, flags: CompareFlags, signal: AbortSignal | undefined, onProgress?: CompareOptions['onProgress']): { input: CompareInput; options: CompareOptions } {
  const payload = jsonValue(flags.payload, '--payload');
  const side = (spec: string, argument: string, memory: string | undefined, memoryFlag: string, arch: string | undefined, archFlag: string): CompareTarget => {
    const memorySizeMB = wholeNumber(memory, memoryFlag, 128);
    const architecture = architectureFlag(arch, archFlag);
    return {
      ...parseTargetSpec(spec, argument),
      ...(memorySizeMB === undefined ? {} : { memorySizeMB }),
      ...(architecture === undefined ? {} : { architecture }),
      ...(payload === undefined ? {} : { payload }),
    };
  };
  const margin = shareFlag(flags.margin, '--margin', { min: 0, max: 1 });
  const coldStarts = wholeNumber(flags.coldStarts, '--cold-starts', 0);
  const coldStartRate = shareFlag(flags.coldStartRate, '--cold-start-rate', { min: 0, max: 1.0000001, minInclusive: true });
  const since = durationFlag(flags.coldStartRateSince, '--cold-start-rate-since');
  if (since !== undefined && coldStartRate !== undefined) throw new InvalidInputError('--cold-start-rate-since', 'give --cold-start-rate or --cold-start-rate-since, not both');
  if (flags.coldStartRateLogGroup !== undefined && since === undefined) throw new InvalidInputError('--cold-start-rate-log-group', 'only applies with --cold-start-rate-since');
  const input: CompareInput = {
    a: side(a, '<a>', flags.memoryA, '--memory-a', flags.archA, '--arch-a'),
    b: side(b, '<b>', flags.memoryB, '--memory-b', flags.archB, '--arch-b'),
    metric: metricFlag(flags.metric, '--metric'),
    ...(margin === undefined ? {} : { margin }),
    ...(coldStarts === undefined ? {} : { coldStarts }),
    ...(coldStartRate === undefined ? {} : { coldStartRate }),
  };
  if (flags.baselineSide !== 'a' && flags.baselineSide !== 'b') throw new InvalidInputError('--baseline-side', `must be a or b, got ${JSON.stringify(flags.baselineSide)}`);
  return { input, options: runOptions(flags, signal, onProgress) };
}

function withRunFlags(command: Command): Command {
  return command
    .option('--confidence <share>', 'confidence of every interval, e.g. 95% or 0.95 (default 95%)')
    .option('--max-invocations <n>', 'budget: warm invocations in all, both sides (default 2000)')
    .option('--max-cost <usd>', 'budget: estimated cost of the run in USD')
    .option('--max-duration <time>', 'budget: wall-clock time of the sampling, e.g. 90s, 10m or 1h')
    .option('--cold-starts <n>', 'forced cold starts per side, measured apart from the warm invocations (default 0)')
    .option('--payload <json>', 'the event, as JSON')
    .option('--seed <n>', 'seed of the randomised block order, for a reproducible run');
}

function progressOf(name: string, io: CliIo): { progress: ReturnType<typeof createProgress>; onProgress: NonNullable<CompareOptions['onProgress']> } {
  const progress = createProgress(name, { write: io.stderr, ...(io.tty === undefined ? {} : { tty: io.tty }) });
  return { progress, onProgress: (p) => progress.update(p.completed, p.total ?? p.completed, p.phase) };
}

/** `lambda-meter compare <a> <b>`. */
export function compareCommand(program: Command, io: CliIo, signal: AbortSignal | undefined): void {
  withRunFlags(
    withCommonOptions(
      program
        .command('compare')
        .argument('<a>', 'the baseline side: function[:qualifier]')
        .argument('<b>', 'the candidate side: function[:qualifier]'),
    ),
  )
    .description('is B faster or cheaper than A? Interleaved sampling that stops once the verdict is known; restores both functions afterwards')
    .option('--memory-a <MB>', "memory size to set for A during the run (default: the function's own)")
    .option('--memory-b <MB>', "memory size to set for B during the run (default: the function's own)")
    .option('--arch-a <x86_64|arm64>', "architecture to set for A during the run (default: the function's own)")
    .option('--arch-b <x86_64|arm64>', "architecture to set for B during the run (default: the function's own)")
    .option('--margin <share>', 'equivalence margin: B/A within ±margin counts as no difference, e.g. 5% (default 5%)')
    .option('--metric <name>', `the metric whose verdict stops sampling: ${COMPARE_METRICS.join(', ')}`, 'durationMs')
    .option('--cold-start-rate <share>', 'share of requests that are cold starts, to blend into the expected latency and cost (default 0)')
    .option('--cold-start-rate-since <time>', "measure that share from the REPORTs of A's log group over this window, through Logs Insights, e.g. 24h or 7d")
    .option('--cold-start-rate-log-group <name>', "with --cold-start-rate-since: the log group to read (default /aws/lambda/<A's function>)")
    .option('--save-baseline <file>', 'save a baseline (side B unless --baseline-side a) for `lambda-meter gate`')
    .option('--baseline-side <a|b>', 'the side --save-baseline keeps', 'b')
    .option('--estimate', 'print the invocations and cost the run may make (up to the budget; 100 ms per invocation assumed) and exit without invoking')
    .action(async (a: string, b: string, flags: CompareFlags) => {
      const { progress, onProgress } = progressOf('compare', io);
      const { input, options } = compareArguments(a, b, flags, signal, onProgress);
      if (flags.estimate === true) {
        progress.stop();
        const estimate = estimateCompare(input, options);
        io.stdout(flags.json === true ? `${JSON.stringify(estimate, null, 2)}\n` : formatCompareEstimate(estimate));
        return;
      }
      await withClients(flags, 'lambda-meter compare', async (clients) => {
        let result: CompareResult;
        try {
          const coldStartRate = await measuredColdStartRate(flags, input.a.functionName, async () => clients.logs(), signal, io);
          const run = coldStartRate === undefined ? input : { ...input, coldStartRate };
          result = await compare({ lambda: await clients.lambda() }, run, options);
        } finally {
          progress.stop();
        }
        if (flags.saveBaseline !== undefined) {
          const baseline = saveBaseline(result, { side: flags.baselineSide as 'a' | 'b' });
          await writeFile(flags.saveBaseline, `${JSON.stringify(baseline, null, 2)}\n`, 'utf8');
          io.stderr(`saved the baseline (side ${baseline.side}: ${baseline.target.label}) to ${flags.saveBaseline}\n`);
        }
        await writeResult(io, flags, result, () => compareReportDocument(result));
      });
    });
}

/** The function name of a name or a function ARN (`arn:aws:lambda:<region>:<account>:function:<name>`). */
function bareFunctionName(functionName: string): string {
  return functionName.startsWith('arn:') ? (functionName.split(':')[6] as string) : functionName;
}

/**
 * `--cold-start-rate-since`: the share of cold starts among the REPORTs of A's log group (or
 * `--cold-start-rate-log-group`) in the window that ends now, through Logs Insights; undefined without the flag. A
 * window with no REPORT fails the command (exit 1) before anything is invoked: there is nothing to blend.
 */
async function measuredColdStartRate(
  flags: CompareFlags,
  functionName: string,
  logs: () => Promise<Parameters<typeof measureColdStartRate>[0]>,
  signal: AbortSignal | undefined,
  io: CliIo,
): Promise<number | undefined> {
  const windowMs = durationFlag(flags.coldStartRateSince, '--cold-start-rate-since');
  if (windowMs === undefined) return undefined;
  const endTime = Date.now();
  const group = flags.coldStartRateLogGroup ?? `/aws/lambda/${bareFunctionName(functionName)}`;
  const measured = await measureColdStartRate(
    await logs(),
    { logGroupName: group, startTime: endTime - windowMs, endTime },
    signal === undefined ? {} : { signal },
  );
  if (measured.rate === undefined) {
    throw new CliFailure(`--cold-start-rate-since: no REPORT in ${group} over the last ${flags.coldStartRateSince}; give --cold-start-rate instead`);
  }
  io.stderr(`cold-start rate: ${(measured.rate * 100).toFixed(2)}% (${measured.cold.toLocaleString('en-US')} cold of ${measured.reports.toLocaleString('en-US')} REPORTs in ${group} over the last ${flags.coldStartRateSince})\n`);
  return measured.rate;
}

interface GateFlags extends RunFlags {
  baseline: string;
  maxRegression: string;
  metrics?: string;
  current?: string;
  target?: string;
}

async function readJsonFile(file: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(flag, `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidInputError(flag, `${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** Reads a baseline file; what is wrong with it is an error of `flag`, naming the file and the field. */
async function baselineFile(file: string, flag: string): Promise<CompareBaseline> {
  const json = await readJsonFile(file, flag);
  try {
    return loadBaseline(json);
  } catch (error) {
    if (isLambdaMeterError(error, 'InvalidInputError')) throw new InvalidInputError(flag, `${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** `--current FILE`: a baseline document of the current run, or the JSON of `lambda-meter compare --json`. */
async function currentFile(file: string): Promise<CompareResult | CompareBaseline> {
  const json = await readJsonFile(file, '--current');
  if (typeof json === 'object' && json !== null && 'schema' in json) return baselineFile(file, '--current');
  const r = json as Partial<CompareResult> | null;
  if (r === null || typeof r !== 'object' || typeof r.a !== 'object' || typeof r.b !== 'object' || !Array.isArray(r.samples)) {
    throw new InvalidInputError('--current', `${file} is neither a compare baseline nor the JSON of lambda-meter compare --json`);
  }
  return r as CompareResult;
}

/**
 * Writes a gate result where the flags ask, appends the step summary when `GITHUB_STEP_SUMMARY` names a file, and
 * throws a `CliFailure` (exit 1) when the gate failed.
 */
async function reportGate(io: CliIo, flags: GateFlags, result: GateResult): Promise<void> {
  await writeResult(io, flags, result, () => gateReportDocument(result));
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile !== undefined && summaryFile !== '') await appendFile(summaryFile, `\n${gateReportMarkdown(result)}`, 'utf8');
  if (!result.pass) {
    const regressed = result.metrics.filter((m) => m.regression);
    throw new CliFailure(`regression against the baseline: ${regressed.map((m) => `${m.metric} ${m.reason.replace(/^regressed: /, '')}`).join('; ')}`);
  }
}

/** `lambda-meter gate --baseline FILE`. */
export function gateCommand(program: Command, io: CliIo, signal: AbortSignal | undefined): void {
  withRunFlags(withCommonOptions(program.command('gate')))
    .description('fail (exit 1) when a run is slower or dearer than a saved baseline by more than --max-regression, with confidence')
    .requiredOption('--baseline <file>', 'the baseline, from lambda-meter compare --save-baseline')
    .option('--max-regression <share>', 'the slowdown or cost increase allowed, e.g. 5%', '5%')
    .option('--metrics <list>', `metrics to check (default durationMs,billedDurationMs,costUSD); any of ${COMPARE_METRICS.join(', ')}`)
    .option('--current <file>', 'the current run: a baseline file or lambda-meter compare --json output (default: measure the baseline target now)')
    .option('--target <function[:qualifier]>', "with no --current: what to measure now (default: the baseline's function and qualifier)")
    .action(async (flags: GateFlags) => {
      const maxRegression = shareFlag(flags.maxRegression, '--max-regression', { min: 0, max: 10, minInclusive: true }) as number;
      const confidence = shareFlag(flags.confidence, '--confidence', { min: 0, max: 1 });
      const metrics = flags.metrics?.split(',').map((m) => metricFlag(m.trim(), '--metrics'));
      const baseline = await baselineFile(flags.baseline, '--baseline');
      const gateOptions = { maxRegression, ...(confidence === undefined ? {} : { confidence }), ...(metrics === undefined ? {} : { metrics }) };
      if (flags.current !== undefined) {
        for (const flag of ['target', 'maxInvocations', 'maxCost', 'maxDuration', 'coldStarts', 'payload', 'seed'] as const) {
          if (flags[flag] !== undefined) throw new InvalidInputError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, 'only applies without --current (when the gate runs the target now)');
        }
        await reportGate(io, flags, gate(await currentFile(flags.current), baseline, gateOptions));
        return;
      }
      // Measure the baseline's target now: the same target on both sides, both sides' warm samples pooled.
      const spec = flags.target === undefined ? undefined : parseTargetSpec(flags.target, '--target');
      const payload = jsonValue(flags.payload, '--payload');
      const t = baseline.target;
      const target: CompareTarget = {
        functionName: spec?.functionName ?? t.functionName,
        ...((spec === undefined ? t.qualifier : spec.qualifier) === undefined ? {} : { qualifier: spec === undefined ? t.qualifier : spec.qualifier }),
        memorySizeMB: t.memorySizeMB,
        architecture: t.architecture,
        ...(payload !== undefined ? { payload } : t.payload === undefined ? {} : { payload: t.payload }),
        label: 'current',
      };
      const { progress, onProgress } = progressOf('gate', io);
      const options = runOptions(flags, signal, onProgress);
      const coldStarts = wholeNumber(flags.coldStarts, '--cold-starts', 0);
      await withClients(flags, 'lambda-meter gate', async (clients) => {
        let result: CompareResult;
        try {
          result = await compare(
            { lambda: await clients.lambda() },
            { a: target, b: target, ...(coldStarts === undefined ? {} : { coldStarts }) },
            options,
          );
        } finally {
          progress.stop();
        }
        await reportGate(io, flags, gate(result, baseline, { ...gateOptions, side: 'both' }));
      });
    });
}

interface GridFlags extends CommonOptions {
  memory: string;
  arch?: string;
  count?: string;
  blockSize?: string;
  confidence?: string;
  maxCost?: string;
  payload?: string;
  seed?: string;
}

/**
 * Reads `compare-grid`'s argument and flags into the input and options of `compareGrid()`; bad values are
 * `InvalidInputError`s naming the flag.
 *
 * @example
 * ```ts
 * gridArguments('api', { memory: '512,1024', arch: 'x86_64,arm64', count: '20' }, undefined);
 * ```
 */
export function gridArguments(functionName: string, flags: GridFlags, signal: AbortSignal | undefined, onProgress?: GridOptions['onProgress']): { input: GridInput; options: GridOptions } {
  const memory = flags.memory.split(',').map((s) => s.trim());
  if (memory.some((s) => !/^\d+$/.test(s))) throw new InvalidInputError('--memory', `must be comma-separated whole numbers of MB, e.g. 512,1024,1769; got ${JSON.stringify(flags.memory)}`);
  const architectures = flags.arch?.split(',').map((a) => architectureFlag(a.trim(), '--arch') as Architecture);
  const payload = jsonValue(flags.payload, '--payload');
  const count = wholeNumber(flags.count, '--count', 2);
  const blockSize = wholeNumber(flags.blockSize, '--block-size', 1);
  const confidence = shareFlag(flags.confidence, '--confidence', { min: 0, max: 1 });
  const maxCostUSD = usdFlag(flags.maxCost, '--max-cost');
  const seed = wholeNumber(flags.seed, '--seed', 0);
  const input: GridInput = {
    functionName,
    memorySizes: memory.map(Number),
    ...(architectures === undefined ? {} : { architectures }),
    ...(payload === undefined ? {} : { payload }),
  };
  const options: GridOptions = {
    ...(count === undefined ? {} : { count }),
    ...(blockSize === undefined ? {} : { blockSize }),
    ...(confidence === undefined ? {} : { confidence }),
    ...(maxCostUSD === undefined ? {} : { budget: { maxCostUSD } }),
    ...(seed === undefined ? {} : { seed }),
    ...(signal === undefined ? {} : { signal }),
    ...(onProgress === undefined ? {} : { onProgress }),
  };
  return { input, options };
}

/** `lambda-meter compare-grid <function>`. */
export function gridCommand(program: Command, io: CliIo, signal: AbortSignal | undefined): void {
  withCommonOptions(program.command('compare-grid').argument('<function>', 'function name (unqualified: one version per configuration is published from $LATEST)'))
    .description('measure one function at every memory size × architecture: the Pareto frontier of cost and Duration, and arm64/x86_64 per size; restores the function afterwards')
    .requiredOption('--memory <list>', 'memory sizes in MB, e.g. 512,1024')
    .option('--arch <list>', "architectures, e.g. x86_64,arm64 (default: the function's own)")
    .option('--count <n>', 'warm invocations per configuration (default 20; the arm64/x86_64 intervals need 10)')
    .option('--block-size <n>', 'invocations per configuration in each randomised block (default 1)')
    .option('--confidence <share>', 'confidence of the arm64/x86_64 intervals, e.g. 95% or 0.95 (default 95%)')
    .option('--max-cost <usd>', 'budget: estimated cost of the run in USD; sampling stops when reached')
    .option('--payload <json>', 'the event, as JSON')
    .option('--seed <n>', 'seed of the randomised block order, for a reproducible run')
    .action(async (functionName: string, flags: GridFlags) => {
      const { progress, onProgress } = progressOf('compare-grid', io);
      let parsed: { input: GridInput; options: GridOptions };
      try {
        parsed = gridArguments(functionName, flags, signal, onProgress);
      } catch (error) {
        progress.stop();
        throw error;
      }
      await withClients(flags, 'lambda-meter compare-grid', async (clients) => {
        let result: GridResult;
        try {
          result = await compareGrid({ lambda: await clients.lambda() }, parsed.input, parsed.options);
        } finally {
          progress.stop();
        }
        await writeResult(io, flags, result, () => gridReportDocument(result));
        const failed = result.configurations.filter((c) => c.failed > 0);
        if (failed.length > 0) {
          throw new CliFailure(`function errors in ${failed.map((c) => `${c.memorySizeMB} MB ${c.architecture} (${c.failed} of ${c.count})`).join(', ')}`);
        }
      });
    });
}
