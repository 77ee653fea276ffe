/**
 * Fault plans for `local`: which API calls fail, and how, and what happens to log delivery — by probability (with a
 * seeded generator, so a run can be repeated) or by schedule (the Nth matching call). A plan compiles to the hooks
 * that the Lambda, CloudWatch Logs and CloudWatch services call before each API call, and to the log store's
 * ingestion-delay and drop hooks.
 *
 * @module
 */
import { mulberry32 } from '../internal/random.js';
import { InvalidInputError } from '../errors.js';
import type { LambdaFault, LambdaFaultHook, LocalFault, LocalFaultHook } from './http.js';

/** The services a fault rule can target. */
export type LocalServiceName = 'lambda' | 'logs' | 'metrics';

/** What an injected fault does to a call. */
export type FaultEffect =
  /** The service's throttling error: Lambda 429 `TooManyRequestsException`, Logs `ThrottlingException`, CloudWatch `Throttling`. */
  | 'throttle'
  /** The service's internal error: Lambda 500 `ServiceException`, Logs `ServiceUnavailableException`, CloudWatch `InternalServiceError`. */
  | 'serverError'
  /** Lambda only: 409 `ResourceConflictException` ("An update is in progress for resource: …"). */
  | 'conflict'
  /** A slow answer: the call waits `delayMs` (real milliseconds) and then runs normally. */
  | { readonly delayMs: number };

/** One rule of a {@link FaultPlan}. */
export interface FaultRule {
  /**
   * The service whose calls the rule applies to.
   * @default every service
   */
  readonly service?: LocalServiceName;
  /**
   * API operation names the rule applies to, e.g. `['Invoke']`, `['UpdateFunctionConfiguration', 'PublishVersion']`,
   * `['GetQueryResults']`.
   * @default every operation
   */
  readonly operations?: readonly string[];
  /** Lambda only: the function the call must name. @default any function */
  readonly functionName?: string;
  /** What the fault does. */
  readonly fault: FaultEffect;
  /**
   * The chance, from 0 to 1, that a matching call gets the fault (ignored when `calls` is given).
   * @default 1
   */
  readonly probability?: number;
  /** A schedule instead of a probability: the 1-based numbers of the matching calls that get the fault. */
  readonly calls?: readonly number[];
  /**
   * The most times this rule fires.
   * @default no limit
   */
  readonly maxTimes?: number;
}

/** What happens to the log events functions write. */
export interface LogIngestionFaults {
  /**
   * How long after it is written an event becomes visible to reads and queries, in the service's time (divided by
   * `timeScale`): a fixed delay, or a uniformly random one between `min` and `max`.
   * @default 0
   */
  readonly delayMs?: number | { readonly min: number; readonly max: number };
  /**
   * The chance, from 0 to 1, that an event is lost and never becomes visible.
   * @default 0
   */
  readonly dropProbability?: number;
}

/** The faults `local` injects. */
export interface FaultPlan {
  /** Rules tried in order for each call; the first that fires decides the call's fault. */
  readonly rules?: readonly FaultRule[];
  /** Delayed or dropped log delivery. */
  readonly logIngestion?: LogIngestionFaults;
  /**
   * Seed of the generator behind probabilities, so a run can be repeated.
   * @default a random seed
   */
  readonly seed?: number;
}

/** One injected fault, as `LocalLambda.injectedFaults()` lists it. */
export interface InjectedFault {
  readonly service: LocalServiceName;
  readonly operation: string;
  readonly functionName?: string;
  /** The index of the rule in `plan.rules`, or `'logIngestion'` for a dropped log event. */
  readonly rule: number | 'logIngestion';
  readonly fault: FaultEffect | 'drop';
  /** Epoch milliseconds. */
  readonly at: number;
}

interface CompiledRule {
  readonly rule: FaultRule;
  readonly index: number;
  matched: number;
  fired: number;
}

function checkProbability(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidInputError(field, `must be a number from 0 to 1, got ${String(value)}`);
  }
  return value;
}

function checkDelay(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidInputError(field, `must be a finite number of milliseconds >= 0, got ${String(value)}`);
  }
}

/**
 * Checks a fault plan and throws InvalidInputError naming the first bad field.
 *
 * @example
 * ```ts
 * validateFaultPlan({ rules: [{ service: 'lambda', operations: ['Invoke'], fault: 'throttle', probability: 0.2 }] });
 * ```
 */
export function validateFaultPlan(plan: FaultPlan, field = 'faults'): FaultPlan {
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan)) throw new InvalidInputError(field, 'must be an object { rules?, logIngestion?, seed? }');
  if (plan.seed !== undefined && (typeof plan.seed !== 'number' || !Number.isInteger(plan.seed))) {
    throw new InvalidInputError(`${field}.seed`, `must be an integer, got ${String(plan.seed)}`);
  }
  if (plan.rules !== undefined && !Array.isArray(plan.rules)) throw new InvalidInputError(`${field}.rules`, 'must be an array of rules');
  (plan.rules ?? []).forEach((rule: FaultRule, i) => {
    const at = `${field}.rules[${i}]`;
    if (typeof rule !== 'object' || rule === null) throw new InvalidInputError(at, 'must be an object');
    if (rule.service !== undefined && !['lambda', 'logs', 'metrics'].includes(rule.service)) {
      throw new InvalidInputError(`${at}.service`, `must be 'lambda', 'logs' or 'metrics', got ${JSON.stringify(rule.service)}`);
    }
    if (rule.operations !== undefined && (!Array.isArray(rule.operations) || rule.operations.some((o) => typeof o !== 'string' || o === ''))) {
      throw new InvalidInputError(`${at}.operations`, 'must be an array of operation names such as "Invoke"');
    }
    if (rule.functionName !== undefined && (typeof rule.functionName !== 'string' || rule.service !== 'lambda')) {
      throw new InvalidInputError(`${at}.functionName`, "must be a string, on a rule with service: 'lambda'");
    }
    const fault = rule.fault as unknown;
    if (typeof fault === 'object' && fault !== null) checkDelay((fault as { delayMs?: unknown }).delayMs, `${at}.fault.delayMs`);
    else if (fault === 'conflict') {
      if (rule.service !== 'lambda') throw new InvalidInputError(`${at}.fault`, "'conflict' is a Lambda fault: set service: 'lambda'");
    } else if (fault !== 'throttle' && fault !== 'serverError') {
      throw new InvalidInputError(`${at}.fault`, `must be 'throttle', 'serverError', 'conflict' or { delayMs }, got ${JSON.stringify(fault)}`);
    }
    checkProbability(rule.probability, `${at}.probability`);
    if (rule.calls !== undefined && (!Array.isArray(rule.calls) || rule.calls.some((n) => !Number.isInteger(n) || n < 1))) {
      throw new InvalidInputError(`${at}.calls`, 'must be an array of whole numbers >= 1 (the 1-based matching calls)');
    }
    if (rule.maxTimes !== undefined && (!Number.isInteger(rule.maxTimes) || rule.maxTimes < 0)) {
      throw new InvalidInputError(`${at}.maxTimes`, `must be a whole number >= 0, got ${String(rule.maxTimes)}`);
    }
  });
  const ingestion = plan.logIngestion;
  if (ingestion !== undefined) {
    if (typeof ingestion !== 'object' || ingestion === null) throw new InvalidInputError(`${field}.logIngestion`, 'must be an object { delayMs?, dropProbability? }');
    const d = ingestion.delayMs as unknown;
    if (typeof d === 'object' && d !== null) {
      const { min, max } = d as { min?: unknown; max?: unknown };
      checkDelay(min, `${field}.logIngestion.delayMs.min`);
      checkDelay(max, `${field}.logIngestion.delayMs.max`);
      if ((max as number) < (min as number)) throw new InvalidInputError(`${field}.logIngestion.delayMs`, 'max must not be below min');
    } else if (d !== undefined) checkDelay(d, `${field}.logIngestion.delayMs`);
    checkProbability(ingestion.dropProbability, `${field}.logIngestion.dropProbability`);
  }
  return plan;
}

/**
 * Applies a {@link FaultPlan}: hands each service its fault hook, and the log store its ingestion hooks; the plan can
 * be replaced while `local` runs, and every fault injected is recorded.
 *
 * @example
 * ```ts
 * const injector = new FaultInjector({ rules: [{ service: 'lambda', operations: ['Invoke'], fault: 'throttle', calls: [2] }] });
 * injector.lambdaHook('Invoke', 'resize'); // undefined
 * injector.lambdaHook('Invoke', 'resize'); // 'throttle'
 * ```
 */
export class FaultInjector {
  private rules: CompiledRule[] = [];
  private plan: FaultPlan = {};
  private random: () => number = Math.random;
  private readonly log: InjectedFault[] = [];

  /**
   * @param plan The faults to inject.
   * @param timeScale Divides the log ingestion delays, which are the service's own waits.
   */
  constructor(
    plan: FaultPlan = {},
    private readonly timeScale = 1,
  ) {
    this.setPlan(plan);
  }

  /**
   * Replaces the plan (counts of matching calls start again from zero).
   *
   * @example
   * ```ts
   * injector.setPlan({}); // no more faults
   * ```
   */
  setPlan(plan: FaultPlan): void {
    validateFaultPlan(plan);
    this.plan = plan;
    this.rules = (plan.rules ?? []).map((rule, index) => ({ rule, index, matched: 0, fired: 0 }));
    this.random = mulberry32(plan.seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  /**
   * Every fault injected so far, oldest first.
   *
   * @example
   * ```ts
   * injector.injected().filter((f) => f.fault === 'throttle').length;
   * ```
   */
  injected(): InjectedFault[] {
    return [...this.log];
  }

  /** The hook of the Lambda service. */
  readonly lambdaHook: LambdaFaultHook = (operation, functionName) => this.decide('lambda', operation, functionName) as LambdaFault | undefined;

  /** The hook of the CloudWatch Logs service. */
  readonly logsHook: LocalFaultHook = (operation) => this.decide('logs', operation, undefined) as LocalFault | undefined;

  /** The hook of the CloudWatch metrics service. */
  readonly metricsHook: LocalFaultHook = (operation) => this.decide('metrics', operation, undefined) as LocalFault | undefined;

  /** The log store's ingestion delay for one event, in real milliseconds. */
  readonly ingestionDelayMs = (): number => {
    const d = this.plan.logIngestion?.delayMs;
    if (d === undefined) return 0;
    const ms = typeof d === 'number' ? d : d.min + this.random() * (d.max - d.min);
    return ms / this.timeScale;
  };

  /** The log store's drop decision for one event. */
  readonly shouldDropLogEvent = (logGroup: string): boolean => {
    const p = this.plan.logIngestion?.dropProbability ?? 0;
    if (p <= 0 || this.random() >= p) return false;
    this.log.push({ service: 'logs', operation: 'PutLogEvents', functionName: logGroup.replace(/^\/aws\/lambda\//, ''), rule: 'logIngestion', fault: 'drop', at: Date.now() });
    return true;
  };

  private decide(service: LocalServiceName, operation: string, functionName: string | undefined): FaultEffect | undefined {
    // Every matching rule counts the call (so `calls: [2]` is the second call the rule matches, whatever earlier
    // rules did with the first); the first rule that fires decides.
    let chosen: CompiledRule | undefined;
    for (const compiled of this.rules) {
      const { rule } = compiled;
      if (rule.service !== undefined && rule.service !== service) continue;
      if (rule.operations !== undefined && !rule.operations.includes(operation)) continue;
      if (rule.functionName !== undefined && rule.functionName !== functionName) continue;
      compiled.matched++;
      if (chosen !== undefined || (rule.maxTimes !== undefined && compiled.fired >= rule.maxTimes)) continue;
      if (rule.calls !== undefined ? rule.calls.includes(compiled.matched) : this.random() < (rule.probability ?? 1)) chosen = compiled;
    }
    if (chosen === undefined) return undefined;
    chosen.fired++;
    const { fault } = chosen.rule;
    this.log.push({ service, operation, ...(functionName === undefined ? {} : { functionName }), rule: chosen.index, fault, at: Date.now() });
    return fault;
  }
}
