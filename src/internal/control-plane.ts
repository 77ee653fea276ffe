/**
 * The one Lambda control plane of the runs that change a function (`powerTune`, `measureColdStarts`): configuration
 * updates and the wait for `LastUpdateStatus`, versions, aliases, and the cleanup that removes them again. Every call
 * retries throttling (429), service faults (5xx) and update conflicts (409). Calls are sent without an abort signal,
 * so the outcome of each one is always known: an abort is noticed between calls, never in the middle of one.
 *
 * @module
 */
import { RetryExhaustedError, ServiceCallError } from '../errors.js';
import { sleep } from './abort.js';
import type { LambdaClientLike } from './clients.js';
import type { ProgressRetry } from './options.js';
import type { loadLambdaSdk } from './peer.js';
import { errorCode, isRetryable, withRetry } from './retry.js';
import type { RetryOptions } from './retry.js';

type LambdaSdk = Awaited<ReturnType<typeof loadLambdaSdk>>;

/** How long lambda-meter waits for `LastUpdateStatus` to leave `InProgress`, polling with doubling delays. */
export interface UpdateWaitOptions {
  /**
   * First delay between polls, ms.
   * @default 250 (powerTune), 25 (measureColdStarts)
   */
  readonly minDelayMs?: number;
  /**
   * Longest delay between polls, ms.
   * @default 5000 (powerTune), 1000 (measureColdStarts)
   */
  readonly maxDelayMs?: number;
  /**
   * Longest wait for one update, ms.
   * @default 300000
   */
  readonly maxWaitMs?: number;
}

/** The settings of `$LATEST` a run changes, and so restores; a setting left undefined is not sent. */
export interface FunctionSettings {
  readonly memorySizeMB?: number | undefined;
  readonly description?: string | undefined;
  /** Environment variables; only sent when the run changes them. */
  readonly environment?: Readonly<Record<string, string>> | undefined;
}

/** What the run learns about the function before changing anything. */
export interface FunctionSnapshot {
  readonly memorySizeMB: number;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  /** Set when Lambda cannot decrypt or read the environment: it then cannot be restored safely. */
  readonly environmentError: string | undefined;
  readonly functionArn: string;
  readonly architecture: string | undefined;
}

/** Where a function's code is, as GetFunction says (`Code`), with the configuration's code identity. */
export interface FunctionCode {
  /** `'S3'` for a .zip package (at `location`, a presigned URL), `'ECR'` for a container image (`imageUri`). */
  readonly repositoryType: string | undefined;
  readonly location: string | undefined;
  readonly imageUri: string | undefined;
  /** Base64 SHA-256 of the package (`CodeSha256`). */
  readonly codeSha256: string | undefined;
  readonly architecture: string | undefined;
}

/** The code to deploy with UpdateFunctionCode: the package's bytes or an image URI, and the architecture. */
export type CodeUpdate =
  | { readonly zipFile: Uint8Array; readonly architecture: string }
  | { readonly imageUri: string; readonly architecture: string };

/** Options of a {@link ControlPlane}. */
export interface ControlPlaneOptions {
  /** Retry of every call. */
  readonly retry: RetryOptions | undefined;
  /** The wait for `LastUpdateStatus`, defaults filled in. */
  readonly wait: Required<UpdateWaitOptions>;
  /** Told before each retry's wait, to report phase `'retrying'`. */
  readonly onRetry?: ((retry: ProgressRetry) => void) | undefined;
}

interface ConfigurationShape {
  readonly MemorySize?: unknown;
  readonly Description?: unknown;
  readonly Environment?: { readonly Variables?: unknown; readonly Error?: { readonly Message?: unknown } };
  readonly FunctionArn?: unknown;
  readonly Architectures?: unknown;
  readonly LastUpdateStatus?: unknown;
  readonly LastUpdateStatusReason?: unknown;
  readonly LastUpdateStatusReasonCode?: unknown;
  readonly State?: unknown;
  readonly StateReason?: unknown;
  readonly Version?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** True for errors a control-plane call retries: throttling, service faults, and 409 conflicts (update in progress). */
export function isControlPlaneRetryable(err: unknown): boolean {
  return isRetryable(err) || errorCode(err) === 'ResourceConflictException';
}

function isNotFound(err: unknown): boolean {
  const cause = ServiceCallError.is(err) ? err.code : errorCode(err);
  return cause === 'ResourceNotFoundException';
}

function isAliasExists(err: unknown): boolean {
  const e = err as { name?: unknown; message?: unknown } | null;
  return e?.name === 'ResourceConflictException' && typeof e.message === 'string' && /already exists/i.test(e.message);
}

/**
 * A function's control plane, with the run's retry settings.
 *
 * @example
 * ```ts
 * const cp = new ControlPlane(lambda, await loadLambdaSdk('powerTune'), 'resize', { retry: undefined, wait });
 * const before = await cp.snapshot(signal);
 * await cp.update({ memorySizeMB: 512 }, signal);
 * const version = await cp.publish('lambda-meter', signal);
 * await cp.deleteVersion(version, undefined);
 * await cp.update({ memorySizeMB: before.memorySizeMB }, undefined);
 * ```
 */
export class ControlPlane {
  private readonly retry: RetryOptions | undefined;
  private readonly wait: Required<UpdateWaitOptions>;
  private readonly onRetry: ((retry: ProgressRetry) => void) | undefined;

  constructor(
    private readonly client: LambdaClientLike,
    private readonly sdk: LambdaSdk,
    readonly functionName: string,
    options: ControlPlaneOptions,
  ) {
    this.retry = options.retry;
    this.wait = options.wait;
    this.onRetry = options.onRetry;
  }

  /** Sends one command with retries. `signal` stops retrying and waiting, never a call in flight. */
  async call<T>(
    operation: string,
    command: () => object,
    signal: AbortSignal | undefined,
    shouldRetry: (err: unknown) => boolean = isControlPlaneRetryable,
  ): Promise<T> {
    const onRetry = this.onRetry;
    return withRetry(`Lambda.${operation}`, async (_send, track) => (await this.client.send(track(command()))) as T, {
      retry: this.retry,
      signal,
      shouldRetry,
      ...(onRetry === undefined ? {} : { onRetry: (event) => onRetry({ ...event, operation }) }),
    });
  }

  async getConfiguration(signal: AbortSignal | undefined, qualifier?: string): Promise<ConfigurationShape> {
    return (
      (await this.call<ConfigurationShape | undefined>(
        'GetFunctionConfiguration',
        () => new this.sdk.GetFunctionConfigurationCommand({ FunctionName: this.functionName, Qualifier: qualifier }),
        signal,
      )) ?? {}
    );
  }

  /**
   * Polls GetFunctionConfiguration, with doubling delays, until `LastUpdateStatus` is no longer `InProgress`
   * (and, for a version, `State` no longer `Pending`). Throws when the update `Failed`, with its reason.
   */
  async waitUntilUpdated(signal: AbortSignal | undefined, qualifier?: string): Promise<ConfigurationShape> {
    const started = performance.now();
    let delay = this.wait.minDelayMs;
    for (let polls = 1; ; polls++) {
      const config = await this.getConfiguration(signal, qualifier);
      const status = str(config.LastUpdateStatus);
      if (status === 'Failed') {
        throw new ServiceCallError(
          'Lambda.UpdateFunctionConfiguration',
          str(config.LastUpdateStatusReasonCode) ?? 'UpdateFailed',
          `the update of ${this.functionName} failed: ${str(config.LastUpdateStatusReason) ?? 'no reason given'}`,
        );
      }
      if (str(config.State) === 'Failed') {
        throw new ServiceCallError('Lambda.PublishVersion', 'StateFailed', `${this.functionName}:${qualifier ?? '$LATEST'} failed: ${str(config.StateReason) ?? 'no reason given'}`);
      }
      if (status !== 'InProgress' && str(config.State) !== 'Pending') return config;
      if (performance.now() - started + delay > this.wait.maxWaitMs) {
        throw new RetryExhaustedError(`Lambda.waitUntilFunctionUpdated(${this.functionName})`, polls, {
          cause: new Error(`LastUpdateStatus still ${status ?? 'unknown'} after ${this.wait.maxWaitMs} ms`),
        });
      }
      await sleep(delay, signal, 'Waiting for the function update');
      delay = Math.min(this.wait.maxDelayMs, delay * 2);
    }
  }

  /** Reads the settings the run may change; waits out an update already in progress first. */
  async snapshot(signal: AbortSignal | undefined): Promise<FunctionSnapshot> {
    const config = await this.waitUntilUpdated(signal);
    const variables = config.Environment?.Variables;
    return {
      memorySizeMB: typeof config.MemorySize === 'number' ? config.MemorySize : 128,
      description: str(config.Description) ?? '',
      environment:
        typeof variables === 'object' && variables !== null ? { ...(variables as Record<string, string>) } : {},
      environmentError:
        config.Environment?.Error === undefined ? undefined : (str(config.Environment.Error.Message) ?? 'the environment cannot be read'),
      functionArn: str(config.FunctionArn) ?? this.functionName,
      architecture: Array.isArray(config.Architectures) ? str(config.Architectures[0]) : undefined,
    };
  }

  /** Updates `$LATEST` (only the settings given) and waits until the update is done. */
  async update(settings: FunctionSettings, signal: AbortSignal | undefined): Promise<void> {
    await this.call(
      'UpdateFunctionConfiguration',
      () =>
        new this.sdk.UpdateFunctionConfigurationCommand({
          FunctionName: this.functionName,
          ...(settings.memorySizeMB === undefined ? {} : { MemorySize: settings.memorySizeMB }),
          ...(settings.description === undefined ? {} : { Description: settings.description }),
          ...(settings.environment === undefined ? {} : { Environment: { Variables: { ...settings.environment } } }),
        }),
      signal,
    );
    await this.waitUntilUpdated(signal);
  }

  /** Where `$LATEST`'s code is (GetFunction). */
  async getCode(signal: AbortSignal | undefined): Promise<FunctionCode> {
    const out = await this.call<{ Code?: { RepositoryType?: unknown; Location?: unknown; ImageUri?: unknown }; Configuration?: ConfigurationShape & { CodeSha256?: unknown } }>(
      'GetFunction',
      () => new this.sdk.GetFunctionCommand({ FunctionName: this.functionName }),
      signal,
    );
    const arch = out.Configuration?.Architectures;
    return {
      repositoryType: str(out.Code?.RepositoryType),
      location: str(out.Code?.Location),
      imageUri: str(out.Code?.ImageUri),
      codeSha256: str(out.Configuration?.CodeSha256),
      architecture: Array.isArray(arch) ? str(arch[0]) : undefined,
    };
  }

  /** Deploys code to `$LATEST` with an architecture (UpdateFunctionCode) and waits until the update is done. */
  async updateCode(code: CodeUpdate, signal: AbortSignal | undefined): Promise<void> {
    await this.call(
      'UpdateFunctionCode',
      () =>
        new this.sdk.UpdateFunctionCodeCommand({
          FunctionName: this.functionName,
          Architectures: [code.architecture as 'x86_64' | 'arm64'],
          ...('zipFile' in code ? { ZipFile: code.zipFile } : { ImageUri: code.imageUri }),
        }),
      signal,
    );
    await this.waitUntilUpdated(signal);
  }

  /** Publishes `$LATEST` as a version; returns its number. */
  async publish(description: string, signal: AbortSignal | undefined): Promise<string> {
    const out = await this.call<ConfigurationShape | undefined>(
      'PublishVersion',
      () => new this.sdk.PublishVersionCommand({ FunctionName: this.functionName, Description: description }),
      signal,
    );
    const version = str(out?.Version);
    if (version === undefined) throw new ServiceCallError('Lambda.PublishVersion', 'NoVersion', 'the response names no version');
    if (str(out?.State) === 'Pending') await this.waitUntilUpdated(signal, version);
    return version;
  }

  /** Creates an alias; an alias of that name already pointing at `version` (a lost response) counts as created. */
  async createAlias(name: string, version: string, description: string, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.call(
        'CreateAlias',
        () => new this.sdk.CreateAliasCommand({ FunctionName: this.functionName, Name: name, FunctionVersion: version, Description: description }),
        signal,
        (err) => !isAliasExists(err) && isControlPlaneRetryable(err),
      );
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      if (!isAliasExists(cause)) throw err;
      const existing = await this.call<{ FunctionVersion?: unknown }>(
        'GetAlias',
        () => new this.sdk.GetAliasCommand({ FunctionName: this.functionName, Name: name }),
        signal,
      );
      if (existing.FunctionVersion !== version) throw err;
    }
  }

  /** Points an alias at `version`, creating it when missing. */
  async setAlias(name: string, version: string, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.call(
        'UpdateAlias',
        () => new this.sdk.UpdateAliasCommand({ FunctionName: this.functionName, Name: name, FunctionVersion: version }),
        signal,
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await this.createAlias(name, version, '', signal);
    }
  }

  /** Deletes an alias; false when it did not exist (already gone counts as deleted). */
  async deleteAlias(name: string, signal: AbortSignal | undefined): Promise<boolean> {
    try {
      await this.call('DeleteAlias', () => new this.sdk.DeleteAliasCommand({ FunctionName: this.functionName, Name: name }), signal);
      return true;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return false;
    }
  }

  /** Deletes a version; false when it did not exist (already gone counts as deleted). */
  async deleteVersion(version: string, signal: AbortSignal | undefined): Promise<boolean> {
    try {
      await this.call(
        'DeleteFunction',
        () => new this.sdk.DeleteFunctionCommand({ FunctionName: this.functionName, Qualifier: version }),
        signal,
      );
      return true;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return false;
    }
  }

  /** Every version (`$LATEST` included) with its description, following `NextMarker`. */
  async listVersions(signal: AbortSignal | undefined): Promise<{ version: string; description: string }[]> {
    const out: { version: string; description: string }[] = [];
    let marker: string | undefined;
    do {
      const page = await this.call<{ Versions?: ConfigurationShape[]; NextMarker?: unknown }>(
        'ListVersionsByFunction',
        () => new this.sdk.ListVersionsByFunctionCommand({ FunctionName: this.functionName, Marker: marker }),
        signal,
      );
      for (const v of page.Versions ?? []) {
        const version = str(v.Version);
        if (version !== undefined) out.push({ version, description: str(v.Description) ?? '' });
      }
      marker = str(page.NextMarker);
    } while (marker !== undefined);
    return out;
  }

  /** Every alias with its description, following `NextMarker`. */
  async listAliases(signal: AbortSignal | undefined): Promise<{ name: string; description: string; version: string }[]> {
    const out: { name: string; description: string; version: string }[] = [];
    let marker: string | undefined;
    do {
      const page = await this.call<{ Aliases?: { Name?: unknown; Description?: unknown; FunctionVersion?: unknown }[]; NextMarker?: unknown }>(
        'ListAliases',
        () => new this.sdk.ListAliasesCommand({ FunctionName: this.functionName, Marker: marker }),
        signal,
      );
      for (const a of page.Aliases ?? []) {
        const name = str(a.Name);
        if (name !== undefined) out.push({ name, description: str(a.Description) ?? '', version: str(a.FunctionVersion) ?? '' });
      }
      marker = str(page.NextMarker);
    } while (marker !== undefined);
    return out;
  }
}
