/**
 * What every AWS-facing CLI command shares: the common flags, the SDK clients they configure (an AWS account, an
 * endpoint, or an embedded `lambda-meter/local`), and how results are written out (--json, --md, --html FILE).
 *
 * @module
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidInputError } from '../errors.js';
import type { CloudWatchClientLike, LambdaClientLike, LogsClientLike } from '../internal/clients.js';
import { loadCloudWatchSdk, loadLambdaSdk, loadLogsSdk } from '../internal/peer.js';
import { startLocalLambda } from '../local/local.js';
import type { LocalLambda, LocalLambdaOptions } from '../local/local.js';
import type { ColdPageCache } from '../local/lambda/page-cache.js';
import { renderHtmlReport, renderJsonReport, renderMarkdownReport, renderTextReport } from '../reports/index.js';
import type { ReportDocument } from '../reports/index.js';
import { durationModelFlag, parseFunctionSpec } from './args.js';

export { fractionFlag, wholeNumber } from './args.js';
import type { CliIo } from './local.js';

/** The flags every AWS-facing command takes. */
export interface CommonOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly endpoint?: string;
  readonly function?: readonly string[];
  /** With `--endpoint local`: how the embedded local arrives at Durations (`measured`, the default, or `declared`). */
  readonly durationModel?: string;
  /** With `--endpoint local`: the Node.js binary that runs the functions. */
  readonly node?: string;
  /** With `--endpoint local`: take the environment's files out of the page cache before each cold start. */
  readonly coldPageCache?: boolean | string;
  readonly json?: boolean;
  readonly md?: boolean;
  readonly html?: string;
}

/**
 * Adds the common flags to a command.
 *
 * @example
 * ```ts
 * withCommonOptions(program.command('invoke'));
 * ```
 */
export function withCommonOptions(command: Command): Command {
  return command
    .option('--region <name>', 'AWS Region (default: AWS_REGION or your profile)')
    .option('--profile <name>', 'AWS shared-config profile')
    .option('--endpoint <url|local>', "an endpoint for every AWS call; 'local' starts lambda-meter/local for this run")
    .option('--function <NAME=HANDLER[,settings]>', "with --endpoint local: a function to serve (repeatable)", collect, [])
    .option('--duration-model <model>', 'with --endpoint local: measured (default: wall-clock Durations) or declared (from the work handlers declare)')
    .option('--node <path>', 'with --endpoint local: the Node.js binary that runs the functions (default: the one running lambda-meter)')
    .option('--cold-page-cache [mode]', "with --endpoint local: read each new environment's runtime and code from storage, as on Lambda: runtime (default; drops those files from the page cache) or machine (the whole machine's caches; root)")
    .option('--json', 'print the result as JSON')
    .option('--md', 'print the report as Markdown')
    .option('--html <file>', 'write the report as a self-contained HTML page');
}

/** Commander's collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The flag behind each option that a flag of `local` or `--endpoint local` sets, for errors. */
const FLAG_OF_OPTION: Readonly<Record<string, { readonly flag: string; readonly given: (flags: LocalRuntimeFlags) => boolean }>> = {
  'options.nodePath': { flag: '--node', given: (flags) => flags.node !== undefined },
  'options.coldPageCache': { flag: '--cold-page-cache', given: (flags) => flags.coldPageCache !== undefined },
};

/** The flags that choose how `local` runs the functions' runtimes. */
export interface LocalRuntimeFlags {
  readonly node?: string;
  /** `--cold-page-cache` alone (`true`) or with its mode. */
  readonly coldPageCache?: boolean | string;
}

/**
 * `--cold-page-cache [mode]` as the option: `runtime` when given alone. Any other value is passed on, and `local`
 * checks it (startLocalFromFlags names the flag in its error).
 */
function coldPageCacheFlag(value: boolean | string | undefined): ColdPageCache | undefined {
  if (value === undefined || value === false) return undefined;
  return value === true ? 'runtime' : (value as ColdPageCache);
}

/**
 * Starts `local` with `options` plus what `--node` and `--cold-page-cache` ask for. An InvalidInputError about an
 * option one of these flags set names the flag instead (the same option from a `--config` file keeps its name).
 *
 * @example
 * ```ts
 * const local = await startLocalFromFlags({ functions }, { node: '/opt/node24/bin/node', coldPageCache: 'runtime' });
 * ```
 */
export async function startLocalFromFlags(options: LocalLambdaOptions, flags: LocalRuntimeFlags): Promise<LocalLambda> {
  const coldPageCache = coldPageCacheFlag(flags.coldPageCache);
  try {
    return await startLocalLambda({
      ...options,
      ...(flags.node === undefined ? {} : { nodePath: flags.node }),
      ...(coldPageCache === undefined ? {} : { coldPageCache }),
    });
  } catch (error) {
    const named = error instanceof InvalidInputError ? FLAG_OF_OPTION[error.field] : undefined;
    if (named === undefined || !named.given(flags)) throw error;
    throw new InvalidInputError(named.flag, (error as Error).message.replace(/^Invalid [^:]+: /, ''), { cause: error });
  }
}

/** The SDK clients a command uses, made on first use. */
export interface CliClients {
  lambda(): Promise<LambdaClientLike>;
  logs(): Promise<LogsClientLike>;
  cloudwatch(): Promise<CloudWatchClientLike>;
  /** The embedded local, with `--endpoint local`. */
  readonly local: LocalLambda | undefined;
  /** How many times faster than real time the service's own waits run: the embedded local's scale, else 1. */
  readonly timeScale: number;
  /** Destroys the clients and stops local. */
  close(): Promise<void>;
}

interface SdkClient {
  destroy(): void;
}

/** The time scale of the embedded local (`--endpoint local`): its own waits run this many times faster. */
export const EMBEDDED_LOCAL_TIME_SCALE = 10;

/**
 * Makes the clients from the common flags: `--endpoint local` starts an embedded `lambda-meter/local` serving the
 * `--function` specs; another `--endpoint` points every client there; otherwise the AWS SDK's defaults (with
 * `--region` and `--profile`).
 *
 * @example
 * ```ts
 * const clients = await makeClients({ endpoint: 'local', function: ['hello=./hello.mjs#handler'] }, 'lambda-meter invoke');
 * const lambda = await clients.lambda();
 * await clients.close();
 * ```
 */
export async function makeClients(options: CommonOptions, usedBy: string): Promise<CliClients> {
  let local: LocalLambda | undefined;
  let base: Record<string, unknown> = {};
  if (options.profile !== undefined) process.env.AWS_PROFILE = options.profile;
  if (options.endpoint === 'local') {
    const functions = (options.function ?? []).map(parseFunctionSpec);
    if (functions.length === 0) throw new InvalidInputError('--function', "give the functions --endpoint local should serve, e.g. --function hello=./hello.mjs#handler");
    const durationModel = durationModelFlag(options.durationModel);
    local = await startLocalFromFlags(
      {
        functions,
        ...(options.region === undefined ? {} : { region: options.region }),
        ...(durationModel === undefined ? {} : { durationModel }),
        timeScale: EMBEDDED_LOCAL_TIME_SCALE,
      },
      options,
    );
    base = { ...local.clientConfig() };
  } else {
    if ((options.function ?? []).length > 0) throw new InvalidInputError('--function', 'only applies with --endpoint local');
    if (options.durationModel !== undefined) throw new InvalidInputError('--duration-model', 'only applies with --endpoint local');
    if (options.node !== undefined) throw new InvalidInputError('--node', 'only applies with --endpoint local');
    if (options.coldPageCache !== undefined) throw new InvalidInputError('--cold-page-cache', 'only applies with --endpoint local');
    if (options.endpoint !== undefined) {
      try {
        new URL(options.endpoint);
      } catch {
        throw new InvalidInputError('--endpoint', `must be a URL such as http://127.0.0.1:3001, or local; got ${JSON.stringify(options.endpoint)}`);
      }
      base.endpoint = options.endpoint;
      // A local stand-in (e.g. `lambda-meter local`) does not check signatures; spare the user inventing credentials.
      const host = new URL(options.endpoint).hostname;
      if (['127.0.0.1', 'localhost', '[::1]'].includes(host) && options.profile === undefined && process.env.AWS_ACCESS_KEY_ID === undefined) {
        base.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
        if (options.region === undefined && process.env.AWS_REGION === undefined) base.region = 'us-east-1';
      }
    }
    if (options.region !== undefined) base.region = options.region;
  }
  const made: SdkClient[] = [];
  // The library's own peer loading: a missing @aws-sdk/client-* is a MissingPeerDependencyError naming the package.
  const track = <C extends SdkClient>(client: C): C => {
    made.push(client);
    return client;
  };
  const once = <T>(f: () => Promise<T>): (() => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= f());
  };
  return {
    // Not for the retry count (lambda-meter caps the HTTP requests per call, the SDK's own included): a send's
    // clientLatencyMs includes the SDK's own retries and their back-off, so one SDK attempt per send keeps each
    // reported client latency to a single request; lambda-meter retries between sends instead.
    lambda: once(async () => track(new (await loadLambdaSdk(usedBy)).LambdaClient({ ...base, maxAttempts: 1 }))),
    logs: once(async () => track(new (await loadLogsSdk(usedBy)).CloudWatchLogsClient(base))),
    cloudwatch: once(async () => track(new (await loadCloudWatchSdk(usedBy)).CloudWatchClient(base))),
    local,
    timeScale: local === undefined ? 1 : EMBEDDED_LOCAL_TIME_SCALE,
    async close() {
      for (const c of made) c.destroy();
      await local?.stop();
    },
  };
}

/**
 * Writes a command's result as the flags ask: `--json` the result itself, `--md` the report as Markdown, `--html FILE`
 * the report as an HTML page (and a line naming the file); without them, the report as aligned text.
 *
 * @example
 * ```ts
 * await writeResult(io, options, result, () => tuneReportDocument(result));
 * ```
 */
export async function writeResult(io: CliIo, options: CommonOptions, result: unknown, document: () => ReportDocument): Promise<void> {
  if (options.html !== undefined) {
    await writeFile(options.html, renderHtmlReport(document()), 'utf8');
    if (options.json !== true && options.md !== true) io.stdout(`wrote ${options.html}\n`);
  }
  if (options.json === true) io.stdout(`${renderJsonReport(result)}\n`);
  else if (options.md === true) io.stdout(renderMarkdownReport(document()));
  else if (options.html === undefined) io.stdout(renderTextReport(document()));
}

/**
 * Reads a JSON flag value (a payload), naming the flag when it is not JSON.
 *
 * @example
 * ```ts
 * jsonValue('{"n":1}', '--payload'); // { n: 1 }
 * ```
 */
export function jsonValue(value: string | undefined, flag: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new InvalidInputError(flag, `must be JSON: ${(error as Error).message}`, { cause: error });
  }
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * The time range of `--since 3h` (or `--start`/`--end` ISO times), as epoch milliseconds.
 *
 * @example
 * ```ts
 * timeRange({ since: '90m' }); // { startTime: now - 5,400,000, endTime: now }
 * ```
 */
export function timeRange(options: { readonly since?: string; readonly start?: string; readonly end?: string }, defaultSince = '1h'): { startTime: number; endTime: number } {
  const now = Date.now();
  const parseTime = (text: string, flag: string): number => {
    const t = Date.parse(text);
    if (Number.isNaN(t)) throw new InvalidInputError(flag, `must be an ISO time such as 2026-11-30T10:00:00Z, got ${JSON.stringify(text)}`);
    return t;
  };
  const endTime = options.end === undefined ? now : parseTime(options.end, '--end');
  if (options.start !== undefined) {
    if (options.since !== undefined) throw new InvalidInputError('--since', 'give --since or --start, not both');
    const startTime = parseTime(options.start, '--start');
    if (startTime >= endTime) throw new InvalidInputError('--start', 'must be before --end');
    return { startTime, endTime };
  }
  const since = options.since ?? defaultSince;
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(since);
  if (m === null) throw new InvalidInputError('--since', `must be a duration such as 30m, 3h or 2d, got ${JSON.stringify(since)}`);
  return { startTime: endTime - Number(m[1]) * (UNIT_MS[m[2] as string] as number), endTime };
}
