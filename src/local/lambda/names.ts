/**
 * Names, ARNs and identifiers of `local`'s Lambda: function names in all the forms the API accepts, qualifiers,
 * request ids, trace ids and the runtime version a Node.js environment reports.
 *
 * @module
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AwsServiceError } from '../http.js';

/** `$LATEST`, the unpublished version. */
export const LATEST = '$LATEST';

// Function names: 1-64 of a-z A-Z 0-9 - _ (CreateFunction reference, FunctionName).
const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
// Qualifiers: a version number, $LATEST or an alias name (Qualifier: (|[a-zA-Z0-9$_-]+), 1-128).
const QUALIFIER = /^[a-zA-Z0-9$_-]{1,128}$/;
// Alias names: letters, digits, - and _, not only digits (CreateAlias reference, Name).
const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/;
const VERSION_NUMBER = /^[0-9]{1,20}$/;
// arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
const FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/;
// <account>:function:<name>[:<qualifier>], the partial ARN form.
const PARTIAL_ARN = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/;

/** A function reference as the API received it, split into its parts. */
export interface FunctionReference {
  readonly name: string;
  /** The qualifier carried by the name (`fn:live`, an ARN's last part), if any. */
  readonly qualifier?: string;
  /** The Region of an ARN, if one was given. */
  readonly region?: string;
  /** The account of an ARN or partial ARN, if one was given. */
  readonly accountId?: string;
}

/** The message of a Lambda `ValidationException` for one field, in the service's words. */
export function validationMessage(value: unknown, field: string, constraint: string): string {
  return `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`;
}

/** A `ValidationException` (HTTP 400) for one field. */
export function validationError(value: unknown, field: string, constraint: string): AwsServiceError {
  return new AwsServiceError('ValidationException', validationMessage(value, field, constraint), 400);
}

/**
 * Splits a FunctionName path parameter (`name`, `name:qualifier`, a full ARN or a partial ARN). Throws
 * `ValidationException` for anything else.
 */
export function parseFunctionReference(value: string): FunctionReference {
  const arn = FUNCTION_ARN.exec(value);
  const partial = arn === null ? PARTIAL_ARN.exec(value) : null;
  let reference: FunctionReference;
  if (arn !== null) {
    reference = { name: arn[3] as string, qualifier: arn[4], region: arn[1], accountId: arn[2] };
  } else if (partial !== null) {
    reference = { name: partial[2] as string, qualifier: partial[3], accountId: partial[1] };
  } else {
    const colon = value.indexOf(':');
    reference = colon < 0 ? { name: value } : { name: value.slice(0, colon), qualifier: value.slice(colon + 1) };
  }
  if (!FUNCTION_NAME.test(reference.name) || (reference.qualifier !== undefined && !QUALIFIER.test(reference.qualifier))) {
    throw validationError(
      value,
      'functionName',
      'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
    );
  }
  return reference.qualifier === undefined ? { name: reference.name, region: reference.region, accountId: reference.accountId } : reference;
}

/** True for a function name Lambda accepts. */
export function isFunctionName(value: string): boolean {
  return FUNCTION_NAME.test(value);
}

/** True for an alias name Lambda accepts. */
export function isAliasName(value: string): boolean {
  return ALIAS_NAME.test(value);
}

/** True for a published version number. */
export function isVersionNumber(value: string): boolean {
  return VERSION_NUMBER.test(value);
}

/** True for a qualifier Lambda accepts (version, `$LATEST` or alias). */
export function isQualifier(value: string): boolean {
  return QUALIFIER.test(value);
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

/** A request id, as Lambda makes them (a UUID). */
export function newInvocationId(): string {
  return randomUUID();
}

/** 32 hex digits: the id part of a log stream name. */
export function newEnvironmentId(): string {
  return randomBytes(16).toString('hex');
}

/** An X-Ray trace header for one invocation: `Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=0`. */
export function newTraceHeader(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

/** What an environment reports as its runtime: the Node.js major version running it. */
export interface RuntimeIdentity {
  /** `nodejs20.x`, as GetFunctionConfiguration's `Runtime`. */
  readonly runtime: string;
  /** `AWS_Lambda_nodejs20.x`, as `AWS_EXECUTION_ENV`. */
  readonly executionEnv: string;
  /** `nodejs:20.v20`, as INIT_START's `Runtime Version`. */
  readonly runtimeVersion: string;
  /** `arn:aws:lambda:<region>::runtime:<64 hex>`, as INIT_START's `Runtime Version ARN`. */
  readonly runtimeVersionArn: string;
}

/**
 * The runtime identity of a Node.js version (default: the one running `local`). The version ARN is a hash of the
 * Node.js version, so it changes exactly when the runtime does, as Lambda's does.
 */
export function runtimeIdentity(region: string, nodeVersion: string = process.versions.node): RuntimeIdentity {
  const [major = '0', minor = '0'] = nodeVersion.split('.');
  const runtime = `nodejs${major}.x`;
  const hash = createHash('sha256').update(`lambda-meter-local/node/${nodeVersion}`).digest('hex');
  return {
    runtime,
    executionEnv: `AWS_Lambda_${runtime}`,
    runtimeVersion: `nodejs:${major}.v${minor}`,
    runtimeVersionArn: `arn:aws:lambda:${region}::runtime:${hash}`,
  };
}

/** Lambda's `LastModified` text: `2024-05-20T16:29:44.833+0000`. */
export function lambdaTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}
