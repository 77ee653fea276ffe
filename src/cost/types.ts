/**
 * Types of the cost module: the price table and the cost breakdowns.
 *
 * @module
 */

/** A function's instruction set architecture, as Lambda names it. */
export type Architecture = 'x86_64' | 'arm64';

/**
 * A price in US dollars: a decimal string (`'0.0000166667'`, recommended, read exactly) or a finite number (read as
 * its shortest round-trip decimal, so `0.0000166667` is the same as `'0.0000166667'`).
 */
export type PriceValue = string | number;

/** One monthly duration price tier. */
export interface DurationTier {
  /**
   * Upper end of the tier, in GB-seconds per month counted from the start of the month (cumulative, like AWS's
   * "first 6 billion GB-seconds"). Omit it on an open-ended last tier. When the last tier has a bound, a month
   * beyond it cannot be priced and is rejected.
   */
  readonly upToGBSeconds?: number;
  /** USD per GB-second within the tier. */
  readonly pricePerGBSecond: PriceValue;
}

/** Provisioned Concurrency prices of one architecture. */
export interface ProvisionedConcurrencyPrices {
  /** USD per GB-second of configured concurrency, from enabling to disabling it ("Provisioned Concurrency"). */
  readonly readinessPerGBSecond: PriceValue;
  /** USD per GB-second of invocation duration on provisioned environments ("Duration"). */
  readonly durationPerGBSecond: PriceValue;
}

/** SnapStart prices. */
export interface SnapStartPrices {
  /** USD per GB-second that a version's snapshot is cached (minimum 3 hours per version). */
  readonly cachePerGBSecond: PriceValue;
  /** USD per GB restored from a snapshot. */
  readonly restorePerGB: PriceValue;
}

/** Prices of one Region. Every entry except `duration` is optional; pricing something absent is rejected. */
export interface RegionPrices {
  /** On-demand duration tiers per architecture. */
  readonly duration: {
    readonly x86_64?: readonly DurationTier[];
    readonly arm64?: readonly DurationTier[];
  };
  /** USD per million requests. */
  readonly requestsPerMillion?: PriceValue;
  /** USD per GB-second of ephemeral storage configured above the free 512 MB. */
  readonly ephemeralStoragePerGBSecond?: PriceValue;
  /** Provisioned Concurrency prices per architecture. */
  readonly provisionedConcurrency?: {
    readonly x86_64?: ProvisionedConcurrencyPrices;
    readonly arm64?: ProvisionedConcurrencyPrices;
  };
  /** SnapStart cache and restore prices. */
  readonly snapStart?: SnapStartPrices;
  /** Where these prices come from, or what is missing. */
  readonly note?: string;
}

/**
 * A dated table of Lambda prices in US dollars. Pass your own to any cost function (`prices`) to price another date,
 * Region or contract; it is validated on first use (see `validatePriceTable`).
 */
export interface PriceTable {
  /** Date the prices apply to or were taken on, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Region used when a call names none. Must be a key of `regions`. */
  readonly defaultRegion: string;
  /** Billing granularity that `durationMs` is rounded up to: 1 ms since 2020-12-01, 100 ms before. */
  readonly billingGranularityMs: 1 | 100;
  /** Monthly free tier, shared by x86_64 and arm64 (applied only when a monthly estimate asks for it). */
  readonly freeTier: {
    /** Free GB-seconds of on-demand duration per month. */
    readonly gbSeconds: number;
    /** Free requests per month. */
    readonly requests: number;
  };
  /** Prices by Region code (`us-east-1`). */
  readonly regions: Readonly<Record<string, RegionPrices>>;
}

/**
 * What a cost comes to. The `…USD` and `gbSeconds` numbers are the nearest JS numbers to the exact values, for
 * display; the `…Exact` strings are the exact decimal values (no rounding anywhere), for summing and comparing.
 */
export interface CostBreakdown {
  /** Billed duration in GB-seconds (before any free tier). */
  readonly gbSeconds: number;
  /** Requests charged for (before any free tier). */
  readonly requests: number;
  /** Duration charge, USD. */
  readonly computeUSD: number;
  /** Request charge, USD. */
  readonly requestUSD: number;
  /** Ephemeral storage charge (above 512 MB), USD. */
  readonly storageUSD: number;
  /** Sum of the charges, USD. */
  readonly totalUSD: number;
  /** `gbSeconds`, exact decimal string. */
  readonly gbSecondsExact: string;
  /** `computeUSD`, exact decimal string. */
  readonly computeUSDExact: string;
  /** `requestUSD`, exact decimal string. */
  readonly requestUSDExact: string;
  /** `storageUSD`, exact decimal string. */
  readonly storageUSDExact: string;
  /** `totalUSD`, exact decimal string. */
  readonly totalUSDExact: string;
}

/** The cost of one invocation. */
export interface InvocationCost extends CostBreakdown {
  /** Billed duration used, ms (given, or `durationMs` rounded up to the billing granularity). */
  readonly billedDurationMs: number;
  /** Configured memory, MB. */
  readonly memorySizeMB: number;
  /** Architecture priced. */
  readonly architecture: Architecture;
  /** Region priced. */
  readonly region: string;
  /** `asOf` of the price table used. */
  readonly pricesAsOf: string;
  /** The (first-tier) USD per GB-second used, exact decimal string. */
  readonly pricePerGBSecond: string;
}

/** The charge of one monthly duration tier. */
export interface TierCharge {
  /** Start of the tier, GB-seconds per month. */
  readonly fromGBSeconds: number;
  /** End of the tier, GB-seconds per month; undefined for the open-ended last tier. */
  readonly toGBSeconds: number | undefined;
  /** USD per GB-second in the tier, exact decimal string. */
  readonly pricePerGBSecond: string;
  /** Billable GB-seconds that fell in the tier. */
  readonly gbSeconds: number;
  /** Billable GB-seconds in the tier, exact decimal string. */
  readonly gbSecondsExact: string;
  /** Charge for the tier, USD. */
  readonly computeUSD: number;
  /** Charge for the tier, exact decimal string. */
  readonly computeUSDExact: string;
}

/** A month of on-demand traffic priced with tiers and, optionally, the free tier. */
export interface MonthlyCost extends CostBreakdown {
  /** Invocations in the month. */
  readonly invocations: number;
  /** Configured memory, MB. */
  readonly memorySizeMB: number;
  /** Architecture priced. */
  readonly architecture: Architecture;
  /** Region priced. */
  readonly region: string;
  /** `asOf` of the price table used. */
  readonly pricesAsOf: string;
  /** Whether the free tier was subtracted. */
  readonly freeTierApplied: boolean;
  /** Free GB-seconds used (0 without the free tier). */
  readonly freeTierGBSeconds: number;
  /** Free requests used (0 without the free tier). */
  readonly freeTierRequests: number;
  /** GB-seconds charged after the free tier. */
  readonly billableGBSeconds: number;
  /** `billableGBSeconds`, exact decimal string. */
  readonly billableGBSecondsExact: string;
  /** Requests charged after the free tier. */
  readonly billableRequests: number;
  /** Ephemeral storage GB-seconds charged (storage above 512 MB × seconds). */
  readonly storageGBSeconds: number;
  /** The duration charge split by tier (tiers with no usage included, with zero). */
  readonly tiers: readonly TierCharge[];
}

/** Provisioned Concurrency charges for one configuration. */
export interface ProvisionedConcurrencyCost {
  /** Configured period billed, seconds (rounded up to a multiple of 5 minutes). */
  readonly provisionedSeconds: number;
  /** Concurrency × memory GB × provisionedSeconds. */
  readonly provisionedGBSeconds: number;
  /** Charge for keeping the environments ready, USD. */
  readonly provisionedUSD: number;
  /** Invocation duration on provisioned environments, GB-seconds. */
  readonly durationGBSeconds: number;
  /** Duration charge at the Provisioned Concurrency duration price, USD. */
  readonly durationUSD: number;
  /** Requests charged. */
  readonly requests: number;
  /** Request charge, USD. */
  readonly requestUSD: number;
  /** Sum of the charges, USD. */
  readonly totalUSD: number;
  /** `provisionedUSD`, exact decimal string. */
  readonly provisionedUSDExact: string;
  /** `durationUSD`, exact decimal string. */
  readonly durationUSDExact: string;
  /** `requestUSD`, exact decimal string. */
  readonly requestUSDExact: string;
  /** `totalUSD`, exact decimal string. */
  readonly totalUSDExact: string;
  /** Architecture priced. */
  readonly architecture: Architecture;
  /** Region priced. */
  readonly region: string;
  /** `asOf` of the price table used. */
  readonly pricesAsOf: string;
}

/** SnapStart charges for one function version. */
export interface SnapStartCost {
  /** Cache time billed, seconds (at least 3 hours). */
  readonly cacheSeconds: number;
  /** Memory GB × cacheSeconds. */
  readonly cacheGBSeconds: number;
  /** Cache charge, USD. */
  readonly cacheUSD: number;
  /** Restores priced. */
  readonly restores: number;
  /** Memory GB × restores. */
  readonly restoredGB: number;
  /** Restore charge, USD. */
  readonly restoreUSD: number;
  /** Sum of the charges, USD. */
  readonly totalUSD: number;
  /** `cacheUSD`, exact decimal string. */
  readonly cacheUSDExact: string;
  /** `restoreUSD`, exact decimal string. */
  readonly restoreUSDExact: string;
  /** `totalUSD`, exact decimal string. */
  readonly totalUSDExact: string;
  /** Region priced. */
  readonly region: string;
  /** `asOf` of the price table used. */
  readonly pricesAsOf: string;
}

/** A sum of cost breakdowns (see `CostAccumulator` and `sumCosts`). */
export interface CostTotal extends CostBreakdown {
  /** How many breakdowns were added. */
  readonly count: number;
}
