/**
 * How the CLI reports a failure: bad input names the flag the user typed (library fields are mapped back to the
 * flags that fed them), a missing AWS Region or credentials is one line saying what to set, and a command that
 * finished but found failures (function errors) exits 1 with what they were.
 *
 * @module
 */
import { isLambdaMeterError } from '../errors.js';
import { formatCount } from '../reports/format.js';

/**
 * A command ran but its result is a failure (e.g. the function returned errors): the CLI prints `message` and exits
 * with `exitCode`, after the result itself was written.
 *
 * @example
 * ```ts
 * throw new CliFailure('1 of 3 invocations failed: Unhandled Runtime.ImportModuleError: Cannot find module …');
 * ```
 */
export class CliFailure extends Error {
  override name = 'CliFailure';
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** What an invocation's function error says: its kind, `errorType` and `errorMessage` (from the response payload). */
interface FailedInvocation {
  readonly functionError: string | undefined;
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
}

/**
 * The failure of invocations that returned function errors, or undefined when none did: one error's
 * `Unhandled Runtime.ImportModuleError: Error: Cannot find module …` (the first line of the message), or for several
 * invocations how many of them failed and each distinct error (with how often it occurred), so a user sees the cause
 * and the CLI exits 1.
 *
 * @example
 * ```ts
 * invocationFailure([{ functionError: 'Unhandled', errorType: 'ValidationError', errorMessage: 'value 1 is not allowed' }]);
 * // CliFailure('the function failed: Unhandled ValidationError: value 1 is not allowed')
 * ```
 */
export function invocationFailure(invocations: readonly FailedInvocation[]): CliFailure | undefined {
  const failed = invocations.filter((i) => i.functionError !== undefined);
  if (failed.length === 0) return undefined;
  const describe = (i: FailedInvocation): string => {
    const type = i.errorType ?? '(no errorType in the payload)';
    // The first line (a Runtime.ImportModuleError's "Require stack" follows it; --json keeps the whole message).
    const lines = (i.errorMessage ?? '').trim().split(/\r?\n/);
    const message = `${lines[0] ?? ''}${lines.length > 1 ? ' …' : ''}`;
    return `${i.functionError ?? 'Unhandled'} ${type}${message === '' ? '' : `: ${message}`}`;
  };
  if (invocations.length === 1) return new CliFailure(`the function failed: ${describe(failed[0] as FailedInvocation)}`);
  const counts = new Map<string, number>();
  for (const i of failed) counts.set(describe(i), (counts.get(describe(i)) ?? 0) + 1);
  const lines = [...counts].map(([what, n]) => (counts.size === 1 && n === failed.length ? what : `${n} × ${what}`));
  const head = `${formatCount(failed.length)} of ${formatCount(invocations.length)} invocations failed`;
  return new CliFailure(lines.length === 1 ? `${head}: ${lines[0]}` : `${head}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}

// The library fields each command's flags feed, by path without `input.`/`options.` and indexes; the first match of
// the whole path, then of its last segment, names the flag.
const SHARED: Readonly<Record<string, string>> = {
  functionName: '<function>',
  region: '--region',
  qualifier: '--qualifier',
  payload: '--payload',
  startTime: '--since',
  endTime: '--end',
};

/** Library field → CLI flag, per command. */
export const FIELD_FLAGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  invoke: { count: '--count', concurrency: '--concurrency' },
  tune: {
    memorySizes: '--memory',
    strategy: '--strategy',
    balancedWeight: '--balanced-weight',
    count: '--invocations',
    invocations: '--invocations',
    concurrency: '--concurrency',
    discardTopBottom: '--discard-top-bottom',
    tieTolerance: '--tie-tolerance',
    'adaptive.relativePrecision': '--tie-tolerance',
    allowedErrorTypes: '--allowed-errors',
    autoApply: '--auto-apply',
  },
  'cold-starts': {
    count: '--count',
    method: '--method',
    warmCount: '--warm',
    'warm.count': '--warm',
    'idleProbe.gapsMs': '--idle-gaps',
    'idleProbe.perGap': '--per-gap',
    'idleProbe.count': '--per-gap',
  },
  reports: { logGroupName: '--log-group' },
  metrics: { metrics: '--metrics', periodSeconds: '--period', stat: '--stat' },
  cost: {
    memorySizeMB: '--memory',
    durationMs: '--duration',
    billedDurationMs: '--billed',
    averageBilledDurationMs: '--billed',
    invocations: '--invocations',
    architecture: '--arch',
    asyncPayloadBytes: '--async-payload',
  },
  'diagnose-async': { periodSeconds: '--period', timeScale: '--time-scale' },
  http: {
    url: '<url>',
    count: '--requests',
    requests: '--requests',
    concurrency: '--concurrency',
    method: '--method',
    headers: '--header',
    body: '--body',
    ca: '--ca',
    timeoutMs: '--timeout',
  },
  compare: {
    'a.functionName': '<a>',
    'a.qualifier': '<a>',
    'a.memorySizeMB': '--memory-a',
    'a.architecture': '--arch-a',
    'a.payload': '--payload',
    'b.functionName': '<b>',
    'b.qualifier': '<b>',
    'b.memorySizeMB': '--memory-b',
    'b.architecture': '--arch-b',
    'b.payload': '--payload',
    margin: '--margin',
    metric: '--metric',
    confidence: '--confidence',
    coldStarts: '--cold-starts',
    coldStartRate: '--cold-start-rate',
    'budget.maxInvocations': '--max-invocations',
    'budget.maxCostUSD': '--max-cost',
    'budget.maxDurationMs': '--max-duration',
    maxInvocations: '--max-invocations',
    maxCostUSD: '--max-cost',
    maxDurationMs: '--max-duration',
    seed: '--seed',
    side: '--baseline-side',
  },
  gate: {
    baseline: '--baseline',
    current: '--current',
    maxRegression: '--max-regression',
    confidence: '--confidence',
    metrics: '--metrics',
    'a.functionName': '--target',
    'b.functionName': '--target',
    'a.qualifier': '--target',
    'b.qualifier': '--target',
    'budget.maxInvocations': '--max-invocations',
    'budget.maxCostUSD': '--max-cost',
    'budget.maxDurationMs': '--max-duration',
    maxInvocations: '--max-invocations',
    maxCostUSD: '--max-cost',
    maxDurationMs: '--max-duration',
    coldStarts: '--cold-starts',
    seed: '--seed',
  },
  'compare-grid': {
    memorySizes: '--memory',
    architectures: '--arch',
    count: '--count',
    blockSize: '--block-size',
    confidence: '--confidence',
    'budget.maxCostUSD': '--max-cost',
    maxCostUSD: '--max-cost',
    seed: '--seed',
  },
  local: { port: '--port', host: '--host', timeScale: '--time-scale', cpu: '--cpu', durationModel: '--duration-model', functions: '--function' },
};

/**
 * The flag (or `<argument>`) of `command` that fed a library field, e.g. `input.memorySizes[1]` of `tune` →
 * `--memory`; the field itself when it already is a flag; undefined when no flag fed it.
 *
 * @example
 * ```ts
 * flagOfField('cost', 'input.memorySizeMB'); // '--memory'
 * ```
 */
export function flagOfField(command: string | undefined, field: string): string | undefined {
  if (field.startsWith('--') || field.startsWith('<')) return field;
  const path = field.replace(/^(input|options|clients)\./, '').replace(/\[[^\]]*\]/g, '');
  const table = { ...SHARED, ...(command === undefined ? {} : FIELD_FLAGS[command]) };
  return table[path] ?? table[path.split('.').at(-1) ?? path];
}

/** Every error in `error`'s `cause` chain, outermost first. */
function causes(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && out.length < 10; e = (e as { cause?: unknown }).cause) {
    out.push(e);
    if (typeof e !== 'object') break;
  }
  return out;
}

function text(e: unknown): string {
  if (typeof e !== 'object' || e === null) return String(e);
  const { name, message } = e as { name?: unknown; message?: unknown };
  return `${typeof name === 'string' ? name : ''} ${typeof message === 'string' ? message : ''}`;
}

/**
 * What to set when an AWS SDK call failed for want of a Region or credentials (the SDK's `Region is missing` and
 * `CredentialsProviderError` / `Could not load credentials`, also inside lambda-meter's `ServiceCallError`); else
 * undefined.
 *
 * @example
 * ```ts
 * missingAwsConfig(new Error('Region is missing')); // 'no AWS region: set AWS_REGION or pass --region'
 * ```
 */
export function missingAwsConfig(error: unknown): string | undefined {
  const all = causes(error).map(text);
  if (all.some((t) => /Region is missing/i.test(t))) return 'no AWS region: set AWS_REGION or pass --region';
  if (all.some((t) => /CredentialsProviderError|Could not load credentials/i.test(t))) {
    return 'no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run against local with --endpoint local';
  }
  return undefined;
}

/** How the CLI ends on `error`: what it prints on stderr and its exit code. */
export interface FailureReport {
  readonly message: string;
  readonly exitCode: number;
}

/**
 * The line(s) and exit code for a failed command: 2 for bad input (naming the flag), 130 when stopped, 1 otherwise
 * (one line for a missing AWS Region or credentials).
 *
 * @example
 * ```ts
 * describeFailure(new InvalidInputError('input.memorySizeMB', 'must be an integer from 128 to 10240 (MB), got 20000'), 'cost');
 * // { message: 'lambda-meter cost: --memory: must be an integer from 128 to 10240 (MB), got 20000\n(run lambda-meter cost --help for usage)\n', exitCode: 2 }
 * ```
 */
export function describeFailure(error: unknown, command: string | undefined): FailureReport {
  const prefix = command === undefined ? 'lambda-meter' : `lambda-meter ${command}`;
  if (error instanceof CliFailure) return { message: `${prefix}: ${error.message}\n`, exitCode: error.exitCode };
  if (isLambdaMeterError(error, 'InvalidInputError')) {
    const field = (error as { field?: unknown }).field;
    const raw = error.message;
    const problem = typeof field === 'string' && raw.startsWith(`Invalid ${field}: `) ? raw.slice(`Invalid ${field}: `.length) : raw;
    const flag = typeof field === 'string' ? flagOfField(command, field) : undefined;
    const what = flag === undefined ? (typeof field === 'string' ? field : 'input') : flag;
    const usage = command === undefined ? 'lambda-meter --help' : `lambda-meter ${command} --help`;
    return { message: `${prefix}: ${what}: ${problem}\n(run ${usage} for usage)\n`, exitCode: 2 };
  }
  if (isLambdaMeterError(error, 'LambdaMeterAbortError')) return { message: `${prefix}: stopped\n`, exitCode: 130 };
  if (isLambdaMeterError(error, 'MissingPeerDependencyError')) return { message: `${prefix}: ${error.message}\n`, exitCode: 1 };
  const aws = missingAwsConfig(error);
  if (aws !== undefined) return { message: `${prefix}: ${aws}\n`, exitCode: 1 };
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return { message: `${prefix}: ${name}: ${message}\n`, exitCode: 1 };
}
