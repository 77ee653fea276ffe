/**
 * One execution environment of `local`'s Lambda: a child process running the runtime client against its own Runtime
 * API, with the lifecycle Lambda gives it. The first invocation runs the Init phase (spawn, then the runtime's
 * first `/next`: the Init Duration); a failed Init is run again inside the invocation, as Lambda's suppressed init
 * is; later invocations reuse the warm process. Past the timeout the process is killed (`Status: timeout`); a process
 * that exits mid-invocation is `Runtime.ExitError`, one that outgrows its memory `Runtime.OutOfMemory`. Every line
 * the platform and the function print goes to the LogStore, in the environment's own log stream.
 *
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { InvalidInputError } from '../../errors.js';
import type { ReportRecord, ReportStatus } from '../../report/types.js';
import { lambdaLogStreamName } from '../logs/store.js';
import type { LogStore } from '../logs/store.js';
import type { FunctionConfig } from './config.js';
import { DURATION_MODEL_ENV, modelledDurationMs, NO_WORK } from './duration-model.js';
import type { DeclaredWork, DurationModel } from './duration-model.js';
import type { CpuController, EnvironmentCpu } from './cpu.js';

/**
 * The descriptor on which lambda-meter's runtime client marks the handler's start (`h`) and end (`e`), and the
 * variable that names it (the runtime client deletes it, as it does `_LAMBDA_TELEMETRY_LOG_FD`).
 */
const PHASE_FD = 4;
const PHASE_FD_ENV = '_LAMBDA_METER_PHASE_FD';
const HANDLER_START_MARK = 0x68; // 'h'
const HANDLER_END_MARK = 0x65; // 'e'
import { FrameReader, LineReader } from './log-capture.js';
import { newEnvironmentId } from './names.js';
import type { RuntimeIdentity } from './names.js';
import type { PageCacheDropper } from './page-cache.js';
import { PlatformLog } from './platform-log.js';
import type { PlatformSpan } from './platform-log.js';
import { RuntimeApiServer } from './runtime-api.js';
import type { RuntimeSignal } from './runtime-api.js';
import type { EnvironmentInfo, LocalCredentials, LocalRuntimeClient } from './types.js';

/** How often a busy environment's memory is sampled, in milliseconds. */
const MEMORY_SAMPLE_MS = 20;
/** How long to wait for a dead process's output pipes to close after it exited. */
const CLOSE_GRACE_MS = 200;
/** Share of the memory size given to V8's old space (`--max-old-space-size`), so the heap fails near the limit. */
const OLD_SPACE_SHARE = 0.9;

/** Go's wording for signals, as Lambda prints them in `Runtime exited with error: signal: …`. */
const SIGNAL_WORDS: Readonly<Record<string, string>> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
  SIGHUP: 'hangup',
  SIGPIPE: 'broken pipe',
};

/** `exit status 1` or `signal: killed`, as Lambda describes how a runtime process ended. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `signal: ${SIGNAL_WORDS[signal] ?? signal.replace(/^SIG/, '').toLowerCase()}`;
  return `exit status ${code ?? 0}`;
}

/** Whether `/proc/<pid>/status` can be read here (Linux); `undefined` until the first memory sample asks. */
let procStatusAvailable: boolean | undefined;

/** Checks once, on first use rather than at import, whether `/proc/<pid>/status` can be read (Linux). */
function hasProcStatus(): boolean {
  procStatusAvailable ??= existsSync('/proc/self/status');
  return procStatusAvailable;
}

/** The current and peak resident memory of a process, in kilobytes, from `/proc/<pid>/status` (Linux only). */
export function readProcMemory(pid: number): { readonly rssKb: number; readonly peakKb: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const rss = /^VmRSS:\s+(\d+)/m.exec(text);
  const peak = /^VmHWM:\s+(\d+)/m.exec(text);
  if (rss === null || peak === null) return undefined;
  return { rssKb: Number(rss[1]), peakKb: Number(peak[1]) };
}

/**
 * The process an environment starts: a Node.js script (`node --max-old-space-size=… <script>`, given the handler as
 * its argument when `handlerArgument` is set, as aws-lambda-ric's bin wants it) or a command run as given.
 */
export type RuntimeProcess =
  | { readonly kind: 'node'; readonly executable: string; readonly script: string; readonly handlerArgument: boolean }
  | { readonly kind: 'command'; readonly command: string; readonly args: readonly string[] };

/** The Node.js binary that runs the runtime clients, and its version (`24.11.0`). */
export interface NodeExecutable {
  readonly executable: string;
  readonly version: string;
}

/**
 * Resolves `LambdaServiceOptions.nodePath`: by default the Node.js running `local`; else the binary given, whose
 * version is read once from `<binary> --version`. Throws InvalidInputError naming `options.nodePath` for a path that
 * does not exist or a program that does not print a Node.js version.
 */
export function resolveNodeExecutable(nodePath: string | undefined): NodeExecutable {
  if (nodePath === undefined) return { executable: process.execPath, version: process.versions.node };
  if (typeof nodePath !== 'string' || nodePath === '' || !existsSync(nodePath)) {
    throw new InvalidInputError('options.nodePath', `must be the path of a Node.js binary, got ${JSON.stringify(nodePath)}`);
  }
  const run = spawnSync(nodePath, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  const version = /^v(\d+\.\d+\.\d+)\s*$/.exec(run.stdout ?? '')?.[1];
  if (run.error !== undefined || run.status !== 0 || version === undefined) {
    const what = run.error !== undefined ? run.error.message : `exit ${String(run.status)}, printed ${JSON.stringify((run.stdout ?? '').slice(0, 80))}`;
    throw new InvalidInputError('options.nodePath', `must be a Node.js binary (${nodePath} --version: ${what})`, run.error === undefined ? {} : { cause: run.error });
  }
  return { executable: path.resolve(nodePath), version };
}

/** Debian packages aws-lambda-ric's install scripts need to build its native addon (curl and aws-lambda-cpp). */
const RIC_BUILD_PACKAGES = 'autoconf automake libtool cmake make g++ python3';

/**
 * Resolves `LambdaServiceOptions.runtimeClient` once, so that a missing aws-lambda-ric fails when the service is
 * created rather than at the first invocation. aws-lambda-ric is looked up from `searchFrom` (by default the current
 * directory, then the folder of our bootstrap, inside lambda-meter's own package).
 */
export function resolveRuntimeProcess(
  client: LocalRuntimeClient | undefined,
  bootstrapPath: string,
  searchFrom: readonly string[] = [process.cwd(), path.dirname(bootstrapPath)],
  executable: string = process.execPath,
): RuntimeProcess {
  if (client === undefined || client === 'lambda-meter') return { kind: 'node', executable, script: bootstrapPath, handlerArgument: false };
  if (client === 'aws-lambda-ric') {
    let manifest: string;
    try {
      manifest = createRequire(path.join(process.cwd(), 'index.js')).resolve('aws-lambda-ric/package.json', { paths: [...searchFrom] });
    } catch (error) {
      throw new InvalidInputError(
        'options.runtimeClient',
        `is 'aws-lambda-ric', which is not installed where local looks for it (the current directory, then lambda-meter's own folder): install the Debian packages ${RIC_BUILD_PACKAGES}, then run npm install -D aws-lambda-ric@^3 in your project`,
        { cause: error },
      );
    }
    const folder = path.dirname(manifest);
    // The bin is `dist/index.mjs`'s entry point; postinstall copies the addon it loads next to it.
    const addon = path.join(folder, 'dist', 'rapid-client.node');
    if (!existsSync(addon)) {
      throw new InvalidInputError(
        'options.runtimeClient',
        `is 'aws-lambda-ric', installed at ${folder} without its native addon (${addon}), which its install scripts build: install the Debian packages ${RIC_BUILD_PACKAGES}, then run npm rebuild aws-lambda-ric`,
      );
    }
    return { kind: 'node', executable, script: path.join(folder, 'bin', 'index.mjs'), handlerArgument: true };
  }
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof client.command !== 'string' ||
    client.command === '' ||
    !Array.isArray(client.args) ||
    !client.args.every((arg) => typeof arg === 'string')
  ) {
    throw new InvalidInputError('options.runtimeClient', `must be 'lambda-meter', 'aws-lambda-ric' or { command: string, args: string[] }, got ${JSON.stringify(client)}`);
  }
  return { kind: 'command', command: client.command, args: [...client.args] };
}

/**
 * Billed Duration in ms: Duration plus Init Duration, rounded up to the next millisecond, computed on the two-decimal
 * figures the REPORT prints (INIT is billed since 1 August 2025).
 */
export function billedDurationMs(durationMs: number, initDurationMs: number | undefined): number {
  const hundredths = Math.round(durationMs * 100) + Math.round((initDurationMs ?? 0) * 100);
  return Math.max(1, Math.ceil(hundredths / 100));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Everything an environment needs from the service. */
export interface EnvironmentSettings {
  readonly config: FunctionConfig;
  readonly region: string;
  readonly accountId: string;
  readonly runtime: RuntimeIdentity;
  readonly credentials: LocalCredentials;
  readonly bootstrapPath: string;
  /** The runtime client to start. @default `node <bootstrapPath>` */
  readonly runtimeProcess?: RuntimeProcess;
  readonly logs: LogStore;
  /** How long the Init phase may take, in milliseconds. */
  readonly initTimeoutMs: number;
  /** Called when the environment's process dies or it is stopped. */
  readonly onStopped?: (environment: ExecutionEnvironment) => void;
  /** Limits the process group's CPU in proportion to memory; undefined: no limit. */
  readonly cpu?: CpuController;
  /** How Duration and Init Duration are arrived at. @default 'measured' */
  readonly durationModel?: DurationModel;
  /** Declared waits sleep this many times faster than they count (`'declared'` model only). @default 1 */
  readonly timeScale?: number;
  /** Empties the machine's page cache before each on-demand Init (`coldPageCache`); undefined: caches stay. */
  readonly pageCache?: PageCacheDropper;
}

/** One invocation handed to an environment. */
export interface EnvironmentInvocation {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly invokedFunctionArn: string;
  readonly traceId: string;
  /** JSON text of the client context, if any. */
  readonly clientContext?: string;
}

/** How an invocation went. */
export interface InvocationOutcome {
  readonly requestId: string;
  /** The response, or the error payload when `functionError` is true. */
  readonly payload: Buffer;
  /** True when the invocation failed (handler error, init error, crash, timeout, out of memory). */
  readonly functionError: boolean;
  /** The error's type, when `functionError` is true. */
  readonly errorType: string | undefined;
  /** The REPORT written for it. */
  readonly report: ReportRecord;
  /** Every log message of the invocation, in order (INIT lines included on a cold start). */
  readonly messages: readonly string[];
  /** True when this invocation ran the Init phase. */
  readonly coldStart: boolean;
}

type EnvironmentSignal =
  | RuntimeSignal
  | { readonly type: 'exit'; readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly outOfMemory: boolean }
  | { readonly type: 'timeout' };

interface InitResult {
  readonly ok: boolean;
  readonly durationMs: number;
  readonly status: 'success' | 'error' | 'timeout';
  readonly errorType?: string;
  readonly payload?: Buffer;
}

function settleIo(): Promise<void> {
  // Two check phases: output the runtime wrote before posting its result has been read by then.
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

function errorPayload(errorType: string, errorMessage: string): Buffer {
  return Buffer.from(JSON.stringify({ errorType, errorMessage }), 'utf8');
}

/**
 * An execution environment. `invoke` runs one invocation at a time (the pool guarantees it); `stop` ends its process.
 *
 * @example
 * ```ts
 * const env = new ExecutionEnvironment(settings);
 * const outcome = await env.invoke({ requestId, payload: Buffer.from('{}'), invokedFunctionArn, traceId });
 * await env.stop();
 * ```
 */
export class ExecutionEnvironment {
  /** The 32 hex digits of the log stream name. */
  readonly id = newEnvironmentId();
  readonly config: FunctionConfig;
  readonly logStreamName: string;
  private state: EnvironmentInfo['state'] = 'initializing';
  private invocations = 0;
  private initialized = false;
  private api: RuntimeApiServer | undefined;
  private child: ChildProcess | undefined;
  private childClosed: Promise<void> = Promise.resolve();
  private exitSignal: EnvironmentSignal | undefined;
  private waiter: ((signal: EnvironmentSignal) => void) | undefined;
  private messages: string[] | undefined;
  private peakKb = 0;
  private memoryTimer: NodeJS.Timeout | undefined;
  private outOfMemory = false;
  private stderrTail = '';
  private stopping: Promise<void> | undefined;
  private cpuLimit: EnvironmentCpu | undefined;
  private readonly platform: PlatformLog;
  /** The runtime client to start: the settings' one, else lambda-meter's (`node <bootstrapPath>`). */
  private readonly runtimeProcess: RuntimeProcess;
  /** When the environment was last used (epoch milliseconds). */
  lastUsedAt = Date.now();

  constructor(private readonly settings: EnvironmentSettings) {
    this.config = settings.config;
    this.logStreamName = lambdaLogStreamName(Date.now(), this.config.version, this.id);
    this.platform = new PlatformLog(this.config.logFormat);
    this.runtimeProcess = settings.runtimeProcess ?? resolveRuntimeProcess(undefined, settings.bootstrapPath);
  }

  /** True until the process died or the environment was stopped. */
  get alive(): boolean {
    return this.state !== 'stopped' && this.exitSignal === undefined;
  }

  /** What `LambdaService.environments()` shows. */
  info(): EnvironmentInfo {
    return {
      functionName: this.config.functionName,
      version: this.config.version,
      pid: this.child?.pid,
      logStreamName: this.logStreamName,
      state: this.alive ? this.state : 'stopped',
      invocations: this.invocations,
    };
  }

  /** Runs one invocation: the Init phase first when the environment is new. */
  async invoke(invocation: EnvironmentInvocation): Promise<InvocationOutcome> {
    this.state = 'busy';
    this.invocations++;
    const messages: string[] = [];
    this.messages = messages;
    const coldStart = !this.initialized;
    try {
      let initDurationMs: number | undefined;
      let suppressedInitMs = 0;
      if (coldStart) {
        this.initialized = true;
        // A new environment starts with nothing in its page cache, as a new microVM does (coldPageCache); a
        // suppressed init re-run happens inside the same environment, whose caches are warm. The drop is not part
        // of the Init. If it fails, the environment ends before any process starts, and the caller gets the error.
        if (this.settings.pageCache !== undefined) {
          try {
            await this.settings.pageCache.drop(this.ownFiles());
          } catch (error) {
            await this.stop();
            throw error;
          }
        }
        const init = await this.initPhase('init', this.settings.initTimeoutMs);
        if (init.ok) {
          initDurationMs = init.durationMs;
        } else {
          // Lambda runs a failed Init again inside the first invoke, under the function's timeout.
          const retry = await this.initPhase('invoke', this.config.timeoutSeconds * 1000);
          if (!retry.ok) return this.failedInit(invocation, retry, messages);
          suppressedInitMs = retry.durationMs;
        }
      }
      return await this.invokePhase(invocation, messages, coldStart, initDurationMs, suppressedInitMs);
    } finally {
      this.messages = undefined;
      this.lastUsedAt = Date.now();
      if (this.alive) this.state = 'idle';
      else void this.stop();
    }
  }

  /** Ends the process (and anything it started) and the Runtime API; resolves once the process is gone. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.state = 'stopped';
      this.stopMemoryWatch();
      this.kill();
      await this.childClosed;
      await this.api?.close();
      this.settings.onStopped?.(this);
    })();
    return this.stopping;
  }

  /**
   * The files that are this environment's own on Lambda, where each environment has its copy: the runtime's program
   * (the Node.js binary, or a runtime command given as a path), the runtime client's script and the handler's module.
   */
  private ownFiles(): string[] {
    const runtime = this.runtimeProcess;
    const files = runtime.kind === 'node' ? [runtime.executable, runtime.script] : runtime.command.includes('/') ? [runtime.command] : [];
    if (this.config.handler.file !== undefined) files.push(this.config.handler.file);
    return files.filter((file) => existsSync(file));
  }

  // -------------------------------------------------------------------------------------------------------------

  private write(message: string, timestamp: number = Date.now()): void {
    this.settings.logs.putLogEvents(this.config.logGroup, this.logStreamName, [{ timestamp, message }]);
    this.messages?.push(message);
  }

  private signal(signal: EnvironmentSignal): void {
    if (signal.type === 'exit') {
      this.exitSignal = signal;
      // A process that dies between invocations takes its environment with it.
      if (this.state === 'idle') void this.stop();
    }
    this.waiter?.(signal);
  }

  private get declared(): boolean {
    return this.settings.durationModel === 'declared';
  }

  /** The Duration of a phase's declared work at this environment's memory size. */
  private modelled(work: DeclaredWork | undefined): number {
    return modelledDurationMs(work ?? NO_WORK, this.config.memorySizeMB);
  }

  /** Resolves with the first signal `accept` takes, or a timeout at `deadline` (a `performance.now()` time). */
  private waitFor(deadline: number, accept: (signal: EnvironmentSignal) => boolean): Promise<EnvironmentSignal> {
    return new Promise((resolve) => {
      if (this.exitSignal !== undefined) {
        resolve(this.exitSignal);
        return;
      }
      const finish = (signal: EnvironmentSignal): void => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(signal);
      };
      const timer = setTimeout(() => finish({ type: 'timeout' }), Math.max(0, deadline - performance.now()));
      this.waiter = (signal) => {
        if (signal.type === 'exit' || accept(signal)) finish(signal);
      };
    });
  }

  private environmentVariables(api: RuntimeApiServer): NodeJS.ProcessEnv {
    const c = this.config;
    const { credentials } = this.settings;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      ...c.environment,
      AWS_LAMBDA_FUNCTION_NAME: c.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: c.version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(c.memorySizeMB),
      AWS_LAMBDA_LOG_GROUP_NAME: c.logGroup,
      AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName,
      AWS_REGION: this.settings.region,
      AWS_DEFAULT_REGION: this.settings.region,
      AWS_EXECUTION_ENV: this.settings.runtime.executionEnv,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      LAMBDA_TASK_ROOT: c.handler.taskRoot,
      LAMBDA_RUNTIME_DIR: path.dirname(this.settings.bootstrapPath),
      _HANDLER: c.handler.handler,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_LAMBDA_RUNTIME_API: api.address,
      _LAMBDA_TELEMETRY_LOG_FD: '3',
      // lambda-meter's own runtime client marks where the handler starts and ends on this descriptor (see
      // EnvironmentCpu.handlerStart); other runtime clients ignore it.
      [PHASE_FD_ENV]: String(PHASE_FD),
    };
    if (credentials.sessionToken !== undefined) env.AWS_SESSION_TOKEN = credentials.sessionToken;
    if (this.declared) env[DURATION_MODEL_ENV] = `declared:${this.settings.timeScale ?? 1}`;
    if (c.logFormat === 'JSON') {
      env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
      env.AWS_LAMBDA_LOG_LEVEL = c.applicationLogLevel ?? 'INFO';
    }
    return env;
  }

  /**
   * Starts a runtime process against this environment's Runtime API. An on-demand Init phase (`phase: 'init'`) runs
   * with a burst of at least one vCPU until the runtime's first `/next`; a suppressed init re-run inside an invocation
   * (`phase: 'invoke'`) is part of that invocation and runs at the function's share.
   */
  private async spawnRuntime(phase: 'init' | 'invoke'): Promise<void> {
    if (this.api === undefined) {
      const api = await RuntimeApiServer.start((signal) => this.signal(signal));
      if (this.stopping !== undefined) await api.close();
      else this.api = api;
    }
    // stop() may have been called while the Runtime API was starting: no process may start after it.
    if (this.stopping !== undefined || this.api === undefined) throw new Error('The execution environment was stopped');
    this.api.reset();
    this.exitSignal = undefined;
    this.outOfMemory = false;
    this.stderrTail = '';
    const oldSpaceMB = Math.max(16, Math.floor(this.config.memorySizeMB * OLD_SPACE_SHARE));
    const runtime = this.runtimeProcess;
    const [command, args] =
      runtime.kind === 'command'
        ? [runtime.command, runtime.args]
        : [runtime.executable, [`--max-old-space-size=${oldSpaceMB}`, runtime.script, ...(runtime.handlerArgument ? [this.config.handler.handler] : [])]];
    const child = spawn(command, args, {
      // Lambda's task root always exists; here a handler path that names a missing folder would make spawn fail
      // (ENOENT, reported as if Node.js were missing), so the runtime starts in the current directory and reports
      // the missing module itself (Runtime.ImportModuleError).
      cwd: existsSync(this.config.handler.taskRoot) ? this.config.handler.taskRoot : process.cwd(),
      env: this.environmentVariables(this.api),
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      // Its own process group, so a stop ends whatever the handler started too.
      detached: true,
    });
    this.child = child;
    // local has no provisioned concurrency: every Init here is on-demand (AWS_LAMBDA_INITIALIZATION_TYPE).
    const cpuLimit = child.pid === undefined ? undefined : this.settings.cpu?.attach(child.pid, this.config.memorySizeMB, { initBurst: phase === 'init' });
    this.cpuLimit = cpuLimit;
    const sink = (timestamp: number, message: string): void => this.write(message, timestamp);
    const frames = new FrameReader(sink);
    const stdout = new LineReader(sink);
    const stderr = new LineReader(sink);
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-8192);
      stderr.push(chunk);
    });
    (child.stdio[3] as Readable | null)?.on('data', (chunk: Buffer) => frames.push(chunk));
    // One byte per mark: the handler starts ('h'): its code runs at the function's share; it has ended ('e'): the
    // rest (the response) is the runtime client's work. A mark read after its invocation ended is ignored.
    (child.stdio[PHASE_FD] as Readable | null)?.on('data', (chunk: Buffer) => {
      for (const byte of chunk) {
        if (byte === HANDLER_START_MARK) cpuLimit?.handlerStart();
        else if (byte === HANDLER_END_MARK) cpuLimit?.handlerEnd();
      }
    });
    this.childClosed = new Promise<void>((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (done) return;
        done = true;
        cpuLimit?.release();
        frames.flush();
        stdout.flush();
        stderr.flush();
        const heapOutOfMemory = /heap out of memory|Reached heap limit/.test(this.stderrTail);
        this.signal({ type: 'exit', code, signal, outOfMemory: this.outOfMemory || heapOutOfMemory });
        resolve();
      };
      child.once('exit', (code, signal) => {
        setTimeout(() => finish(code, signal), CLOSE_GRACE_MS).unref();
      });
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => finish(code, signal));
      child.once('error', (error) => {
        this.write(`lambda-meter local could not start the runtime: ${error.message}\n`);
        finish(127, null);
      });
    });
  }

  private kill(): void {
    // A process stopped by the duty cycle is continued first, so that it can exit.
    this.cpuLimit?.release();
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }

  /** Samples the process's memory while it initializes or runs an invocation (not while idle). */
  private startMemoryWatch(): void {
    this.stopMemoryWatch();
    const pid = this.child?.pid;
    if (pid === undefined || !hasProcStatus()) return;
    const limitKb = this.config.memorySizeMB * 1024;
    this.memoryTimer = setInterval(() => {
      const memory = readProcMemory(pid);
      if (memory === undefined) return;
      this.peakKb = Math.max(this.peakKb, memory.peakKb);
      if (memory.rssKb > limitKb && !this.outOfMemory) {
        // Over its memory size the sandbox is killed, as Lambda's is.
        this.outOfMemory = true;
        this.kill();
      }
    }, MEMORY_SAMPLE_MS);
    this.memoryTimer.unref();
  }

  private stopMemoryWatch(): void {
    if (this.memoryTimer !== undefined) clearInterval(this.memoryTimer);
    this.memoryTimer = undefined;
  }

  /** Reads the process's peak RSS now, folding in what the runtime reported. */
  private maxMemoryUsedMB(reportedKb: number | undefined): number {
    const pid = this.child?.pid;
    const memory = pid === undefined ? undefined : readProcMemory(pid);
    if (memory !== undefined) this.peakKb = Math.max(this.peakKb, memory.peakKb);
    if (reportedKb !== undefined) this.peakKb = Math.max(this.peakKb, reportedKb);
    return Math.round(this.peakKb / 1024);
  }

  private async initPhase(phase: 'init' | 'invoke', limitMs: number): Promise<InitResult> {
    const time = Date.now();
    const initStart = this.platform.initStart(time, {
      runtimeVersion: this.settings.runtime.runtimeVersion,
      runtimeVersionArn: this.settings.runtime.runtimeVersionArn,
      functionName: this.config.functionName,
      functionVersion: this.config.version,
      phase,
    });
    for (const line of initStart) this.write(line, time);
    const started = performance.now();
    await this.spawnRuntime(phase);
    this.startMemoryWatch();
    const signal = await this.waitFor(started + limitMs, (s) => s.type === 'next' || s.type === 'initError');
    // The Init phase ends at the runtime's first /next: from here on the function's CPU share applies.
    this.cpuLimit?.endInit();
    this.stopMemoryWatch();
    // Under the declared model the Init phase lasts what its declared work does (the process start itself is not
    // counted); a runtime that crashed or ran out of time has declared nothing, and keeps its measured time.
    const durationMs =
      this.declared && (signal.type === 'next' || signal.type === 'initError')
        ? this.modelled(signal.work)
        : performance.now() - started;
    let result: InitResult;
    if (signal.type === 'next') {
      result = { ok: true, durationMs, status: 'success' };
    } else {
      await settleIo();
      if (signal.type === 'initError') {
        result = { ok: false, durationMs, status: 'error', errorType: signal.errorType, payload: signal.body };
      } else if (signal.type === 'exit') {
        const errorType = signal.outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
        const message = `Error: Runtime exited with error: ${describeExit(signal.code, signal.signal)}`;
        result = { ok: false, durationMs, status: 'error', errorType, payload: errorPayload(errorType, message) };
      } else {
        const seconds = (limitMs / 1000).toFixed(2);
        result = { ok: false, durationMs, status: 'timeout', errorType: 'Sandbox.Timedout', payload: errorPayload('Sandbox.Timedout', `Init timed out after ${seconds} seconds`) };
      }
      this.kill();
      await this.childClosed;
    }
    // Lambda writes INIT_REPORT for a failed Init only; its Init Duration then goes on no REPORT.
    for (const line of this.platform.initDone(Date.now(), { durationMs, phase, status: result.status, errorType: result.status === 'error' ? result.errorType : undefined })) {
      this.write(line);
    }
    return result;
  }

  /** The invocation of an environment whose Init failed twice: START, END and a REPORT with the init error. */
  private failedInit(invocation: EnvironmentInvocation, init: InitResult, messages: string[]): InvocationOutcome {
    const errorType = init.errorType ?? 'Runtime.Unknown';
    const status: ReportStatus = init.status === 'timeout' ? 'timeout' : 'error';
    const startTime = Date.now();
    this.write(this.platform.start(startTime, invocation.requestId, this.config.version), startTime);
    const report = this.writeInvocationEnd(invocation.requestId, {
      durationMs: init.durationMs,
      initDurationMs: undefined,
      status,
      errorType: status === 'timeout' ? undefined : errorType,
      runtimeStatus: status,
      producedBytes: 0,
      spans: [],
      maxMemoryUsedMB: this.maxMemoryUsedMB(undefined),
    });
    this.state = 'stopped';
    return {
      requestId: invocation.requestId,
      payload: init.payload ?? errorPayload(errorType, 'Init failed'),
      functionError: true,
      errorType,
      report,
      messages,
      coldStart: true,
    };
  }

  private async invokePhase(
    invocation: EnvironmentInvocation,
    messages: string[],
    coldStart: boolean,
    initDurationMs: number | undefined,
    suppressedInitMs: number,
  ): Promise<InvocationOutcome> {
    const api = this.api as RuntimeApiServer;
    const timeoutMs = this.config.timeoutSeconds * 1000;
    // The runtime's own per-invocation work runs on an allowance of one vCPU (set before the clock starts: a cgroup
    // write is the service's time, not the function's).
    this.cpuLimit?.beginInvocation();
    const startTime = Date.now();
    const started = performance.now() - suppressedInitMs;
    const deadline = started + timeoutMs;
    this.write(this.platform.start(startTime, invocation.requestId, this.config.version), startTime);
    let signal: EnvironmentSignal | undefined;
    if (!api.waiting) {
      const ready = await this.waitFor(deadline, (s) => s.type === 'next');
      if (ready.type !== 'next') signal = ready;
    }
    let responseStart = started;
    if (signal === undefined) {
      this.startMemoryWatch();
      api.deliver({
        requestId: invocation.requestId,
        payload: invocation.payload,
        deadlineMs: startTime + timeoutMs - suppressedInitMs,
        invokedFunctionArn: invocation.invokedFunctionArn,
        traceId: invocation.traceId,
        clientContext: invocation.clientContext,
      });
      signal = await this.waitFor(
        deadline,
        (s) => (s.type === 'response' || s.type === 'error' || s.type === 'responseTooLarge') && s.requestId === invocation.requestId,
      );
      responseStart = performance.now();
      this.stopMemoryWatch();
    }
    let durationMs = performance.now() - started;
    this.cpuLimit?.endInvocation();
    if (this.declared && (signal.type === 'response' || signal.type === 'error')) {
      // The declared model: the Duration follows from the declared work and the memory size; past the function's
      // timeout it is a timeout, as the same work would be on Lambda.
      durationMs = this.modelled(signal.work) + suppressedInitMs;
      responseStart = started + durationMs;
      if (durationMs > timeoutMs) signal = { type: 'timeout' };
    }
    await settleIo();

    let payload: Buffer;
    let functionError = true;
    let errorType: string | undefined;
    let status: ReportStatus = 'success';
    let runtimeStatus: 'success' | 'error' | 'timeout' = 'error';
    let exitMessage: string | undefined;
    let reportedKb: number | undefined;
    switch (signal.type) {
      case 'response':
        payload = signal.body;
        functionError = false;
        runtimeStatus = 'success';
        reportedKb = signal.maxRssKb;
        break;
      case 'error':
        payload = signal.body;
        errorType = readErrorType(signal.body) ?? signal.errorType;
        reportedKb = signal.maxRssKb;
        break;
      case 'responseTooLarge':
        errorType = 'Function.ResponseSizeTooLarge';
        payload = errorPayload(errorType, `Response payload size exceeded maximum allowed payload size (${6 * 1024 * 1024} bytes).`);
        break;
      case 'exit': {
        errorType = signal.outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
        status = 'error';
        exitMessage = `Runtime exited with error: ${describeExit(signal.code, signal.signal)}`;
        payload = errorPayload(errorType, `RequestId: ${invocation.requestId} Error: ${exitMessage}`);
        break;
      }
      default: {
        // Past the timeout: the environment is killed and the REPORT shows the timeout as Duration.
        this.kill();
        durationMs = timeoutMs;
        status = 'timeout';
        runtimeStatus = 'timeout';
        errorType = 'Sandbox.Timedout';
        payload = errorPayload(errorType, `RequestId: ${invocation.requestId} Error: Task timed out after ${this.config.timeoutSeconds.toFixed(2)} seconds`);
        break;
      }
    }
    let maxMemoryUsedMB = this.maxMemoryUsedMB(reportedKb);
    if (errorType === 'Runtime.OutOfMemory') maxMemoryUsedMB = Math.max(maxMemoryUsedMB, this.config.memorySizeMB);
    const spans: PlatformSpan[] = [
      { name: 'responseLatency', start: startTime, durationMs: Math.max(0, responseStart - started) },
      { name: 'responseDuration', start: startTime + Math.max(0, responseStart - started), durationMs: 0 },
    ];
    const report = this.writeInvocationEnd(invocation.requestId, {
      durationMs,
      initDurationMs,
      status,
      errorType: status === 'error' ? errorType : undefined,
      runtimeStatus,
      runtimeErrorType: functionError && status !== 'timeout' ? errorType : undefined,
      producedBytes: functionError ? 0 : payload.length,
      spans,
      exitMessage,
      maxMemoryUsedMB,
    });
    if (status !== 'success') {
      this.kill();
      this.state = 'stopped';
    }
    return { requestId: invocation.requestId, payload, functionError, errorType: functionError ? errorType : undefined, report, messages, coldStart };
  }

  /** Writes the lines that close an invocation (END/runtimeDone, REPORT/platform.report); returns the REPORT. */
  private writeInvocationEnd(
    requestId: string,
    fields: {
      durationMs: number;
      initDurationMs: number | undefined;
      status: ReportStatus;
      errorType: string | undefined;
      runtimeStatus: 'success' | 'error' | 'timeout';
      runtimeErrorType?: string;
      producedBytes: number;
      spans: readonly PlatformSpan[];
      exitMessage?: string;
      maxMemoryUsedMB: number;
    },
  ): ReportRecord {
    const now = Date.now();
    const runtimeErrorType = fields.runtimeErrorType ?? fields.errorType;
    for (const line of this.platform.runtimeDone(now, {
      requestId,
      status: fields.runtimeStatus,
      ...(runtimeErrorType === undefined ? {} : { errorType: runtimeErrorType }),
      durationMs: fields.durationMs,
      producedBytes: fields.producedBytes,
      spans: fields.spans,
      ...(fields.exitMessage === undefined ? {} : { exitMessage: fields.exitMessage }),
    })) {
      this.write(line, now);
    }
    const durationMs = round2(fields.durationMs);
    const initDurationMs = fields.initDurationMs === undefined ? undefined : round2(fields.initDurationMs);
    const report: ReportRecord = {
      requestId,
      durationMs,
      billedDurationMs: billedDurationMs(durationMs, initDurationMs),
      memorySizeMB: this.config.memorySizeMB,
      maxMemoryUsedMB: fields.maxMemoryUsedMB,
      ...(initDurationMs === undefined ? {} : { initDurationMs }),
      status: fields.status,
      ...(fields.errorType === undefined ? {} : { errorType: fields.errorType }),
      coldStart: initDurationMs !== undefined,
      format: this.config.logFormat === 'JSON' ? 'json' : 'text',
    };
    this.write(this.platform.report(now, report), now);
    return report;
  }
}

/** The `errorType` of an error payload, when it is JSON with one. */
function readErrorType(body: Buffer): string | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && typeof (value as { errorType?: unknown }).errorType === 'string') {
      return (value as { errorType: string }).errorType;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
