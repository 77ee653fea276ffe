/**
 * lambda-meter local's own runtime client: the program each execution environment of `lambda-meter/local` runs in
 * its child process (`node bootstrap.mjs`). It does what the managed Node.js runtime does on Lambda, through the
 * Lambda Runtime API that `local` serves at `AWS_LAMBDA_RUNTIME_API`:
 *
 * - loads the handler named by `_HANDLER` (Lambda's `file.export` form, resolved in `LAMBDA_TASK_ROOT`, or
 *   `path#export`), ESM or CommonJS, and reports a failure to `/runtime/init/error` as `Runtime.ImportModuleError`,
 *   `Runtime.UserCodeSyntaxError`, `Runtime.HandlerNotFound` or `Runtime.MalformedHandlerName`;
 * - loops on `GET /runtime/invocation/next`, builds the `context` object, runs async and callback handlers (a
 *   callback's result is sent when the event loop is empty unless `callbackWaitsForEmptyEventLoop` is false), and
 *   posts the result to `…/response` or the error (`errorType`, `errorMessage`, `trace`) to `…/error`;
 * - prints `console.*` as the Node.js runtime does (`<ISO time>\t<request id>\t<LEVEL>\t<message>`, or a JSON object
 *   when `AWS_LAMBDA_LOG_FORMAT` is JSON), framed on the `_LAMBDA_TELEMETRY_LOG_FD` descriptor when one is given.
 *
 * It imports only Node.js built-ins and does nothing but that; it is spawned, never imported.
 *
 * @module
 */
import { existsSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import util from 'node:util';

// node:http through require, not `import`: on Node.js 22 and 24 an ESM import of node:http builds its namespace,
// which reads every lazy export and so loads undici, http2, tls and crypto too: about 60 ms more of every cold start
// (the Init Duration) than the require, which loads only what http itself needs.
const http = createRequire(import.meta.url)('node:http');

const RUNTIME_PATH = '/2018-06-01/runtime';
const ERROR_TYPE_HEADER = 'lambda-runtime-function-error-type';
/** Non-standard: the process's peak RSS in kilobytes, for platforms where `local` cannot read /proc. */
const MAX_RSS_HEADER = 'x-lambda-meter-max-rss-kb';

/**
 * Runtime error classes named as Lambda names them (`Runtime.ImportModuleError`, …), the name on the prototype as
 * aws-lambda-ric sets it, so that it is no own property that the `Uncaught Exception` log line would print.
 */
const RUNTIME_ERRORS = new Map(
  ['ImportModuleError', 'HandlerNotFound', 'MalformedHandlerName', 'UserCodeSyntaxError', 'UnhandledPromiseRejection'].map((kind) => {
    const RuntimeError = class extends Error {};
    RuntimeError.prototype.name = `Runtime.${kind}`;
    return [kind, RuntimeError];
  }),
);

function runtimeError(kind, message) {
  const RuntimeError = RUNTIME_ERRORS.get(kind);
  return new RuntimeError(message);
}

// ---------------------------------------------------------------------------------------------------------------
// Logging

const LEVELS = {
  TRACE: { name: 'TRACE', priority: 1, mask: 0b00100 },
  DEBUG: { name: 'DEBUG', priority: 2, mask: 0b01000 },
  INFO: { name: 'INFO', priority: 3, mask: 0b01100 },
  WARN: { name: 'WARN', priority: 4, mask: 0b10000 },
  ERROR: { name: 'ERROR', priority: 5, mask: 0b10100 },
  FATAL: { name: 'FATAL', priority: 6, mask: 0b11000 },
};

let currentRequestId;

/** An error's type in JSON log lines: its constructor's name, as aws-lambda-ric's LogPatch takes it (not `name`). */
function constructorName(error) {
  return error?.constructor?.name ?? 'UnknownError';
}

/** JSON.stringify replacer of JSON log lines: every Error, nested ones too, as type, message, stack and own fields. */
function jsonErrorReplacer(_key, value) {
  if (!(value instanceof Error)) return value;
  return {
    errorType: constructorName(value),
    errorMessage: value.message,
    stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
    ...value,
  };
}

function jsonMessage(level, time, params) {
  const entry = { timestamp: time, level: level.name, requestId: currentRequestId };
  if (params.length === 1) {
    entry.message = params[0];
    try {
      return JSON.stringify(entry, jsonErrorReplacer);
    } catch {
      entry.message = util.format(entry.message);
      return JSON.stringify(entry);
    }
  }
  entry.message = util.format(...params);
  const error = params.find((p) => p instanceof Error);
  if (error !== undefined) {
    entry.errorType = constructorName(error);
    entry.errorMessage = error.message;
    entry.stackTrace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  }
  return JSON.stringify(entry);
}

/**
 * Returns the function console methods log with. With a telemetry descriptor each entry is one frame: a 4-byte type
 * (0xa55a0003 text or 0xa55a0002 JSON, OR-ed with the level), a 4-byte length, an 8-byte timestamp in microseconds,
 * then the message, all big-endian; otherwise a line on stdout with its inner newlines turned into carriage returns.
 */
function makeLogger() {
  const json = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const fdText = process.env._LAMBDA_TELEMETRY_LOG_FD;
  delete process.env._LAMBDA_TELEMETRY_LOG_FD;
  const fd = fdText === undefined ? undefined : Number.parseInt(fdText, 10);
  const header = Buffer.alloc(16);
  return (level, params) => {
    const now = new Date();
    const time = now.toISOString();
    const text = json ? jsonMessage(level, time, params) : `${time}\t${currentRequestId}\t${level.name}\t${util.format(...params)}\n`;
    if (fd === undefined || Number.isNaN(fd)) {
      const line = text.endsWith('\n') ? text.slice(0, -1) : text;
      process.stdout.write(`${line.replace(/\n/g, '\r')}\n`);
      return;
    }
    const body = Buffer.from(text, 'utf8');
    header.writeUInt32BE(((json ? 0xa55a0002 : 0xa55a0003) | level.mask) >>> 0, 0);
    header.writeUInt32BE(body.length, 4);
    header.writeBigInt64BE(BigInt(now.getTime()) * 1000n, 8);
    writeFully(fd, header);
    writeFully(fd, body);
  };
}

function writeFully(fd, buffer) {
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(fd, buffer, offset);
    } catch (error) {
      // A non-blocking descriptor that is momentarily full: try again.
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}

/** Replaces console.* like the Node.js runtime, honouring `AWS_LAMBDA_LOG_LEVEL`. */
function patchConsole() {
  const log = makeLogger();
  const minimum = LEVELS[process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() ?? ''] ?? LEVELS.TRACE;
  // `(message, ...params)` as the Node.js runtime's methods: a bare console.log() prints `undefined`, as on Lambda.
  const method = (level) => (level.priority >= minimum.priority ? (message, ...params) => log(level, [message, ...params]) : () => {});
  console.trace = method(LEVELS.TRACE);
  console.debug = method(LEVELS.DEBUG);
  console.info = method(LEVELS.INFO);
  console.log = console.info;
  console.warn = method(LEVELS.WARN);
  console.error = method(LEVELS.ERROR);
  console.fatal = (message, ...params) => log(LEVELS.FATAL, [message, ...params]);
}

/** JSON.stringify replacer of the text `Invoke Error` line: every Error, nested ones too, with its own fields. */
function textErrorReplacer(_key, value) {
  if (!(value instanceof Error)) return value;
  const fields = { errorType: value.name, errorMessage: value.message, code: value.code, ...value };
  if (typeof value.stack === 'string') fields.stack = value.stack.split('\n');
  return fields;
}

/** ` \t{"errorType":…,"errorMessage":…,"stack":[…]}` as the runtime prints an error after a label. */
function formatted(error) {
  try {
    return `\t${JSON.stringify(error, textErrorReplacer)}`;
  } catch {
    return `\t${JSON.stringify(errorBody(error))}`;
  }
}

function logError(label, error) {
  if (process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON') console.error(error);
  else console.error(label, formatted(error));
}

// ---------------------------------------------------------------------------------------------------------------
// Runtime API client

const [apiHost, apiPortText] = (process.env.AWS_LAMBDA_RUNTIME_API ?? '').split(':');
const apiPort = Number.parseInt(apiPortText ?? '', 10);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One request to the Runtime API; resolves with the status, headers and body. */
function request(method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: apiHost, port: apiPort, path: `${RUNTIME_PATH}${urlPath}`, method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': body.length } },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The Runtime API went away (local stopped): nothing more can be done, so the process ends. */
function lostRuntimeApi(error) {
  process.stderr.write(`lambda-meter bootstrap: the Runtime API at ${process.env.AWS_LAMBDA_RUNTIME_API} is unreachable: ${error?.message ?? error}\n`);
  process.exit(1);
}

function maxRssHeader() {
  return { [MAX_RSS_HEADER]: String(process.resourceUsage().maxRSS) };
}

// ---------------------------------------------------------------------------------------------------------------
// The work API of local's duration model
//
// `globalThis[Symbol.for('lambda-meter.work')]` lets a handler declare its work: `cpu(ms)` is single-threaded CPU work
// that takes `ms` on one full vCPU, `wait(ms)` (a promise) a wait that no CPU share stretches. Under the 'measured'
// model they do the work: cpu(ms) spins until the process has used `ms` of CPU time, so it takes as long as the CPU
// share `local` gives the environment makes it; wait(ms) sleeps. Under 'declared' (`_LAMBDA_METER_DURATION_MODEL` is
// `declared:<timeScale>`) cpu(ms) only counts and wait(ms) sleeps ms / timeScale; each phase's totals go to local in
// the work header, and local reports the Duration that follows from them and the memory size.

const WORK_HEADER = 'x-lambda-meter-work';
const [durationModel, waitScaleText] = (process.env._LAMBDA_METER_DURATION_MODEL ?? 'measured').split(':');
delete process.env._LAMBDA_METER_DURATION_MODEL;
const declaredModel = durationModel === 'declared';
const waitScale = Number(waitScaleText) > 0 ? Number(waitScaleText) : 1;
let declaredWork = { cpuMs: 0, waitMs: 0 };
let spinSink = 0;

function checkWorkMs(method, ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new TypeError(`lambda-meter work.${method}(ms): ms must be a finite number >= 0, got ${String(ms)}`);
  }
}

/** Spins until this process has used `ms` more milliseconds of CPU time (all its threads, as Lambda's share counts). */
function spinCpu(ms) {
  const start = process.cpuUsage();
  const targetUs = ms * 1000;
  for (;;) {
    const used = process.cpuUsage(start);
    if (used.user + used.system >= targetUs) return;
    for (let i = 0; i < 2000; i++) spinSink = (spinSink + Math.sqrt(i)) % 1e9;
  }
}

const work = Object.freeze({
  /** `'measured'` or `'declared'`: whether cpu() and wait() do their work or only declare it. */
  model: declaredModel ? 'declared' : 'measured',
  cpu(ms) {
    checkWorkMs('cpu', ms);
    declaredWork.cpuMs += ms;
    if (!declaredModel) spinCpu(ms);
  },
  wait(ms) {
    checkWorkMs('wait', ms);
    declaredWork.waitMs += ms;
    return new Promise((resolve) => setTimeout(resolve, declaredModel ? ms / waitScale : ms));
  },
});
Object.defineProperty(globalThis, Symbol.for('lambda-meter.work'), { value: work, enumerable: false });

/** The work declared since the last call, as the header that reports it (declared model only). */
function workHeader() {
  if (!declaredModel) return {};
  const declared = declaredWork;
  declaredWork = { cpuMs: 0, waitMs: 0 };
  return { [WORK_HEADER]: JSON.stringify(declared) };
}

/** An error-like object as aws-lambda-ric's Errors.js accepts one: non-empty string name, message and stack. */
function isErrorLike(value) {
  return Boolean(value?.name && value.message && value.stack) && typeof value.name === 'string' && typeof value.message === 'string' && typeof value.stack === 'string';
}

/** DEL is escaped in what the runtime posts, as aws-lambda-ric does. */
function escapeDel(text) {
  return text?.replace(/\x7F/g, '%7F');
}

/** The error body the runtime posts: errorType, errorMessage and the stack as `trace` lines (aws-lambda-ric's shape). */
function errorBody(error) {
  try {
    if (util.types.isNativeError(error) || isErrorLike(error)) {
      return { errorType: escapeDel(error.name), errorMessage: escapeDel(error.message), trace: escapeDel(error.stack).split('\n') };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function serialize(value) {
  return Buffer.from(JSON.stringify(value === undefined ? null : value), 'utf8');
}

async function postError(urlPath, error) {
  const body = errorBody(error);
  await request('POST', urlPath, serialize(body), {
    'content-type': 'application/json',
    [ERROR_TYPE_HEADER]: body.errorType,
    ...maxRssHeader(),
    ...workHeader(),
  });
}

async function postResult(requestId, result) {
  const id = encodeURIComponent(requestId);
  let body;
  try {
    body = serialize(result);
  } catch {
    await postError(`/invocation/${id}/error`, new Error('Unable to stringify response body'));
    return;
  }
  await request('POST', `/invocation/${id}/response`, body, { 'content-type': 'application/json', ...maxRssHeader(), ...workHeader() });
}

// ---------------------------------------------------------------------------------------------------------------
// Handler loading

function isSyntaxError(error) {
  return error instanceof SyntaxError || error?.name === 'SyntaxError';
}

// Only require()'s MODULE_NOT_FOUND is an ImportModuleError; an ES module's missing import surfaces as the plain
// error (`Error: Cannot find package 'x' imported from /var/task/index.mjs`), as on Lambda.
function isModuleNotFound(error) {
  return error?.code === 'MODULE_NOT_FOUND';
}

/** Loads a module file: `.cjs` and extensionless files with require, the rest with import() (Node picks the format). */
async function loadFile(file) {
  const extension = path.extname(file);
  try {
    if (extension === '.cjs' || extension === '') return createRequire(import.meta.url)(file);
    return await import(pathToFileURL(file).href);
  } catch (error) {
    if (isSyntaxError(error)) throw runtimeError('UserCodeSyntaxError', String(error));
    if (isModuleNotFound(error)) throw runtimeError('ImportModuleError', String(error));
    throw error;
  }
}

/** `require.resolve(name, { paths })`, as aws-lambda-ric's last try; not found: Runtime.ImportModuleError. */
function nodeResolve(moduleName, paths) {
  try {
    return createRequire(import.meta.url).resolve(moduleName, { paths });
  } catch (error) {
    if (isModuleNotFound(error)) throw runtimeError('ImportModuleError', String(error));
    throw error;
  }
}

/** The module and export path named by `_HANDLER`. */
function parseHandler(spec, taskRoot) {
  const hash = spec.lastIndexOf('#');
  if (hash > 0 && hash < spec.length - 1) {
    const file = path.resolve(taskRoot, spec.slice(0, hash));
    // A missing file is Runtime.ImportModuleError with Node's `Cannot find module` message, as Lambda reports a
    // missing handler module (import() alone would throw a plain ERR_MODULE_NOT_FOUND error).
    if (!existsSync(file)) nodeResolve(file, [taskRoot]);
    return { file, exportPath: spec.slice(hash + 1) };
  }
  if (spec.includes('..')) {
    throw runtimeError('MalformedHandlerName', `'${spec}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const base = path.basename(spec);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) throw runtimeError('MalformedHandlerName', 'Bad handler');
  const moduleName = base.slice(0, dot);
  const moduleRoot = spec.slice(0, spec.length - base.length);
  const stem = path.resolve(taskRoot, moduleRoot, moduleName);
  // Lambda's order: the file as named, then .js, .mjs and .cjs; then Node.js's own resolution (a package in
  // node_modules), whose MODULE_NOT_FOUND message, `Require stack` and all, is the ImportModuleError's.
  const file = [stem, `${stem}.js`, `${stem}.mjs`, `${stem}.cjs`].find((f) => existsSync(f)) ?? nodeResolve(moduleName, [taskRoot, moduleRoot]);
  return { file, exportPath: base.slice(dot + 1) };
}

async function loadHandler() {
  const spec = process.env._HANDLER ?? '';
  const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const { file, exportPath } = parseHandler(spec, taskRoot);
  const loaded = await loadFile(file);
  const find = (root) => exportPath.split('.').reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), root);
  // An ES module namespace of a CommonJS file keeps its exports on `default`.
  let handler = find(loaded);
  if (handler === undefined && loaded !== null && typeof loaded === 'object' && 'default' in loaded) handler = find(loaded.default);
  if (handler === undefined || handler === null) throw runtimeError('HandlerNotFound', `${spec} is undefined or not exported`);
  if (typeof handler !== 'function') throw runtimeError('HandlerNotFound', `${spec} is not a function`);
  return handler;
}

// ---------------------------------------------------------------------------------------------------------------
// Invocations

/** Called when the event loop is empty during an invocation: completes a callback handler. */
let onEmptyLoop;
/** Fails the invocation in progress (uncaught exception, unhandled rejection); undefined between invocations. */
let failCurrent;

process.on('beforeExit', () => {
  const run = onEmptyLoop;
  onEmptyLoop = undefined;
  if (run !== undefined) run();
});

function parseJsonHeader(value) {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function header(headers, name) {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function buildContext(headers, requestId, callback) {
  const deadline = Number(header(headers, 'lambda-runtime-deadline-ms'));
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: header(headers, 'lambda-runtime-invoked-function-arn'),
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: parseJsonHeader(header(headers, 'lambda-runtime-cognito-identity')),
    clientContext: parseJsonHeader(header(headers, 'lambda-runtime-client-context')),
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: (error, result) => callback(error, result),
    succeed: (result) => callback(null, result),
    fail: (error) => callback(error ?? 'handled'),
  };
  return context;
}

// lambda-meter local holds the function's own code to its memory's share of a CPU and lets this client's work around
// it (reading the event, posting the response) run at one vCPU: one byte on this descriptor right before the handler
// is called ('h') and one when its result or error is in ('e'). Written synchronously, so local sees the mark before
// the handler has run for long.
const phaseFd = (() => {
  const text = process.env._LAMBDA_METER_PHASE_FD;
  delete process.env._LAMBDA_METER_PHASE_FD;
  const fd = text === undefined ? Number.NaN : Number.parseInt(text, 10);
  return Number.isInteger(fd) && fd >= 0 ? fd : undefined;
})();
const HANDLER_START = Buffer.from('h');
const HANDLER_END = Buffer.from('e');

/** Writes a phase mark; a closed descriptor only means local does not listen. */
function markPhase(mark) {
  if (phaseFd === undefined) return;
  try {
    writeSync(phaseFd, mark);
  } catch {
    // Not listening: nothing to tell.
  }
}

/** Runs one invocation; resolves once its result or error has been posted. */
function invoke(handler, next) {
  const requestId = header(next.headers, 'lambda-runtime-aws-request-id') ?? '';
  const traceId = header(next.headers, 'lambda-runtime-trace-id');
  currentRequestId = requestId;
  // Work declared between invocations belongs to neither.
  declaredWork = { cpuMs: 0, waitMs: 0 };
  if (traceId === undefined) delete process.env._X_AMZN_TRACE_ID;
  else process.env._X_AMZN_TRACE_ID = traceId;
  const id = encodeURIComponent(requestId);
  return new Promise((resolve) => {
    let finished = false;
    const finish = (send) => {
      if (finished) return;
      finished = true;
      markPhase(HANDLER_END);
      onEmptyLoop = undefined;
      failCurrent = undefined;
      send().then(resolve, lostRuntimeApi);
    };
    const succeed = (result) => finish(() => postResult(requestId, result));
    const fail = (error) => {
      logError('Invoke Error', error instanceof Error ? error : new Error(String(error)));
      finish(() => postError(`/invocation/${id}/error`, error));
    };
    const callback = (error, result) => {
      const settle = () => (error === null || error === undefined ? succeed(result) : fail(error));
      if (context.callbackWaitsForEmptyEventLoop) onEmptyLoop = settle;
      else settle();
    };
    const context = buildContext(next.headers, requestId, callback);
    // A handler that neither returns a promise nor calls back ends when the event loop is empty, with null.
    onEmptyLoop = () => succeed(null);
    failCurrent = (error) => {
      if (finished) return Promise.resolve();
      let posted;
      finish(() => (posted = postError(`/invocation/${id}/error`, error)));
      return posted;
    };
    let event;
    try {
      event = next.body.length === 0 ? {} : JSON.parse(next.body.toString('utf8'));
    } catch (error) {
      fail(error);
      return;
    }
    let result;
    try {
      markPhase(HANDLER_START);
      result = handler(event, context, callback);
    } catch (error) {
      fail(error);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof result.then === 'function') result.then(succeed, fail);
  });
}

/** An uncaught exception or unhandled rejection: report it for the invocation in progress, then end the process. */
function fatal(label, error, exitCode) {
  logError(label, error);
  const report = failCurrent;
  failCurrent = undefined;
  const posted = report === undefined ? Promise.resolve() : report(error);
  // The process ends once the error is posted, as the Node.js runtime's does.
  posted.catch(() => undefined).finally(() => process.exit(exitCode));
}

process.on('uncaughtException', (error) => fatal('Uncaught Exception', error instanceof Error ? error : new Error(String(error)), 129));
process.on('unhandledRejection', (reason, promise) => {
  const error = runtimeError('UnhandledPromiseRejection', reason);
  // Own fields of the runtime's UnhandledPromiseRejection, printed in its log line.
  error.reason = reason;
  error.promise = promise;
  fatal('Unhandled Promise Rejection', error, 128);
});

async function main() {
  if (apiHost === undefined || apiHost === '' || Number.isNaN(apiPort)) {
    process.stderr.write('lambda-meter bootstrap: AWS_LAMBDA_RUNTIME_API must be host:port\n');
    process.exit(1);
  }
  patchConsole();
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    logError('Uncaught Exception', error instanceof Error ? error : new Error(String(error)));
    await postError('/init/error', error).catch(lostRuntimeApi);
    process.exit(129);
  }
  for (;;) {
    // The first /next ends the Init phase: it carries the work declared while the handler's module loaded.
    const next = await request('GET', '/invocation/next', undefined, workHeader()).catch(lostRuntimeApi);
    if (next.status !== 200) lostRuntimeApi(new Error(`GET /invocation/next answered ${next.status}: ${next.body.toString('utf8')}`));
    await invoke(handler, next);
  }
}

main().catch(lostRuntimeApi);
