/**
 * Function configurations of `local`'s Lambda: validating definitions, resolving handlers, the immutable
 * configuration snapshot each version has, and its `FunctionConfiguration` wire shape.
 *
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { integerInRange } from '../../internal/validate.js';
import { lambdaLogGroupName } from '../logs/store.js';
import { functionArn, isFunctionName, lambdaTimestamp, LATEST } from './names.js';
import type { RuntimeIdentity } from './names.js';
import type { LocalArchitecture, LocalFunctionDefinition, LocalLogFormat } from './types.js';

/** Lambda's memory range, MB (FunctionConfiguration MemorySize: 128-10,240). */
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;
/** Lambda's timeout range, seconds. */
export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_TIMEOUT_SECONDS = 900;
export const DEFAULT_MEMORY_MB = 128;
export const DEFAULT_TIMEOUT_SECONDS = 3;
/** Description length limit (FunctionConfiguration Description: 0-256). */
export const MAX_DESCRIPTION_LENGTH = 256;

/**
 * Environment variable names Lambda reserves and refuses in a function's configuration (Lambda Developer Guide,
 * "Defined runtime environment variables").
 */
export const RESERVED_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);
// Environment variable keys: a letter, then letters, digits and underscores (Environment.Variables key pattern).
const ENVIRONMENT_KEY = /^[a-zA-Z]([a-zA-Z0-9_])+$/;

/** The log levels of LoggingConfig. */
export const APPLICATION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;

/** Where a handler lives and how the runtime is told about it. */
export interface ResolvedHandler {
  /** `LAMBDA_TASK_ROOT`: an absolute folder. */
  readonly taskRoot: string;
  /** `_HANDLER`: Lambda's `file.export` form when it names the file unambiguously, else `<absolute path>#export`. */
  readonly handler: string;
  /** The module file, when it exists. */
  readonly file: string | undefined;
}

/** An immutable snapshot of one version's configuration. */
export interface FunctionConfig {
  readonly functionName: string;
  /** `$LATEST` or a version number. */
  readonly version: string;
  readonly description: string;
  readonly handler: ResolvedHandler;
  readonly memorySizeMB: number;
  readonly timeoutSeconds: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly logFormat: LocalLogFormat;
  readonly applicationLogLevel: string | undefined;
  readonly systemLogLevel: string | undefined;
  readonly logGroup: string;
  /** Base64 SHA-256 of the handler file, as `CodeSha256`. */
  readonly codeSha256: string;
  readonly codeSize: number;
  /** The instruction set (`Architectures[0]`): it changes the price, not the speed, of an invocation here. */
  readonly architecture: LocalArchitecture;
  readonly revisionId: string;
  readonly lastModifiedMs: number;
  /** Increases with every configuration change of `$LATEST`; environments of an older generation are replaced. */
  readonly generation: number;
}

const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs'];

/**
 * Resolves a handler given as `path#export` (relative to `cwd`) or as Lambda's `file.export` (relative to the task
 * root). A `path#export` becomes `file.export` when Lambda's own lookup (the name as given, then `.js`, `.mjs`,
 * `.cjs`) finds exactly that file, so that any Lambda runtime client can load it.
 */
export function resolveHandler(handler: string, taskRoot: string | undefined, cwd: string = process.cwd()): ResolvedHandler {
  const hash = handler.lastIndexOf('#');
  if (hash < 0) {
    const root = path.resolve(cwd, taskRoot ?? '.');
    const base = path.basename(handler);
    const dot = base.indexOf('.');
    const stem = path.resolve(root, handler.slice(0, handler.length - base.length), dot > 0 ? base.slice(0, dot) : base);
    const file = ['', ...MODULE_EXTENSIONS].map((e) => stem + e).find((f) => existsSync(f));
    return { taskRoot: root, handler, file };
  }
  const file = path.resolve(cwd, handler.slice(0, hash));
  const exportPath = handler.slice(hash + 1);
  const root = taskRoot === undefined ? path.dirname(file) : path.resolve(cwd, taskRoot);
  const extension = path.extname(file);
  const stem = file.slice(0, file.length - extension.length);
  const relative = path.relative(root, stem).split(path.sep).join('/');
  const lambdaForm =
    MODULE_EXTENSIONS.includes(extension) &&
    !path.basename(stem).includes('.') &&
    !relative.startsWith('..') &&
    !path.isAbsolute(relative) &&
    ['', ...MODULE_EXTENSIONS].map((e) => stem + e).find((f) => existsSync(f)) === file;
  return {
    taskRoot: root,
    handler: lambdaForm ? `${relative}.${exportPath}` : `${file}#${exportPath}`,
    file: existsSync(file) ? file : undefined,
  };
}

/** The architectures Lambda offers. */
export const LOCAL_ARCHITECTURES: readonly LocalArchitecture[] = ['x86_64', 'arm64'];

/** The architecture of the machine local runs on: the default of a function's. */
export function hostArchitecture(): LocalArchitecture {
  return process.arch === 'arm64' ? 'arm64' : 'x86_64';
}

/** Base64 SHA-256 and size of the handler file (of nothing when it does not exist). */
export function codeIdentity(file: string | undefined): { readonly codeSha256: string; readonly codeSize: number } {
  let content: Buffer = Buffer.alloc(0);
  if (file !== undefined) {
    try {
      content = readFileSync(file);
    } catch {
      content = Buffer.alloc(0);
    }
  }
  return { codeSha256: createHash('sha256').update(content).digest('base64'), codeSize: content.length };
}

/** Problems with a set of environment variables, in Lambda's words; undefined when there are none. */
export function environmentProblem(variables: Readonly<Record<string, unknown>>): string | undefined {
  const reserved = Object.keys(variables).filter((k) => RESERVED_ENVIRONMENT_KEYS.has(k));
  if (reserved.length > 0) {
    return (
      'Lambda was unable to configure your environment variables because the environment variables you have provided ' +
      `contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`
    );
  }
  for (const [key, value] of Object.entries(variables)) {
    if (!ENVIRONMENT_KEY.test(key)) return `Lambda was unable to configure your environment variables because the key ${JSON.stringify(key)} is not a valid name`;
    if (typeof value !== 'string') return `Lambda was unable to configure your environment variables because the value of ${key} is not a string`;
  }
  const size = Buffer.byteLength(JSON.stringify(variables), 'utf8');
  // Lambda's limit: 4 KB for all environment variables together.
  if (size > 4096) return `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${size}`;
  return undefined;
}

/** Validates one function definition; throws InvalidInputError naming `functions[i].<field>`. */
export function checkDefinition(definition: LocalFunctionDefinition, field: string): LocalFunctionDefinition {
  if (typeof definition !== 'object' || definition === null) throw new InvalidInputError(field, 'must be a function definition object');
  if (typeof definition.name !== 'string' || !isFunctionName(definition.name)) {
    throw new InvalidInputError(`${field}.name`, `must be 1-64 letters, digits, '-' or '_', got ${JSON.stringify(definition.name)}`);
  }
  if (typeof definition.handler !== 'string' || definition.handler.trim() === '') {
    throw new InvalidInputError(`${field}.handler`, 'must be a non-empty string: path/to/file.mjs#export or file.export');
  }
  const hash = definition.handler.lastIndexOf('#');
  if (hash === 0 || hash === definition.handler.length - 1) {
    throw new InvalidInputError(`${field}.handler`, `must name a file and an export around '#', got ${JSON.stringify(definition.handler)}`);
  }
  if (definition.taskRoot !== undefined && (typeof definition.taskRoot !== 'string' || definition.taskRoot === '')) {
    throw new InvalidInputError(`${field}.taskRoot`, 'must be a non-empty string');
  }
  if (definition.memorySizeMB !== undefined) integerInRange(definition.memorySizeMB, `${field}.memorySizeMB`, MIN_MEMORY_MB, MAX_MEMORY_MB);
  if (definition.timeoutSeconds !== undefined) {
    integerInRange(definition.timeoutSeconds, `${field}.timeoutSeconds`, MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS);
  }
  if (definition.reservedConcurrency !== undefined) {
    integerInRange(definition.reservedConcurrency, `${field}.reservedConcurrency`, 0, Number.MAX_SAFE_INTEGER);
  }
  if (definition.logFormat !== undefined && definition.logFormat !== 'Text' && definition.logFormat !== 'JSON') {
    throw new InvalidInputError(`${field}.logFormat`, `must be 'Text' or 'JSON', got ${JSON.stringify(definition.logFormat)}`);
  }
  if (definition.architecture !== undefined && !LOCAL_ARCHITECTURES.includes(definition.architecture)) {
    throw new InvalidInputError(`${field}.architecture`, `must be one of ${LOCAL_ARCHITECTURES.join(', ')}, got ${JSON.stringify(definition.architecture)}`);
  }
  if (definition.description !== undefined && (typeof definition.description !== 'string' || definition.description.length > MAX_DESCRIPTION_LENGTH)) {
    throw new InvalidInputError(`${field}.description`, `must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  if (definition.environment !== undefined) {
    if (typeof definition.environment !== 'object' || definition.environment === null || Array.isArray(definition.environment)) {
      throw new InvalidInputError(`${field}.environment`, 'must be a record of name → string value');
    }
    const problem = environmentProblem(definition.environment);
    if (problem !== undefined) throw new InvalidInputError(`${field}.environment`, problem);
  }
  return definition;
}

/** The first configuration of a function, from its definition. */
export function initialConfig(definition: LocalFunctionDefinition, nowMs: number): FunctionConfig {
  const handler = resolveHandler(definition.handler, definition.taskRoot);
  return {
    functionName: definition.name,
    version: LATEST,
    description: definition.description ?? '',
    handler,
    memorySizeMB: definition.memorySizeMB ?? DEFAULT_MEMORY_MB,
    timeoutSeconds: definition.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    environment: { ...(definition.environment ?? {}) },
    logFormat: definition.logFormat ?? 'Text',
    applicationLogLevel: undefined,
    systemLogLevel: undefined,
    logGroup: lambdaLogGroupName(definition.name),
    ...codeIdentity(handler.file),
    architecture: definition.architecture ?? hostArchitecture(),
    revisionId: randomUUID(),
    lastModifiedMs: nowMs,
    generation: 1,
  };
}

/** What the wire shape needs besides the configuration itself. */
export interface ConfigurationContext {
  readonly region: string;
  readonly accountId: string;
  readonly runtime: RuntimeIdentity;
  readonly lastUpdateStatus: 'Successful' | 'InProgress';
}

/** A configuration as the API returns it (`FunctionConfiguration`). */
export function toFunctionConfiguration(config: FunctionConfig, context: ConfigurationContext): Record<string, unknown> {
  const loggingConfig: Record<string, unknown> = { LogFormat: config.logFormat, LogGroup: config.logGroup };
  if (config.applicationLogLevel !== undefined) loggingConfig.ApplicationLogLevel = config.applicationLogLevel;
  if (config.systemLogLevel !== undefined) loggingConfig.SystemLogLevel = config.systemLogLevel;
  const out: Record<string, unknown> = {
    FunctionName: config.functionName,
    FunctionArn: functionArn(context.region, context.accountId, config.functionName, config.version === LATEST ? undefined : config.version),
    Runtime: context.runtime.runtime,
    Role: `arn:aws:iam::${context.accountId}:role/lambda-meter-local`,
    Handler: config.handler.handler,
    CodeSize: config.codeSize,
    Description: config.description,
    Timeout: config.timeoutSeconds,
    MemorySize: config.memorySizeMB,
    LastModified: lambdaTimestamp(config.lastModifiedMs),
    CodeSha256: config.codeSha256,
    Version: config.version,
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: config.revisionId,
    State: 'Active',
    LastUpdateStatus: context.lastUpdateStatus,
    PackageType: 'Zip',
    Architectures: [config.architecture],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: { RuntimeVersionArn: context.runtime.runtimeVersionArn },
    LoggingConfig: loggingConfig,
  };
  if (Object.keys(config.environment).length > 0) out.Environment = { Variables: { ...config.environment } };
  return out;
}

/** True when two configurations would run the same way (what PublishVersion compares). */
export function sameCode(a: FunctionConfig, b: FunctionConfig): boolean {
  return (
    a.codeSha256 === b.codeSha256 &&
    a.architecture === b.architecture &&
    a.handler.handler === b.handler.handler &&
    a.memorySizeMB === b.memorySizeMB &&
    a.timeoutSeconds === b.timeoutSeconds &&
    a.logFormat === b.logFormat &&
    a.logGroup === b.logGroup &&
    a.applicationLogLevel === b.applicationLogLevel &&
    a.systemLogLevel === b.systemLogLevel &&
    JSON.stringify(Object.entries(a.environment).sort()) === JSON.stringify(Object.entries(b.environment).sort())
  );
}
