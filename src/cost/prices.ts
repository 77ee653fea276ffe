/**
 * The dated default price table and the validation of caller-supplied tables.
 *
 * Sources (labels as in the project's lambda-facts.md, section 6):
 * - [PRICE] https://aws.amazon.com/lambda/pricing/ (US East (N. Virginia) prices, free tier, PC, SnapStart, storage)
 * - [TIER] https://aws.amazon.com/blogs/compute/introducing-tiered-pricing-for-aws-lambda/ (monthly tiers, Aug 2022)
 * - [PRICELIST] AWS Price List, offer `AWSLambda` (usage types Lambda-GB-Second[-ARM], Request, …)
 * - [ARTILLERY] https://app.unpkg.com/artillery@2.0.28/files/lib/platform/aws-lambda/prices.js (regional GB-s prices;
 *   every Region not listed is priced at the base rate)
 * - [PT] https://github.com/alexcasalboni/aws-lambda-power-tuning template.yml (`baseCosts`: the same exceptions,
 *   `default` elsewhere)
 * - [U-70127] a public GitHub file cited by lambda-facts.md: requests $0.28 per million in ap-east-1
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { describe } from '../internal/validate.js';
import { Dec } from './decimal.js';
import type { Architecture, DurationTier, PriceTable, RegionPrices } from './types.js';

/** Date the default table was compiled from the sources above (`YYYY-MM-DD`). */
export const PRICES_AS_OF = '2026-11-24';

/** The architectures Lambda prices. */
export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

// [TIER][PRICE][PRICELIST] x86: first 6 B GB-s/month, next 9 B, over 15 B.
const X86_TIERS: readonly DurationTier[] = [
  { upToGBSeconds: 6_000_000_000, pricePerGBSecond: '0.0000166667' },
  { upToGBSeconds: 15_000_000_000, pricePerGBSecond: '0.000015' },
  { pricePerGBSecond: '0.0000133334' },
];

// [TIER][PRICE][PRICELIST] Arm: first 7.5 B GB-s/month, next 11.25 B, over 18.75 B (thresholds differ from x86).
const ARM_TIERS: readonly DurationTier[] = [
  { upToGBSeconds: 7_500_000_000, pricePerGBSecond: '0.0000133334' },
  { upToGBSeconds: 18_750_000_000, pricePerGBSecond: '0.0000120001' },
  { pricePerGBSecond: '0.0000106667' },
];

/** Regions priced like US East (N. Virginia) for on-demand duration and requests ([ARTILLERY] base, [PT] default). */
const BASE_REGION: RegionPrices = {
  duration: { x86_64: X86_TIERS, arm64: ARM_TIERS },
  requestsPerMillion: '0.20',
  note: 'On-demand duration and requests at the US East rates ([ARTILLERY] base, [PT] default). Ephemeral storage, '
    + 'Provisioned Concurrency and SnapStart prices are verified only for us-east-1: pass your own table.',
};

const US_EAST_1: RegionPrices = {
  duration: { x86_64: X86_TIERS, arm64: ARM_TIERS },
  // [PRICE] $0.20 per 1M requests.
  requestsPerMillion: '0.20',
  // [PRICE] $0.0000000309 per GB-s of ephemeral storage above 512 MB.
  ephemeralStoragePerGBSecond: '0.0000000309',
  // [PRICE][PRICELIST] readiness per GB-s while enabled; duration per GB-s on provisioned environments.
  provisionedConcurrency: {
    x86_64: { readinessPerGBSecond: '0.0000041667', durationPerGBSecond: '0.0000097222' },
    arm64: { readinessPerGBSecond: '0.0000033334', durationPerGBSecond: '0.0000077778' },
  },
  // [PRICE] cache $0.0000015046 per GB-s (min 3 h per version); restore $0.0001397998 per GB restored.
  snapStart: { cachePerGBSecond: '0.0000015046', restorePerGB: '0.0001397998' },
  note: 'US East (N. Virginia) [PRICE][TIER][PRICELIST].',
};

/**
 * A Region whose sources give only the first-tier duration price: the tier is bounded at the usual first threshold
 * (6 B GB-s x86, 7.5 B Arm), so a month beyond it is rejected instead of being priced with a guessed discount.
 */
function firstTierOnly(x86: string, arm: string, extra: Partial<RegionPrices>, note: string): RegionPrices {
  return {
    duration: {
      x86_64: [{ upToGBSeconds: 6_000_000_000, pricePerGBSecond: x86 }],
      arm64: [{ upToGBSeconds: 7_500_000_000, pricePerGBSecond: arm }],
    },
    ...extra,
    note,
  };
}

const REGIONAL_NOTE = 'First-tier duration prices from [ARTILLERY] (also [PT]); tier discounts';

/**
 * The default price table, dated {@link PRICES_AS_OF}: US dollars, 1 ms billing, the 400,000 GB-s and 1 M request
 * monthly free tier [PRICE]. `us-east-1` has every price; other base Regions have on-demand duration and request
 * prices; af-south-1, ap-east-1, eu-south-1, me-south-1 and me-central-1 have their own first-tier duration prices
 * (and ap-east-1 its request price). China Regions (`cn-*`) are priced in CNY and are not included.
 *
 * @example
 * ```ts
 * import { DEFAULT_PRICES } from 'lambda-meter/cost';
 * const mine = { ...DEFAULT_PRICES, regions: { ...DEFAULT_PRICES.regions, 'af-south-1': myCapeTownPrices } };
 * ```
 */
export const DEFAULT_PRICES: PriceTable = deepFreeze({
  asOf: PRICES_AS_OF,
  defaultRegion: 'us-east-1',
  billingGranularityMs: 1,
  // [PRICE] free tier: 1M requests and 400,000 GB-s per month, shared by x86 and Arm; not for PC.
  freeTier: { gbSeconds: 400_000, requests: 1_000_000 },
  regions: {
    'us-east-1': US_EAST_1,
    'us-east-2': BASE_REGION,
    'us-west-1': BASE_REGION,
    'us-west-2': BASE_REGION,
    'ca-central-1': BASE_REGION,
    'sa-east-1': BASE_REGION,
    'eu-west-1': BASE_REGION,
    'eu-west-2': BASE_REGION,
    'eu-west-3': BASE_REGION,
    'eu-central-1': BASE_REGION,
    'eu-north-1': BASE_REGION,
    'ap-south-1': BASE_REGION,
    'ap-northeast-1': BASE_REGION,
    'ap-northeast-2': BASE_REGION,
    'ap-southeast-1': BASE_REGION,
    'ap-southeast-2': BASE_REGION,
    'af-south-1': firstTierOnly('0.0000221', '0.00001768', {},
      `${REGIONAL_NOTE} and request price unknown.`),
    // [U-70127] requests $0.28 per million in ap-east-1.
    'ap-east-1': firstTierOnly('0.00002292', '0.0000183', { requestsPerMillion: '0.28' },
      `${REGIONAL_NOTE} unknown; requests [U-70127].`),
    'eu-south-1': firstTierOnly('0.0000195172', '0.0000156138', {},
      `${REGIONAL_NOTE} and request price unknown.`),
    'me-south-1': firstTierOnly('0.0000206667', '0.0000165334', {},
      `${REGIONAL_NOTE} and request price unknown.`),
    'me-central-1': firstTierOnly('0.0000206667', '0.0000165334', {},
      `${REGIONAL_NOTE} and request price unknown.`),
  },
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled (validated, exact) form of a table

/** @internal */
export interface CompiledTier {
  readonly from: Dec;
  readonly upTo: Dec | undefined;
  readonly price: Dec;
}

/** @internal */
export interface CompiledRegion {
  readonly name: string;
  readonly duration: Partial<Record<Architecture, readonly CompiledTier[]>>;
  readonly requestPrice: Dec | undefined;
  readonly storagePrice: Dec | undefined;
  readonly pc: Partial<Record<Architecture, { readonly readiness: Dec; readonly duration: Dec }>>;
  readonly snapStart: { readonly cache: Dec; readonly restore: Dec } | undefined;
}

/** @internal */
export interface CompiledTable {
  readonly asOf: string;
  readonly defaultRegion: string;
  readonly granularityMs: 1 | 100;
  readonly freeGBSeconds: Dec;
  readonly freeRequests: bigint;
  readonly regions: ReadonlyMap<string, CompiledRegion>;
}

const compiled = new WeakMap<object, CompiledTable>();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a non-negative price (decimal string or finite number). @internal */
export function readPrice(value: unknown, field: string): Dec {
  let dec: Dec | undefined;
  if (typeof value === 'string') dec = Dec.parse(value);
  else if (typeof value === 'number' && Number.isFinite(value)) dec = Dec.fromNumber(value);
  if (dec === undefined || dec.isNegative()) {
    throw new InvalidInputError(field, `must be a non-negative decimal string or finite number, got ${describe(value)}`);
  }
  return dec;
}

function optionalPrice(value: unknown, field: string): Dec | undefined {
  return value === undefined ? undefined : readPrice(value, field);
}

function compileTiers(tiers: unknown, field: string): CompiledTier[] {
  if (!Array.isArray(tiers) || tiers.length === 0) {
    throw new InvalidInputError(field, `must be a non-empty array of tiers, got ${describe(tiers)}`);
  }
  const out: CompiledTier[] = [];
  let from = Dec.ZERO;
  tiers.forEach((tier: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isRecord(tier)) throw new InvalidInputError(at, `must be an object, got ${describe(tier)}`);
    const price = readPrice(tier.pricePerGBSecond, `${at}.pricePerGBSecond`);
    let upTo: Dec | undefined;
    if (tier.upToGBSeconds === undefined) {
      if (i !== tiers.length - 1) {
        throw new InvalidInputError(`${at}.upToGBSeconds`, 'is required on every tier but the last');
      }
    } else {
      const bound = tier.upToGBSeconds;
      if (typeof bound !== 'number' || !Number.isFinite(bound) || bound <= 0) {
        throw new InvalidInputError(`${at}.upToGBSeconds`, `must be a positive finite number, got ${describe(bound)}`);
      }
      upTo = Dec.fromNumber(bound);
      if (upTo.cmp(from) <= 0) {
        throw new InvalidInputError(`${at}.upToGBSeconds`, `must be greater than the previous tier's bound (${from.toString()})`);
      }
    }
    out.push({ from, upTo, price });
    if (upTo !== undefined) from = upTo;
  });
  return out;
}

function compileRegion(name: string, region: unknown, field: string): CompiledRegion {
  if (!isRecord(region)) throw new InvalidInputError(field, `must be an object, got ${describe(region)}`);
  if (!isRecord(region.duration)) {
    throw new InvalidInputError(`${field}.duration`, `must be an object with x86_64 and/or arm64 tiers, got ${describe(region.duration)}`);
  }
  const duration: Partial<Record<Architecture, readonly CompiledTier[]>> = {};
  const pc: Partial<Record<Architecture, { readiness: Dec; duration: Dec }>> = {};
  const pcTable = region.provisionedConcurrency;
  if (pcTable !== undefined && !isRecord(pcTable)) {
    throw new InvalidInputError(`${field}.provisionedConcurrency`, `must be an object, got ${describe(pcTable)}`);
  }
  for (const arch of ARCHITECTURES) {
    if (region.duration[arch] !== undefined) duration[arch] = compileTiers(region.duration[arch], `${field}.duration.${arch}`);
    const p = pcTable?.[arch];
    if (p !== undefined) {
      const at = `${field}.provisionedConcurrency.${arch}`;
      if (!isRecord(p)) throw new InvalidInputError(at, `must be an object, got ${describe(p)}`);
      pc[arch] = {
        readiness: readPrice(p.readinessPerGBSecond, `${at}.readinessPerGBSecond`),
        duration: readPrice(p.durationPerGBSecond, `${at}.durationPerGBSecond`),
      };
    }
  }
  for (const key of Object.keys(region.duration)) {
    if (!(ARCHITECTURES as readonly string[]).includes(key)) {
      throw new InvalidInputError(`${field}.duration.${key}`, `is not an architecture; use x86_64 or arm64`);
    }
  }
  let snapStart: CompiledRegion['snapStart'];
  if (region.snapStart !== undefined) {
    const s = region.snapStart;
    if (!isRecord(s)) throw new InvalidInputError(`${field}.snapStart`, `must be an object, got ${describe(s)}`);
    snapStart = {
      cache: readPrice(s.cachePerGBSecond, `${field}.snapStart.cachePerGBSecond`),
      restore: readPrice(s.restorePerGB, `${field}.snapStart.restorePerGB`),
    };
  }
  return {
    name,
    duration,
    requestPrice: optionalPrice(region.requestsPerMillion, `${field}.requestsPerMillion`)?.shift(6),
    storagePrice: optionalPrice(region.ephemeralStoragePerGBSecond, `${field}.ephemeralStoragePerGBSecond`),
    pc,
    snapStart,
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function compileTable(table: unknown, field: string): CompiledTable {
  if (!isRecord(table)) throw new InvalidInputError(field, `must be a PriceTable object, got ${describe(table)}`);
  const asOf = table.asOf;
  const m = typeof asOf === 'string' ? DATE.exec(asOf) : null;
  if (!m || Number.isNaN(Date.parse(`${asOf as string}T00:00:00Z`)) || new Date(`${asOf as string}T00:00:00Z`).getUTCDate() !== Number(m[3])) {
    throw new InvalidInputError(`${field}.asOf`, `must be a date YYYY-MM-DD, got ${describe(asOf)}`);
  }
  const granularity = table.billingGranularityMs;
  if (granularity !== 1 && granularity !== 100) {
    throw new InvalidInputError(`${field}.billingGranularityMs`, `must be 1 or 100, got ${describe(granularity)}`);
  }
  const free = table.freeTier;
  if (!isRecord(free)) throw new InvalidInputError(`${field}.freeTier`, `must be an object, got ${describe(free)}`);
  if (typeof free.gbSeconds !== 'number' || !Number.isFinite(free.gbSeconds) || free.gbSeconds < 0) {
    throw new InvalidInputError(`${field}.freeTier.gbSeconds`, `must be a non-negative finite number, got ${describe(free.gbSeconds)}`);
  }
  if (typeof free.requests !== 'number' || !Number.isSafeInteger(free.requests) || free.requests < 0) {
    throw new InvalidInputError(`${field}.freeTier.requests`, `must be a non-negative integer, got ${describe(free.requests)}`);
  }
  if (!isRecord(table.regions) || Object.keys(table.regions).length === 0) {
    throw new InvalidInputError(`${field}.regions`, `must be an object with at least one Region, got ${describe(table.regions)}`);
  }
  const regions = new Map<string, CompiledRegion>();
  for (const [name, region] of Object.entries(table.regions)) {
    regions.set(name, compileRegion(name, region, `${field}.regions[${JSON.stringify(name)}]`));
  }
  if (typeof table.defaultRegion !== 'string' || !regions.has(table.defaultRegion)) {
    throw new InvalidInputError(`${field}.defaultRegion`, `must name one of the table's regions, got ${describe(table.defaultRegion)}`);
  }
  return {
    asOf: asOf as string,
    defaultRegion: table.defaultRegion,
    granularityMs: granularity,
    freeGBSeconds: Dec.fromNumber(free.gbSeconds),
    freeRequests: BigInt(free.requests),
    regions,
  };
}

/**
 * Checks a price table and returns it unchanged, or throws an `InvalidInputError` naming the first bad field. Cost
 * functions validate tables themselves (once per table object); call this to fail early, e.g. on a table read from
 * a file.
 *
 * @example
 * ```ts
 * const prices = validatePriceTable(JSON.parse(await readFile('prices-2018.json', 'utf8')));
 * console.log(monthlyCost({ invocations: 1e6, averageBilledDurationMs: 100, memorySizeMB: 128 }, prices).totalUSD);
 * ```
 */
export function validatePriceTable(table: PriceTable): PriceTable {
  resolvePrices(table, 'table');
  return table;
}

/** The compiled form of `table` (validated on first use, then cached per object). @internal */
export function resolvePrices(table: PriceTable | undefined, field: string): CompiledTable {
  const t = table === undefined ? DEFAULT_PRICES : table;
  if (typeof t !== 'object' || t === null) throw new InvalidInputError(field, `must be a PriceTable object, got ${describe(t)}`);
  let c = compiled.get(t);
  if (c === undefined) {
    c = compileTable(t, field);
    compiled.set(t, c);
  }
  return c;
}

/** The Region of a call, or an error listing the known ones. @internal */
export function resolveRegion(table: CompiledTable, region: unknown, field: string): CompiledRegion {
  const name = region === undefined ? table.defaultRegion : region;
  const found = typeof name === 'string' ? table.regions.get(name) : undefined;
  if (found === undefined) {
    throw new InvalidInputError(
      field,
      `unknown region ${describe(name)}; the price table dated ${table.asOf} knows ${[...table.regions.keys()].join(', ')}`
        + ' (China Regions are priced in CNY and not in the default table); pass your own PriceTable as `prices` to price another Region',
    );
  }
  return found;
}

/** Throws the error for a price the table lacks. @internal */
export function missingPrice(table: CompiledTable, region: CompiledRegion, what: string, field: string): never {
  throw new InvalidInputError(
    field,
    `the price table dated ${table.asOf} has no ${what} price for ${region.name}; pass your own PriceTable as \`prices\` with it`,
  );
}
