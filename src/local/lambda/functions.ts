/**
 * The state of one function of `local`'s Lambda: its `$LATEST` configuration (with an update in progress), published
 * versions, aliases, reserved concurrency and event invoke configurations, and the rules Lambda applies to them.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../http.js';
import { sameCode } from './config.js';
import type { FunctionConfig } from './config.js';
import { functionArn, isVersionNumber, LATEST } from './names.js';

/** An alias: a name for a version, optionally sending a share of invocations to a second version. */
export interface AliasRecord {
  readonly name: string;
  readonly functionVersion: string;
  readonly description: string;
  /** Version → share of invocations (0-1), AdditionalVersionWeights. */
  readonly weights: Readonly<Record<string, number>>;
  readonly revisionId: string;
}

/** An event invoke configuration (retries and event age of asynchronous invocations). */
export interface EventInvokeConfig {
  readonly maximumRetryAttempts: number | undefined;
  readonly maximumEventAgeInSeconds: number | undefined;
  readonly destinationConfig: Readonly<Record<string, unknown>> | undefined;
  readonly lastModifiedMs: number;
}

/** The configuration an invocation runs and the version Lambda reports as executed. */
export interface ResolvedVersion {
  readonly config: FunctionConfig;
  readonly executedVersion: string;
}

/** `ResourceNotFoundException` with Lambda's `Function not found: <arn>` message. */
export function functionNotFound(arn: string): AwsServiceError {
  return new AwsServiceError('ResourceNotFoundException', `Function not found: ${arn}`, 404);
}

/** One function and everything published from it. */
export class LocalFunction {
  /** The configuration invocations of `$LATEST` run. */
  active: FunctionConfig;
  /** The configuration Get* return: the new one while an update is in progress. */
  shown: FunctionConfig;
  updateStatus: 'Successful' | 'InProgress' = 'Successful';
  updateTimer: NodeJS.Timeout | undefined;
  readonly versions = new Map<string, FunctionConfig>();
  private nextVersion = 1;
  readonly aliases = new Map<string, AliasRecord>();
  reservedConcurrency: number | undefined;
  readonly eventInvokeConfigs = new Map<string, EventInvokeConfig>();
  /** Invocations running now (synchronous and asynchronous). */
  inFlight = 0;

  constructor(
    config: FunctionConfig,
    reservedConcurrency: number | undefined,
    private readonly region: string,
    private readonly accountId: string,
  ) {
    this.active = config;
    this.shown = config;
    this.reservedConcurrency = reservedConcurrency;
  }

  get name(): string {
    return this.active.functionName;
  }

  /** The function's ARN, with a qualifier when given. */
  arn(qualifier?: string): string {
    return functionArn(this.region, this.accountId, this.name, qualifier);
  }

  /** 409 while an update is in progress, with Lambda's message. */
  checkNotUpdating(): void {
    if (this.updateStatus === 'InProgress') {
      throw new AwsServiceError(
        'ResourceConflictException',
        `The operation cannot be performed at this time. An update is in progress for resource: ${this.arn()}`,
        409,
      );
    }
  }

  /** 412 when a RevisionId was given and is not the current one. */
  checkRevision(revisionId: string | undefined, current: string): void {
    if (revisionId !== undefined && revisionId !== current) {
      throw new AwsServiceError(
        'PreconditionFailedException',
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
        412,
      );
    }
  }

  /** True when environments of `config` may still serve invocations. */
  isCurrent(config: FunctionConfig): boolean {
    return config.version === LATEST ? config === this.active : this.versions.get(config.version) === config;
  }

  /** The version a qualifier names (a version number, `$LATEST` or an alias); 404 when there is none. */
  resolve(qualifier: string | undefined, forInvoke: boolean, random: () => number = Math.random): ResolvedVersion {
    if (qualifier === undefined || qualifier === LATEST) return { config: forInvoke ? this.active : this.shown, executedVersion: LATEST };
    if (isVersionNumber(qualifier)) {
      const config = this.versions.get(qualifier);
      if (config === undefined) throw functionNotFound(this.arn(qualifier));
      return { config, executedVersion: qualifier };
    }
    const alias = this.aliases.get(qualifier);
    if (alias === undefined) throw functionNotFound(this.arn(qualifier));
    let version = alias.functionVersion;
    if (forInvoke) {
      let r = random();
      for (const [candidate, weight] of Object.entries(alias.weights)) {
        if (r < weight) {
          version = candidate;
          break;
        }
        r -= weight;
      }
    }
    return this.resolve(version, forInvoke, random);
  }

  /** Starts an update: `shown` becomes `next` now, `active` when `complete` is called. */
  beginUpdate(next: FunctionConfig): void {
    this.checkNotUpdating();
    this.shown = next;
    this.updateStatus = 'InProgress';
  }

  /** Ends an update: invocations now run the new configuration. */
  completeUpdate(): void {
    this.active = this.shown;
    this.updateStatus = 'Successful';
    this.updateTimer = undefined;
  }

  /**
   * Publishes `$LATEST` as a new version, or returns the newest version when nothing changed since it was published
   * (Lambda does not publish a version of unchanged code and configuration).
   */
  publish(description: string | undefined, nowMs: number): FunctionConfig {
    this.checkNotUpdating();
    const numbers = [...this.versions.keys()].map(Number);
    const newest = numbers.length === 0 ? undefined : this.versions.get(String(Math.max(...numbers)));
    if (newest !== undefined && sameCode(newest, this.active)) return newest;
    const version = String(this.nextVersion++);
    const config: FunctionConfig = {
      ...this.active,
      version,
      description: description ?? this.active.description,
      revisionId: randomUUID(),
      lastModifiedMs: nowMs,
    };
    this.versions.set(version, config);
    return config;
  }

  /** `$LATEST` then every version in number order, as ListVersionsByFunction lists them. */
  allVersions(): FunctionConfig[] {
    const published = [...this.versions.values()].sort((a, b) => Number(a.version) - Number(b.version));
    return [this.shown, ...published];
  }

  /** Deletes a published version; 400 for `$LATEST` or an alias, 404 when missing, 409 when an alias uses it. */
  deleteVersion(qualifier: string): FunctionConfig {
    if (qualifier === LATEST) {
      throw new AwsServiceError('InvalidParameterValueException', '$LATEST version cannot be deleted without deleting the function.', 400);
    }
    if (!isVersionNumber(qualifier)) {
      throw new AwsServiceError('InvalidParameterValueException', `Deletion of aliases is not supported with DeleteFunction: ${qualifier}. Use DeleteAlias.`, 400);
    }
    const config = this.versions.get(qualifier);
    if (config === undefined) throw functionNotFound(this.arn(qualifier));
    const users = [...this.aliases.values()].filter((a) => a.functionVersion === qualifier || qualifier in a.weights).map((a) => a.name);
    if (users.length > 0) {
      throw new AwsServiceError('ResourceConflictException', `Unable to delete version because the following aliases reference it: [${users.join(', ')}]`, 409);
    }
    this.versions.delete(qualifier);
    return config;
  }

  /** Checks that an alias may point at `version` with `weights`; throws Lambda's errors. */
  checkAliasTarget(version: string, weights: Readonly<Record<string, number>>): void {
    if (version !== LATEST && !this.versions.has(version)) throw functionNotFound(this.arn(version));
    const entries = Object.entries(weights);
    if (entries.length > 1) {
      throw new AwsServiceError('InvalidParameterValueException', 'Number of items in AdditionalVersionWeights cannot be greater than 1', 400);
    }
    for (const [extra, weight] of entries) {
      if (!isVersionNumber(extra) || !this.versions.has(extra)) throw functionNotFound(this.arn(extra));
      if (extra === version) {
        throw new AwsServiceError('InvalidParameterValueException', 'Invalid function version in AdditionalVersionWeights: it is the alias\'s primary version.', 400);
      }
      if (!(weight >= 0 && weight <= 1)) {
        throw new AwsServiceError('ValidationException', `1 validation error detected: Value '${weight}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Member must have value between 0.0 and 1.0`, 400);
      }
    }
    if (entries.length > 0 && version === LATEST) {
      throw new AwsServiceError('InvalidParameterValueException', '$LATEST is not supported for an alias pointing to more than 1 version', 400);
    }
  }
}
