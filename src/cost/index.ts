/**
 * `lambda-meter/cost`: exact Lambda prices from a dated price table.
 *
 * @module
 */
export { invocationCost, reportCost, monthlyCost, provisionedConcurrencyCost, snapStartCost, asyncBilledRequests } from './cost.js';
export type {
  InvocationCostInput,
  CostOptions,
  ReportCostOptions,
  MonthlyCostInput,
  ProvisionedConcurrencyInput,
  SnapStartCostInput,
} from './cost.js';
export { CostAccumulator, sumCosts } from './accumulator.js';
export { DEFAULT_PRICES, PRICES_AS_OF, ARCHITECTURES, validatePriceTable } from './prices.js';
export type {
  Architecture,
  PriceValue,
  DurationTier,
  ProvisionedConcurrencyPrices,
  SnapStartPrices,
  RegionPrices,
  PriceTable,
  CostBreakdown,
  CostTotal,
  InvocationCost,
  TierCharge,
  MonthlyCost,
  ProvisionedConcurrencyCost,
  SnapStartCost,
} from './types.js';
