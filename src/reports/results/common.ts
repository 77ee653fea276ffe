/**
 * What every result mapper shares: its options and small helpers to turn summaries into rows and chart data.
 *
 * @module
 */
import type { Summary } from '../../stats/summarize.js';
import { formatFixed, formatUsd } from '../format.js';
import type { CellFormatter, ReportDocument } from '../types.js';

/** Options of the `…ReportDocument` mappers. */
export interface ResultReportOptions {
  /**
   * The document's title.
   * @default a title naming the kind of result and the function
   */
  readonly title?: string;
  /**
   * The line under the title.
   * @default a line with the result's main settings
   */
  readonly subtitle?: string;
  /**
   * When the report was made; pass it for output that depends on the input only.
   * @default new Date()
   */
  readonly generatedAt?: Date | number;
}

/** The document's header fields from the options, with the mapper's defaults. */
export function header(options: ResultReportOptions, title: string, subtitle: string | undefined): Pick<ReportDocument, 'title' | 'subtitle' | 'generatedAt'> {
  const sub = options.subtitle ?? subtitle;
  return {
    title: options.title ?? title,
    ...(sub === undefined ? {} : { subtitle: sub }),
    generatedAt: options.generatedAt ?? new Date(),
  };
}

/** `812.34 ms`. */
export function ms(value: number): string {
  return `${formatFixed(value, 2)} ms`;
}

/** Half the width of a summary's 95% CI of the mean; undefined below 2 values. */
export function ciHalfWidth(summary: Summary | undefined): number | undefined {
  const ci = summary?.meanCI95;
  return ci === undefined ? undefined : (ci[1] - ci[0]) / 2;
}

/** A cell format for a mean whose row holds its CI half-width under `halfKey`: `812.34 ± 5.10 ms`. */
export function meanWithCi(halfKey: string): CellFormatter {
  return (value, row) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
    const half = row[halfKey];
    return typeof half === 'number' && Number.isFinite(half) ? `${formatFixed(value, 2)} ± ${formatFixed(half, 2)} ms` : ms(value);
  };
}

/** `$0.000003683` (a price per invocation). */
export const usd = formatUsd;

/** `{ A: 2, B: 1 }` as `A ×2, B ×1`; `''` when empty. */
export function countsText(counts: Readonly<Record<string | number, number>>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');
}

/** Each summary field as a percentile row (`p50`, `p90`, `p99`, `mean`, `count`), prefixed. */
export function percentileCells(prefix: string, s: Summary | undefined): Record<string, number | undefined> {
  return {
    [`${prefix}Count`]: s?.count,
    [`${prefix}P50Ms`]: s?.p50,
    [`${prefix}P90Ms`]: s?.p90,
    [`${prefix}P99Ms`]: s?.p99,
    [`${prefix}MeanMs`]: s?.mean,
    [`${prefix}MeanCiHalfMs`]: ciHalfWidth(s),
  };
}
