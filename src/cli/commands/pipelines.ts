/**
 * The CLI commands over the measurement pipelines: `tune`, `cold-starts`, `diagnose-async`, `http` and `demo`.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidInputError } from '../../errors.js';
import { measureColdStarts } from '../../coldstarts/index.js';
import type { ColdStartMethod } from '../../coldstarts/index.js';
import { diagnoseAsync } from '../../diagnose/index.js';
import { measureHttp } from '../../http/index.js';
import { asyncDiagnosisReportDocument, coldStartReportDocument, httpReportDocument, tuneReportDocument } from '../../reports/index.js';
import { formatCount, formatUsd } from '../../reports/format.js';
import { estimateTune, powerTune } from '../../tune/index.js';
import type { PowerTuneInput, TuneStrategy } from '../../tune/index.js';
import { runDemo } from '../../demo/index.js';
import type { CliIo } from '../local.js';
import { EMBEDDED_LOCAL_TIME_SCALE, fractionFlag, jsonValue, timeRange, wholeNumber, withCommonOptions, writeResult } from '../context.js';
import { scaledTimeFlag } from '../args.js';
import type { CommonOptions } from '../context.js';
import { createProgress } from '../progress.js';
import type { Progress } from '../progress.js';
import { withClients } from './basic.js';

function progressFor(name: string, io: CliIo): Progress {
  return createProgress(name, { write: io.stderr, ...(io.tty === undefined ? {} : { tty: io.tty }) });
}

function memoryList(text: string, flag: string): number[] {
  const sizes = text.split(',').map((s) => s.trim());
  if (sizes.some((s) => !/^\d+$/.test(s))) throw new InvalidInputError(flag, `must be comma-separated whole numbers of MB, e.g. 128,512,1769; got ${JSON.stringify(text)}`);
  return sizes.map(Number);
}

interface TuneFlags extends CommonOptions {
  memory: string;
  strategy: string;
  balancedWeight?: string;
  invocations: string;
  concurrency: string;
  payload?: string;
  onlyColdStarts?: boolean;
  autoApply?: string;
  dryRun?: boolean;
  estimate?: boolean;
  allowedErrors?: string;
  discardTopBottom?: string;
  tieTolerance?: string;
}

/** `lambda-meter tune <function>`. */
export function tuneCommand(program: Command, io: CliIo, signal: AbortSignal | undefined): void {
  withCommonOptions(program.command('tune').argument('<function>', 'function name (unqualified)'))
    .description('power-tune: find the memory size that is cheapest, fastest or best balanced; always cleans up')
    .option('--memory <list>', 'memory sizes in MB', '128,256,512,1024,1536,3008')
    .option('--strategy <cost|speed|balanced>', 'what to optimise', 'cost')
    .option('--balanced-weight <w>', 'weight of cost in the balanced score, 0..1')
    .option('--invocations <n|adaptive>', 'warm invocations per memory size', 'adaptive')
    .option('--concurrency <n>', 'invocations at once per memory size', '1')
    .option('--discard-top-bottom <fraction>', 'share of fastest and slowest invocations left out of each average, 0..0.4', '0.2')
    .option('--tie-tolerance <fraction>', 'sizes this close to the best are tied and the secondary metric decides', '0.05')
    .option('--payload <json>', 'the event, as JSON')
    .option('--only-cold-starts', 'one fresh version per sample: every invocation is a cold start')
    .option('--allowed-errors <types>', 'comma-separated errorTypes that do not fail a configuration')
    .option('--auto-apply <$LATEST|alias:NAME>', 'set the winning memory on $LATEST or on an alias')
    .option('--dry-run', 'invoke once per memory size, recommend nothing')
    .option('--estimate', 'print the estimated invocations, cost and time, and stop')
    .action(async (functionName: string, options: TuneFlags) => {
      if (!['cost', 'speed', 'balanced'].includes(options.strategy)) throw new InvalidInputError('--strategy', `must be cost, speed or balanced, got ${JSON.stringify(options.strategy)}`);
      const invocations = options.invocations === 'adaptive' ? 'adaptive' : wholeNumber(options.invocations, '--invocations', 1);
      const balancedWeight = fractionFlag(options.balancedWeight, '--balanced-weight', 0, 1);
      let autoApply: PowerTuneInput['autoApply'] = false;
      if (options.autoApply !== undefined) {
        if (options.autoApply === '$LATEST') autoApply = '$LATEST';
        else if (/^alias:.+/.test(options.autoApply)) autoApply = { alias: options.autoApply.slice('alias:'.length) };
        else throw new InvalidInputError('--auto-apply', `must be $LATEST or alias:NAME, got ${JSON.stringify(options.autoApply)}`);
      }
      const payload = jsonValue(options.payload, '--payload');
      const discardTopBottom = fractionFlag(options.discardTopBottom, '--discard-top-bottom', 0, 0.4);
      const tieTolerance = fractionFlag(options.tieTolerance, '--tie-tolerance', 0, 1, true);
      const input = {
        functionName,
        memorySizes: memoryList(options.memory, '--memory'),
        strategy: options.strategy as TuneStrategy,
        ...(balancedWeight === undefined ? {} : { balancedWeight }),
        count: invocations as number | 'adaptive',
        concurrency: wholeNumber(options.concurrency, '--concurrency', 1) as number,
        ...(discardTopBottom === undefined ? {} : { discardTopBottom }),
        ...(tieTolerance === undefined ? {} : { adaptive: { relativePrecision: tieTolerance } }),
        ...(payload === undefined ? {} : { payload }),
        ...(options.onlyColdStarts === true ? { onlyColdStarts: true } : {}),
        ...(options.allowedErrors === undefined ? {} : { allowedErrorTypes: options.allowedErrors.split(',').map((s) => s.trim()) }),
        autoApply,
        ...(options.dryRun === true ? { dryRun: true } : {}),
      } satisfies PowerTuneInput;
      if (options.estimate === true) {
        const estimate = estimateTune(input);
        io.stdout(
          options.json === true
            ? `${JSON.stringify(estimate)}\n`
            : `estimate: ${formatCount(estimate.invocations)} invocations, ${formatCount(estimate.versions)} versions, about ${formatUsd(estimate.estimatedUSD)} and ${formatCount(Math.ceil(estimate.estimatedSeconds))} s\n`,
        );
        return;
      }
      await withClients(options, 'lambda-meter tune', async (clients) => {
        const progress = progressFor('tune', io);
        try {
          const result = await powerTune(
            { lambda: await clients.lambda() },
            input,
            {
              ...(signal === undefined ? {} : { signal }),
              onProgress: (p) => progress.update(p.completed, p.total ?? p.completed, `${p.phase}${p.memorySizeMB === undefined ? '' : ` ${p.memorySizeMB} MB`}`),
            },
          );
          progress.stop();
          await writeResult(io, options, result, () => tuneReportDocument(result));
        } finally {
          progress.stop();
        }
      });
    });
}

/** `lambda-meter cold-starts <function>`. */
export function coldStartsCommand(program: Command, io: CliIo, signal: AbortSignal | undefined): void {
  withCommonOptions(program.command('cold-starts').argument('<function>', 'function name (unqualified)'))
    .description('force cold starts and measure them beside warm invocations; restores the function afterwards')
    .option('--count <n>', 'cold starts', '10')
    .option('--method <update-environment|publish-version>', 'how to force them', 'update-environment')
    .option('--warm <n>', 'warm invocations to compare with', '10')
    .option('--payload <json>', 'the event, as JSON')
    .option('--idle-gaps <ms list>', 'idle-eviction probe: idle gaps to try, e.g. 60000,300000,900000')
    .option('--per-gap <n>', 'idle-eviction probe: invocations per gap', '3')
    .action(async (functionName: string, options: CommonOptions & { count: string; method: string; warm: string; payload?: string; idleGaps?: string; perGap: string }) => {
      if (options.method !== 'update-environment' && options.method !== 'publish-version') {
        throw new InvalidInputError('--method', `must be update-environment or publish-version, got ${JSON.stringify(options.method)}`);
      }
      const payload = jsonValue(options.payload, '--payload');
      const idleProbe = options.idleGaps === undefined ? undefined : { gapsMs: memoryList(options.idleGaps, '--idle-gaps'), count: wholeNumber(options.perGap, '--per-gap', 1) as number };
      await withClients(options, 'lambda-meter cold-starts', async (clients) => {
        const progress = progressFor('cold-starts', io);
        try {
          const result = await measureColdStarts(
            { lambda: await clients.lambda() },
            {
              functionName,
              count: wholeNumber(options.count, '--count', 1) as number,
              method: options.method as ColdStartMethod,
              warm: { count: wholeNumber(options.warm, '--warm', 0) as number },
              ...(payload === undefined ? {} : { payload }),
              ...(idleProbe === undefined ? {} : { idleProbe }),
            },
            {
              ...(signal === undefined ? {} : { signal }),
              onProgress: (p) => progress.update(p.completed, p.total ?? p.completed, p.phase),
            },
          );
          progress.stop();
          await writeResult(io, options, result, () => coldStartReportDocument(result));
        } finally {
          progress.stop();
        }
      });
    });
}

/** `lambda-meter diagnose-async <function>`. */
export function diagnoseAsyncCommand(program: Command, io: CliIo, signal: AbortSignal | undefined): void {
  withCommonOptions(program.command('diagnose-async').argument('<function>', 'function name'))
    .description("why asynchronous events are late or lost: metrics, configuration and REPORTs through AWS's troubleshooting flow")
    .option('--qualifier <version|alias>', 'version or alias')
    .option('--since <duration>', 'how far back, e.g. 30m, 3h (default 1h)')
    .option('--start <iso>', 'range start (instead of --since)')
    .option('--end <iso>', 'range end (default now)')
    .option('--period <seconds>', 'metric period', '60')
    .option('--no-logs', 'skip the REPORTs from Logs Insights')
    .option('--time-scale <n>', 'with --endpoint: the --time-scale of the lambda-meter local it points at; AsyncEventAge is then labelled as scaled time')
    .action(async (functionName: string, options: CommonOptions & { qualifier?: string; since?: string; start?: string; end?: string; period: string; logs: boolean; timeScale?: string }) => {
      const range = timeRange(options);
      // AsyncEventAge from lambda-meter/local is on its scaled clock: the report labels it, the JSON says the scale.
      const timeScale = scaledTimeFlag(options.timeScale, options.endpoint, options.endpoint === 'local' ? EMBEDDED_LOCAL_TIME_SCALE : 1);
      await withClients(options, 'lambda-meter diagnose-async', async (clients) => {
        const result = await diagnoseAsync(
          { lambda: await clients.lambda(), cloudWatch: await clients.cloudwatch(), ...(options.logs ? { logs: await clients.logs() } : {}) },
          {
            functionName,
            ...(options.qualifier === undefined ? {} : { qualifier: options.qualifier }),
            ...range,
            periodSeconds: wholeNumber(options.period, '--period', 1) as number,
          },
          { ...(signal === undefined ? {} : { signal }) },
        );
        await writeResult(io, options, timeScale === 1 ? result : { ...result, timeScale }, () => asyncDiagnosisReportDocument(result, { timeScale }));
      });
    });
}

/** `lambda-meter http <url>`. */
export function httpCommand(program: Command, io: CliIo, signal: AbortSignal | undefined): void {
  program
    .command('http')
    .argument('<url>', 'a Function URL, API Gateway or any http(s) URL')
    .description('time DNS, connect, TLS, waiting and download per request, with and without connection reuse')
    .option('--requests <n>', 'requests per series', '20')
    .option('--concurrency <n>', 'requests at once', '1')
    .option('--reuse <true|false|both>', 'keep-alive connections', 'both')
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--header <name:value>', 'a request header (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--body <text>', 'request body')
    .option('--ca <file>', 'a CA certificate (PEM) to trust')
    .option('--insecure', 'do not verify the server certificate')
    .option('--timeout <ms>', 'per-request timeout', '30000')
    .option('--json', 'print the result as JSON')
    .option('--md', 'print the report as Markdown')
    .option('--html <file>', 'write the report as a self-contained HTML page')
    .action(async (url: string, options: CommonOptions & { requests: string; concurrency: string; reuse: string; method: string; header: string[]; body?: string; ca?: string; insecure?: boolean; timeout: string }) => {
      if (!['true', 'false', 'both'].includes(options.reuse)) throw new InvalidInputError('--reuse', `must be true, false or both, got ${JSON.stringify(options.reuse)}`);
      const headers: Record<string, string> = {};
      for (const h of options.header) {
        const at = h.indexOf(':');
        if (at <= 0) throw new InvalidInputError('--header', `must be name:value, got ${JSON.stringify(h)}`);
        headers[h.slice(0, at).trim()] = h.slice(at + 1).trim();
      }
      let ca: Buffer | undefined;
      if (options.ca !== undefined) {
        try {
          ca = await readFile(options.ca);
        } catch (error) {
          throw new InvalidInputError('--ca', `cannot read ${options.ca}: ${(error as Error).message}`, { cause: error });
        }
      }
      const progress = progressFor('http', io);
      try {
        const result = await measureHttp(
          {
          url,
          method: options.method,
          headers,
          ...(options.body === undefined ? {} : { body: options.body }),
          count: wholeNumber(options.requests, '--requests', 1) as number,
          concurrency: wholeNumber(options.concurrency, '--concurrency', 1) as number,
          reuseConnections: options.reuse === 'both' ? 'both' : options.reuse === 'true',
          ...(ca === undefined ? {} : { ca }),
          ...(options.insecure === true ? { rejectUnauthorized: false } : {}),
          },
          {
            timeoutMs: wholeNumber(options.timeout, '--timeout', 1) as number,
            ...(signal === undefined ? {} : { signal }),
            onProgress: (p) => progress.update(p.completed, p.total ?? p.completed, 'requests'),
          },
        );
        progress.stop();
        await writeResult(io, options, result, () => httpReportDocument(result));
      } finally {
        progress.stop();
      }
    });
}

/** `lambda-meter demo`. */
export function demoCommand(program: Command, io: CliIo, signal: AbortSignal | undefined): void {
  program
    .command('demo')
    .description('offline: power-tune a CPU-bound and an I/O-bound function on lambda-meter/local, measure cold starts, diagnose an async scenario, write report.html')
    .option('--html <file>', 'where to write the report', 'report.html')
    .action(async (options: { html: string }) => {
      await runDemo({ outFile: options.html, log: (line) => io.stdout(`${line}\n`), ...(signal === undefined ? {} : { signal }) });
    });
}
