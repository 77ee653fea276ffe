/**
 * Pricing of invocations, REPORT records, months of traffic, Provisioned Concurrency and SnapStart.
 *
 * All arithmetic is exact (see `decimal.ts`): GB-seconds are `MB × ms / (1024 × 1000)` (AWS's pricing examples use
 * MB/1024, e.g. 512 MB = 0.5 GB [PRICE]), and prices are exact decimals. Only the displayed `…USD` numbers are
 * rounded, to the nearest JS number; the `…Exact` strings keep every digit.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import type { ReportRecord } from '../report/types.js';
import { breakdownFields, remember } from './breakdown.js';
import type { Parts } from './breakdown.js';
import { Dec } from './decimal.js';
import { describe } from '../internal/validate.js';
import {
  ARCHITECTURES,
  missingPrice,
  resolvePrices,
  resolveRegion,
} from './prices.js';
import type { CompiledRegion, CompiledTable } from './prices.js';
import type {
  Architecture,
  InvocationCost,
  MonthlyCost,
  PriceTable,
  ProvisionedConcurrencyCost,
  SnapStartCost,
  TierCharge,
} from './types.js';

// [PRICE] memory 128–10,240 MB in 1 MB steps; ephemeral storage 512–10,240 MB, the first 512 MB free.
const MIN_MEMORY_MB = 128;
const MAX_MEMORY_MB = 10_240;
const FREE_STORAGE_MB = 512;
// [PRICE] Provisioned Concurrency time is rounded up to the nearest 5 minutes.
const PC_ROUNDING_SECONDS = 300n;
// [PRICE] SnapStart cache: minimum 3 hours per version, then per ms.
const SNAPSTART_MIN_CACHE_MS = 10_800_000n;

// ---------------------------------------------------------------------------------------------------------------
// Input checks

function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(field, `must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function memoryMB(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_MEMORY_MB || value > MAX_MEMORY_MB) {
    throw new InvalidInputError(field, `must be an integer from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} (MB), got ${describe(value)}`);
  }
  return value;
}

function storageMB(value: unknown, field: string): number {
  if (value === undefined) return FREE_STORAGE_MB;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < FREE_STORAGE_MB || value > MAX_MEMORY_MB) {
    throw new InvalidInputError(field, `must be an integer from ${FREE_STORAGE_MB} to ${MAX_MEMORY_MB} (MB), got ${describe(value)}`);
  }
  return value;
}

function architecture(value: unknown, field: string): Architecture {
  if (value === undefined) return 'x86_64';
  if (!(ARCHITECTURES as readonly unknown[]).includes(value)) {
    throw new InvalidInputError(field, `must be 'x86_64' or 'arm64', got ${describe(value)}`);
  }
  return value as Architecture;
}

function nonNegativeInteger(value: unknown, field: string): bigint {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(field, `must be a non-negative integer, got ${describe(value)}`);
  }
  return BigInt(value);
}

/** An asynchronous event's first 256 KB are billed as one request [PRICE]. */
const ASYNC_BASE_BYTES = 262_144;
/** Each further 64 KB of an asynchronous event, or part of it, is billed as one more request [PRICE]. */
const ASYNC_CHUNK_BYTES = 65_536;
/** The largest asynchronous event, 1 MB since October 2025 [1MB]. */
const MAX_ASYNC_EVENT_BYTES = 1_048_576;

/** The requests one asynchronous event of `value` bytes is billed as, checked under `field`; 1 when `value` is undefined. */
export function asyncRequestCount(value: unknown, field: string): bigint {
  if (value === undefined) return 1n;
  const bytes = nonNegativeInteger(value, field);
  if (bytes > BigInt(MAX_ASYNC_EVENT_BYTES)) {
    throw new InvalidInputError(field, `must be at most ${MAX_ASYNC_EVENT_BYTES} bytes (1 MB, the largest asynchronous event), got ${bytes}`);
  }
  const beyond = bytes - BigInt(ASYNC_BASE_BYTES);
  return beyond <= 0n ? 1n : 1n + (beyond + BigInt(ASYNC_CHUNK_BYTES) - 1n) / BigInt(ASYNC_CHUNK_BYTES);
}

/** A non-negative finite number, or an exact decimal string where the input allows one. */
function nonNegativeDecimal(value: unknown, field: string, allowString: boolean): Dec {
  let dec: Dec | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) dec = Dec.fromNumber(value);
  else if (allowString && typeof value === 'string') dec = Dec.parse(value);
  if (dec === undefined || dec.isNegative()) {
    const what = allowString ? 'a non-negative finite number or decimal string' : 'a non-negative finite number';
    throw new InvalidInputError(field, `must be ${what}, got ${describe(value)}`);
  }
  return dec;
}

/** Exactly one of two alternative inputs. */
function exactlyOne(input: Record<string, unknown>, a: string, b: string, field: string): 'a' | 'b' {
  const hasA = input[a] !== undefined;
  const hasB = input[b] !== undefined;
  if (hasA === hasB) {
    throw new InvalidInputError(`${field}.${hasA ? b : a}`, `give exactly one of ${a} and ${b}, ${hasA ? 'not both' : 'got neither'}`);
  }
  return hasA ? 'a' : 'b';
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pricing steps

/** GB-seconds of `mb` MB for `ms` milliseconds: MB × ms / 1,024,000 (exact). */
function gbSecondsOf(ms: Dec, mb: number | bigint): Dec {
  return ms.mulInt(BigInt(mb)).div1024().shift(3);
}

function requestPrice(table: CompiledTable, region: CompiledRegion, field: string): Dec {
  return region.requestPrice ?? missingPrice(table, region, 'request', field);
}

function durationTiers(table: CompiledTable, region: CompiledRegion, arch: Architecture, field: string) {
  return region.duration[arch] ?? missingPrice(table, region, `${arch} duration`, field);
}

function storageCharge(table: CompiledTable, region: CompiledRegion, mb: number, ms: Dec, field: string): { gbSeconds: Dec; usd: Dec } {
  if (mb <= FREE_STORAGE_MB) return { gbSeconds: Dec.ZERO, usd: Dec.ZERO };
  const price = region.storagePrice ?? missingPrice(table, region, 'ephemeral storage', field);
  const gbSeconds = gbSecondsOf(ms, mb - FREE_STORAGE_MB);
  return { gbSeconds, usd: gbSeconds.mul(price) };
}

function priceOneInvocation(
  table: CompiledTable,
  region: CompiledRegion,
  arch: Architecture,
  memory: number,
  billedMs: Dec,
  storage: number,
  requests: bigint,
  field: string,
): { parts: Parts; price: Dec } {
  // A single invocation is priced at the first tier; monthlyCost applies the tiers to a month's total.
  const tier = durationTiers(table, region, arch, `${field}.region`)[0] as { price: Dec };
  const gbSeconds = gbSecondsOf(billedMs, memory);
  const parts: Parts = {
    gbSeconds,
    requests,
    compute: gbSeconds.mul(tier.price),
    request: requestPrice(table, region, `${field}.region`).mulInt(requests),
    storage: storageCharge(table, region, storage, billedMs, `${field}.region`).usd,
  };
  return { parts, price: tier.price };
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/**
 * How many requests an asynchronous invocation is billed as: one for an event of up to 256 KB, and one more for
 * each further 64 KB or part of it, up to 13 for the largest event, 1 MB [PRICE]. Sizes are in bytes (KB = 1,024).
 *
 * @throws InvalidInputError when `payloadBytes` is not an integer from 0 to 1,048,576.
 *
 * @example
 * ```ts
 * asyncBilledRequests(200 * 1024); // 1
 * asyncBilledRequests(300 * 1024); // 2
 * asyncBilledRequests(1024 * 1024); // 13
 * ```
 */
export function asyncBilledRequests(payloadBytes: number): number {
  return Number(asyncRequestCount(payloadBytes, 'payloadBytes'));
}

/** What {@link invocationCost} prices. Give exactly one of `billedDurationMs` and `durationMs`. */
export interface InvocationCostInput {
  /** Configured memory, MB (integer, 128–10,240). */
  readonly memorySizeMB: number;
  /** Billed Duration as Lambda reports it, ms (a non-negative integer). Used as is. */
  readonly billedDurationMs?: number;
  /** Measured duration, ms; rounded up to `billingGranularityMs` to get the billed duration. */
  readonly durationMs?: number;
  /**
   * Instruction set architecture.
   * @default 'x86_64'
   */
  readonly architecture?: Architecture;
  /**
   * AWS Region code.
   * @default the table's `defaultRegion` ('us-east-1' in DEFAULT_PRICES)
   */
  readonly region?: string;
  /**
   * Configured ephemeral storage, MB (integer, 512–10,240); the part above 512 MB is charged.
   * @default 512
   */
  readonly ephemeralStorageMB?: number;
  /**
   * Granularity `durationMs` is rounded up to: 1 ms since 2020-12-01, 100 ms for earlier bills.
   * @default the table's `billingGranularityMs` (1 in DEFAULT_PRICES)
   */
  readonly billingGranularityMs?: 1 | 100;
  /**
   * For an asynchronous invocation, the size of its event in bytes: beyond 256 KB each further 64 KB is billed as
   * one more request (see {@link asyncBilledRequests}).
   * @default one request
   */
  readonly asyncPayloadBytes?: number;
}

/**
 * The exact cost of one on-demand invocation: duration (at the first monthly tier's price), one request, and
 * ephemeral storage above 512 MB. Give `billedDurationMs` as Lambda reports it, or `durationMs` to have it rounded
 * up to the billing granularity.
 *
 * @param input - memory, duration and optional architecture, Region, storage and granularity.
 * @param options - `prices`: the price table. @default { prices: DEFAULT_PRICES }
 * @throws InvalidInputError naming the field for bad input or a price the table lacks.
 *
 * @example
 * ```ts
 * const c = invocationCost({ memorySizeMB: 128, billedDurationMs: 1 });
 * console.log(c.computeUSDExact); // '0.0000000020833375'
 * ```
 */
export function invocationCost(input: InvocationCostInput, options: CostOptions = {}): InvocationCost {
  const field = 'input';
  const record = requireObject(input, field);
  const table = resolvePrices(requireObject(options, 'options').prices as PriceTable | undefined, 'options.prices');
  const memory = memoryMB(record.memorySizeMB, `${field}.memorySizeMB`);
  const arch = architecture(record.architecture, `${field}.architecture`);
  const storage = storageMB(record.ephemeralStorageMB, `${field}.ephemeralStorageMB`);
  const region = resolveRegion(table, record.region, `${field}.region`);
  let billedMs: Dec;
  if (exactlyOne(record, 'billedDurationMs', 'durationMs', field) === 'a') {
    billedMs = Dec.of(nonNegativeInteger(record.billedDurationMs, `${field}.billedDurationMs`));
  } else {
    const granularity = record.billingGranularityMs ?? table.granularityMs;
    if (granularity !== 1 && granularity !== 100) {
      throw new InvalidInputError(`${field}.billingGranularityMs`, `must be 1 or 100, got ${describe(granularity)}`);
    }
    billedMs = nonNegativeDecimal(record.durationMs, `${field}.durationMs`, false).ceilToMultiple(BigInt(granularity));
  }
  const requests = asyncRequestCount(record.asyncPayloadBytes, `${field}.asyncPayloadBytes`);
  const { parts, price } = priceOneInvocation(table, region, arch, memory, billedMs, storage, requests, field);
  return remember(
    Object.assign(breakdownFields(parts), {
      billedDurationMs: billedMs.toNumber(),
      memorySizeMB: memory,
      architecture: arch,
      region: region.name,
      pricesAsOf: table.asOf,
      pricePerGBSecond: price.toString(),
    }),
    parts,
  );
}

/**
 * Options of the cost functions: the price table. Every cost function takes it the same way, as `options.prices`.
 */
export interface CostOptions {
  /**
   * The price table.
   * @default DEFAULT_PRICES
   */
  readonly prices?: PriceTable;
}

/** Options of {@link reportCost}: the price table and what a REPORT does not say. */
export interface ReportCostOptions extends CostOptions {
  /**
   * Instruction set architecture (a REPORT does not say).
   * @default 'x86_64'
   */
  readonly architecture?: Architecture;
  /**
   * AWS Region code.
   * @default the table's `defaultRegion` ('us-east-1' in DEFAULT_PRICES)
   */
  readonly region?: string;
  /**
   * Configured ephemeral storage, MB (a REPORT does not say).
   * @default 512
   */
  readonly ephemeralStorageMB?: number;
  /**
   * For an asynchronous invocation, the size of its event in bytes (a REPORT does not say): beyond 256 KB each
   * further 64 KB is billed as one more request.
   * @default one request
   */
  readonly asyncPayloadBytes?: number;
}

/**
 * The exact cost of the invocation a REPORT describes, from its Billed Duration and Memory Size.
 *
 * Billed Duration is used as Lambda reports it and nothing is added: since 2025-08-01 it already includes billed
 * INIT time for on-demand functions (earlier, only for custom runtimes, container images and Provisioned
 * Concurrency) [INITBILL], and a real SnapStart REPORT shows it already includes Billed Restore Duration
 * (ceil(2338.66) + 182 = 2521) [DOCWHO], so Init and Restore durations are not added again.
 *
 * @example
 * ```ts
 * const record = parseReportLine(line)!;
 * console.log(reportCost(record, { architecture: 'arm64', region: 'eu-west-1' }).totalUSD);
 * ```
 */
export function reportCost(report: ReportRecord, options: ReportCostOptions = {}): InvocationCost {
  const record = requireObject(report, 'report');
  const opts = requireObject(options, 'options');
  const table = resolvePrices(opts.prices as PriceTable | undefined, 'options.prices');
  const memory = memoryMB(record.memorySizeMB, 'report.memorySizeMB');
  const billedMs = Dec.of(nonNegativeInteger(record.billedDurationMs, 'report.billedDurationMs'));
  const arch = architecture(opts.architecture, 'options.architecture');
  const storage = storageMB(opts.ephemeralStorageMB, 'options.ephemeralStorageMB');
  const region = resolveRegion(table, opts.region, 'options.region');
  const requests = asyncRequestCount(opts.asyncPayloadBytes, 'options.asyncPayloadBytes');
  const { parts, price } = priceOneInvocation(table, region, arch, memory, billedMs, storage, requests, 'options');
  return remember(
    Object.assign(breakdownFields(parts), {
      billedDurationMs: billedMs.toNumber(),
      memorySizeMB: memory,
      architecture: arch,
      region: region.name,
      pricesAsOf: table.asOf,
      pricePerGBSecond: price.toString(),
    }),
    parts,
  );
}

/** What {@link monthlyCost} prices. Give exactly one of `averageBilledDurationMs` and `gbSeconds`. */
export interface MonthlyCostInput {
  /** Invocations (requests) in the month, a non-negative integer. */
  readonly invocations: number;
  /** Average Billed Duration per invocation, ms (number, or exact decimal string). */
  readonly averageBilledDurationMs?: number | string;
  /** Total billed GB-seconds of the month (number, or exact decimal string such as a `gbSecondsExact`). */
  readonly gbSeconds?: number | string;
  /** Configured memory, MB (integer, 128–10,240). */
  readonly memorySizeMB: number;
  /**
   * Instruction set architecture; tiers count GB-seconds per architecture.
   * @default 'x86_64'
   */
  readonly architecture?: Architecture;
  /**
   * AWS Region code.
   * @default the table's `defaultRegion` ('us-east-1' in DEFAULT_PRICES)
   */
  readonly region?: string;
  /**
   * Configured ephemeral storage, MB; above 512 MB needs `averageBilledDurationMs` (the seconds to charge it for).
   * @default 512
   */
  readonly ephemeralStorageMB?: number;
  /**
   * Subtract the monthly free tier (400,000 GB-s and 1 M requests in DEFAULT_PRICES) before the tiers. Off by
   * default because the free tier is shared by every function of the account.
   * @default false
   */
  readonly freeTier?: boolean;
  /**
   * For asynchronous invocations, the size of each one's event in bytes: beyond 256 KB each further 64 KB is billed
   * as one more request (see {@link asyncBilledRequests}), so requests = invocations × that count. For events of
   * different sizes, price each size's invocations separately or pass their total requests' worth of invocations.
   * @default one request per invocation
   */
  readonly asyncPayloadBytes?: number;
}

/**
 * The exact cost of a month of on-demand traffic. With `freeTier: true` the free GB-seconds and requests are
 * subtracted first; the remaining GB-seconds are then charged through the monthly tiers of the architecture,
 * counted from zero (tiers apply to the account's total per architecture and Region [TIER], so pass the total
 * traffic to get the account's bill). Ephemeral storage above 512 MB is charged on (storage − 512)/1024 GB × seconds,
 * without free tier.
 *
 * @example
 * ```ts
 * const m = monthlyCost({ invocations: 3_000_000, averageBilledDurationMs: 1000, memorySizeMB: 512, freeTier: true });
 * console.log(m.billableGBSeconds, m.totalUSDExact); // 1100000 '18.73337'
 * ```
 */
export function monthlyCost(input: MonthlyCostInput, options: CostOptions = {}): MonthlyCost {
  const field = 'input';
  const record = requireObject(input, field);
  const table = resolvePrices(requireObject(options, 'options').prices as PriceTable | undefined, 'options.prices');
  const invocations = nonNegativeInteger(record.invocations, `${field}.invocations`);
  const memory = memoryMB(record.memorySizeMB, `${field}.memorySizeMB`);
  const arch = architecture(record.architecture, `${field}.architecture`);
  const storage = storageMB(record.ephemeralStorageMB, `${field}.ephemeralStorageMB`);
  const region = resolveRegion(table, record.region, `${field}.region`);
  if (record.freeTier !== undefined && typeof record.freeTier !== 'boolean') {
    throw new InvalidInputError(`${field}.freeTier`, `must be a boolean, got ${describe(record.freeTier)}`);
  }
  const freeTier = record.freeTier === true;
  const requests = invocations * asyncRequestCount(record.asyncPayloadBytes, `${field}.asyncPayloadBytes`);

  let gbSeconds: Dec;
  let totalMs: Dec | undefined;
  if (exactlyOne(record, 'averageBilledDurationMs', 'gbSeconds', field) === 'a') {
    totalMs = nonNegativeDecimal(record.averageBilledDurationMs, `${field}.averageBilledDurationMs`, true).mulInt(invocations);
    gbSeconds = gbSecondsOf(totalMs, memory);
  } else {
    gbSeconds = nonNegativeDecimal(record.gbSeconds, `${field}.gbSeconds`, true);
  }

  let storageGBSeconds = Dec.ZERO;
  let storageUSD = Dec.ZERO;
  if (storage > FREE_STORAGE_MB) {
    if (totalMs === undefined) {
      throw new InvalidInputError(
        `${field}.ephemeralStorageMB`,
        'needs averageBilledDurationMs (storage is charged per second of duration, which gbSeconds alone does not give)',
      );
    }
    ({ gbSeconds: storageGBSeconds, usd: storageUSD } = storageCharge(table, region, storage, totalMs, `${field}.region`));
  }

  const freeGB = freeTier ? gbSeconds.min(table.freeGBSeconds) : Dec.ZERO;
  const freeRequests = freeTier ? (requests < table.freeRequests ? requests : table.freeRequests) : 0n;
  const billable = gbSeconds.sub(freeGB);
  const billableRequests = requests - freeRequests;

  const tiers = durationTiers(table, region, arch, `${field}.region`);
  const last = tiers[tiers.length - 1] as (typeof tiers)[number];
  if (last.upTo !== undefined && billable.cmp(last.upTo) > 0) {
    throw new InvalidInputError(
      'options.prices',
      `the price table dated ${table.asOf} prices ${arch} duration in ${region.name} only up to ${last.upTo.toString()} `
        + `GB-seconds a month; this month has ${billable.toString()} billable GB-seconds; pass your own PriceTable with the further tiers`,
    );
  }
  let compute = Dec.ZERO;
  const tierCharges: TierCharge[] = tiers.map((tier) => {
    let inTier = billable.cmp(tier.from) > 0 ? billable.sub(tier.from) : Dec.ZERO;
    if (tier.upTo !== undefined) inTier = inTier.min(tier.upTo.sub(tier.from));
    const usd = inTier.mul(tier.price);
    compute = compute.add(usd);
    return {
      fromGBSeconds: tier.from.toNumber(),
      toGBSeconds: tier.upTo?.toNumber(),
      pricePerGBSecond: tier.price.toString(),
      gbSeconds: inTier.toNumber(),
      gbSecondsExact: inTier.toString(),
      computeUSD: usd.toNumber(),
      computeUSDExact: usd.toString(),
    };
  });

  const request = billableRequests === 0n ? Dec.ZERO : requestPrice(table, region, `${field}.region`).mulInt(billableRequests);
  const parts: Parts = { gbSeconds, requests, compute, request, storage: storageUSD };
  return remember(
    Object.assign(breakdownFields(parts), {
      invocations: Number(invocations),
      memorySizeMB: memory,
      architecture: arch,
      region: region.name,
      pricesAsOf: table.asOf,
      freeTierApplied: freeTier,
      freeTierGBSeconds: freeGB.toNumber(),
      freeTierRequests: Number(freeRequests),
      billableGBSeconds: billable.toNumber(),
      billableGBSecondsExact: billable.toString(),
      billableRequests: Number(billableRequests),
      storageGBSeconds: storageGBSeconds.toNumber(),
      tiers: tierCharges,
    }),
    parts,
  );
}

/** What {@link provisionedConcurrencyCost} prices. Give exactly one of `hours` and `seconds`. */
export interface ProvisionedConcurrencyInput {
  /** Configured memory, MB (integer, 128–10,240). */
  readonly memorySizeMB: number;
  /** Provisioned concurrency (environments), a positive integer. */
  readonly concurrency: number;
  /** How long it was enabled, hours. */
  readonly hours?: number;
  /** How long it was enabled, seconds. */
  readonly seconds?: number;
  /**
   * Invocations served by the provisioned environments.
   * @default 0
   */
  readonly invocations?: number;
  /** Their average Billed Duration, ms; required when `invocations` > 0. */
  readonly averageBilledDurationMs?: number | string;
  /**
   * Instruction set architecture.
   * @default 'x86_64'
   */
  readonly architecture?: Architecture;
  /**
   * AWS Region code.
   * @default the table's `defaultRegion` ('us-east-1' in DEFAULT_PRICES)
   */
  readonly region?: string;
}

/**
 * The exact cost of Provisioned Concurrency: readiness (concurrency × GB × enabled time, rounded up to 5 minutes),
 * plus duration at the Provisioned Concurrency duration price and requests for the invocations it served [PRICE].
 * The free tier does not apply to it; invocations that spill over the configured concurrency are on-demand (price
 * them with `monthlyCost`).
 *
 * @example
 * ```ts
 * const pc = provisionedConcurrencyCost({ memorySizeMB: 1024, concurrency: 10, hours: 730, invocations: 5e6, averageBilledDurationMs: 120 });
 * console.log(pc.provisionedUSD, pc.durationUSD, pc.totalUSD);
 * ```
 */
export function provisionedConcurrencyCost(
  input: ProvisionedConcurrencyInput,
  options: CostOptions = {},
): ProvisionedConcurrencyCost {
  const field = 'input';
  const record = requireObject(input, field);
  const table = resolvePrices(requireObject(options, 'options').prices as PriceTable | undefined, 'options.prices');
  const memory = memoryMB(record.memorySizeMB, `${field}.memorySizeMB`);
  const concurrency = nonNegativeInteger(record.concurrency, `${field}.concurrency`);
  if (concurrency === 0n) throw new InvalidInputError(`${field}.concurrency`, 'must be a positive integer, got 0');
  const arch = architecture(record.architecture, `${field}.architecture`);
  const region = resolveRegion(table, record.region, `${field}.region`);
  const seconds = exactlyOne(record, 'hours', 'seconds', field) === 'a'
    ? nonNegativeDecimal(record.hours, `${field}.hours`, false).mulInt(3600n)
    : nonNegativeDecimal(record.seconds, `${field}.seconds`, false);
  const invocations = record.invocations === undefined ? 0n : nonNegativeInteger(record.invocations, `${field}.invocations`);
  let averageMs = Dec.ZERO;
  if (record.averageBilledDurationMs !== undefined) {
    averageMs = nonNegativeDecimal(record.averageBilledDurationMs, `${field}.averageBilledDurationMs`, true);
  } else if (invocations > 0n) {
    throw new InvalidInputError(`${field}.averageBilledDurationMs`, 'is required when invocations > 0');
  }

  const pc = region.pc[arch] ?? missingPrice(table, region, `${arch} Provisioned Concurrency`, `${field}.region`);
  const provisionedSeconds = seconds.ceilToMultiple(PC_ROUNDING_SECONDS);
  const provisionedGBSeconds = gbSecondsOf(provisionedSeconds.mulInt(1000n), memory).mulInt(concurrency);
  const provisioned = provisionedGBSeconds.mul(pc.readiness);
  const durationGBSeconds = gbSecondsOf(averageMs.mulInt(invocations), memory);
  const duration = durationGBSeconds.mul(pc.duration);
  const request = invocations === 0n ? Dec.ZERO : requestPrice(table, region, `${field}.region`).mulInt(invocations);
  const total = provisioned.add(duration).add(request);
  return {
    provisionedSeconds: provisionedSeconds.toNumber(),
    provisionedGBSeconds: provisionedGBSeconds.toNumber(),
    provisionedUSD: provisioned.toNumber(),
    durationGBSeconds: durationGBSeconds.toNumber(),
    durationUSD: duration.toNumber(),
    requests: Number(invocations),
    requestUSD: request.toNumber(),
    totalUSD: total.toNumber(),
    provisionedUSDExact: provisioned.toString(),
    durationUSDExact: duration.toString(),
    requestUSDExact: request.toString(),
    totalUSDExact: total.toString(),
    architecture: arch,
    region: region.name,
    pricesAsOf: table.asOf,
  };
}

/** What {@link snapStartCost} prices, for one function version. Give exactly one of `cacheHours` and `cacheSeconds`. */
export interface SnapStartCostInput {
  /** Configured memory, MB (integer, 128–10,240); the snapshot size charged. */
  readonly memorySizeMB: number;
  /** How long the version's snapshot was cached, hours. */
  readonly cacheHours?: number;
  /** How long the version's snapshot was cached, seconds. */
  readonly cacheSeconds?: number;
  /**
   * Execution environments restored from the snapshot.
   * @default 0
   */
  readonly restores?: number;
  /**
   * AWS Region code.
   * @default the table's `defaultRegion` ('us-east-1' in DEFAULT_PRICES)
   */
  readonly region?: string;
}

/**
 * The exact SnapStart charges of one function version: snapshot cache (memory GB × cached time, at least 3 hours,
 * then per ms) and restores (memory GB per restore) [PRICE]. Invocation duration is priced separately (its Billed
 * Duration already includes Billed Restore Duration). These prices do not apply to Java managed runtimes [PRICE].
 *
 * @example
 * ```ts
 * const s = snapStartCost({ memorySizeMB: 2048, cacheHours: 730, restores: 10_000 });
 * console.log(s.cacheUSD, s.restoreUSD);
 * ```
 */
export function snapStartCost(input: SnapStartCostInput, options: CostOptions = {}): SnapStartCost {
  const field = 'input';
  const record = requireObject(input, field);
  const table = resolvePrices(requireObject(options, 'options').prices as PriceTable | undefined, 'options.prices');
  const memory = memoryMB(record.memorySizeMB, `${field}.memorySizeMB`);
  const region = resolveRegion(table, record.region, `${field}.region`);
  const seconds = exactlyOne(record, 'cacheHours', 'cacheSeconds', field) === 'a'
    ? nonNegativeDecimal(record.cacheHours, `${field}.cacheHours`, false).mulInt(3600n)
    : nonNegativeDecimal(record.cacheSeconds, `${field}.cacheSeconds`, false);
  const restores = record.restores === undefined ? 0n : nonNegativeInteger(record.restores, `${field}.restores`);
  const snap = region.snapStart ?? missingPrice(table, region, 'SnapStart', `${field}.region`);

  const cacheMs = seconds.mulInt(1000n).ceilToMultiple(1n).max(Dec.of(SNAPSTART_MIN_CACHE_MS));
  const cacheGBSeconds = gbSecondsOf(cacheMs, memory);
  const cache = cacheGBSeconds.mul(snap.cache);
  const restoredGB = Dec.of(BigInt(memory) * restores).div1024();
  const restore = restoredGB.mul(snap.restore);
  const total = cache.add(restore);
  return {
    cacheSeconds: cacheMs.shift(3).toNumber(),
    cacheGBSeconds: cacheGBSeconds.toNumber(),
    cacheUSD: cache.toNumber(),
    restores: Number(restores),
    restoredGB: restoredGB.toNumber(),
    restoreUSD: restore.toNumber(),
    totalUSD: total.toNumber(),
    cacheUSDExact: cache.toString(),
    restoreUSDExact: restore.toString(),
    totalUSDExact: total.toString(),
    region: region.name,
    pricesAsOf: table.asOf,
  };
}
