/**
 * Exact sums of many cost breakdowns.
 *
 * @module
 */
import type { ReportRecord } from '../report/types.js';
import { breakdownFields, partsOf } from './breakdown.js';
import { reportCost } from './cost.js';
import type { ReportCostOptions } from './cost.js';
import { DecSum } from './decimal.js';
import type { CostBreakdown, CostTotal } from './types.js';

/**
 * Sums cost breakdowns exactly: each addition is an exact BigInt addition, so a million invocations sum to
 * exactly a million times the unit cost, where a running float sum drifts. Breakdowns returned by this module add
 * without any parsing; others (e.g. read back from JSON) are read from their `…Exact` strings.
 *
 * @example
 * ```ts
 * const acc = new CostAccumulator();
 * for (const r of reports) acc.addReport(r, { architecture: 'arm64' });
 * console.log(acc.count, acc.total().totalUSDExact);
 * ```
 */
export class CostAccumulator {
  private readonly gbSeconds = new DecSum();
  private readonly compute = new DecSum();
  private readonly request = new DecSum();
  private readonly storage = new DecSum();
  private requests = 0n;
  private added = 0;

  /** How many breakdowns have been added. */
  get count(): number {
    return this.added;
  }

  /**
   * Adds one breakdown (an invocation, a month, or another total).
   *
   * @throws InvalidInputError when `cost` is not a breakdown with valid `…Exact` strings.
   * @example
   * ```ts
   * acc.add(invocationCost({ memorySizeMB: 256, durationMs: 41.7 }));
   * ```
   */
  add(cost: CostBreakdown): this {
    const parts = partsOf(cost, 'cost');
    this.gbSeconds.add(parts.gbSeconds);
    this.compute.add(parts.compute);
    this.request.add(parts.request);
    this.storage.add(parts.storage);
    this.requests += parts.requests;
    this.added++;
    return this;
  }

  /**
   * Prices a REPORT with {@link reportCost} and adds it.
   *
   * @example
   * ```ts
   * acc.addReport(record, { region: 'eu-west-1' });
   * ```
   */
  addReport(report: ReportRecord, options: ReportCostOptions = {}): this {
    return this.add(reportCost(report, options));
  }

  /**
   * The exact total so far.
   *
   * @example
   * ```ts
   * const { totalUSD, totalUSDExact, count } = acc.total();
   * ```
   */
  total(): CostTotal {
    return Object.assign(
      breakdownFields({
        gbSeconds: this.gbSeconds.value(),
        requests: this.requests,
        compute: this.compute.value(),
        request: this.request.value(),
        storage: this.storage.value(),
      }),
      { count: this.added },
    );
  }
}

/**
 * The exact sum of cost breakdowns.
 *
 * @throws InvalidInputError when an item is not a breakdown with valid `…Exact` strings.
 * @example
 * ```ts
 * const total = sumCosts(reports.map((r) => reportCost(r)));
 * console.log(total.totalUSDExact);
 * ```
 */
export function sumCosts(costs: Iterable<CostBreakdown>): CostTotal {
  const acc = new CostAccumulator();
  for (const cost of costs) acc.add(cost);
  return acc.total();
}
