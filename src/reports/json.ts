/**
 * JSON output: a report document as plain data (functions applied, dates in ISO 8601), or any result object.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { describeChart } from './describe.js';
import { formatCell } from './format.js';
import type { ReportBlock, ReportDocument } from './types.js';

/** Options of {@link renderJsonReport}. */
export interface JsonReportOptions {
  /**
   * Spaces of indentation; 0 writes one line.
   * @default 2
   */
  readonly indent?: number;
}

/**
 * True when `value` has the shape of a {@link ReportDocument} (a title, a `generatedAt` and a sections array).
 *
 * @example
 * ```ts
 * isReportDocument({ title: 'r', generatedAt: Date.now(), sections: [] }); // true
 * isReportDocument({ memorySizes: [512] });                                // false
 * ```
 */
export function isReportDocument(value: unknown): value is ReportDocument {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.title === 'string' &&
    Array.isArray(v.sections) &&
    (v.generatedAt instanceof Date || typeof v.generatedAt === 'number')
  );
}

function isoOf(time: Date | number): string | null {
  const date = typeof time === 'number' ? new Date(time) : time;
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function blockData(block: ReportBlock): unknown {
  switch (block.kind) {
    case 'table': {
      const highlighted: number[] = [];
      if (block.highlightRow !== undefined) block.rows.forEach((row, i) => block.highlightRow?.(row) === true && highlighted.push(i));
      return {
        kind: 'table',
        caption: block.caption,
        columns: block.columns.map((c) => ({
          key: c.key,
          label: c.label,
          align: c.align,
          format: typeof c.format === 'string' ? c.format : undefined,
        })),
        rows: block.rows,
        highlightedRows: highlighted,
      };
    }
    case 'keyValue':
      return {
        kind: 'keyValue',
        caption: block.caption,
        entries: block.entries.map((e) => ({ label: e.label, value: e.value, text: formatCell(e.value, {}, e.format) })),
      };
    case 'findings':
      return {
        kind: 'findings',
        caption: block.caption,
        findings: block.findings.map((f) => ({
          severity: f.severity,
          title: f.title,
          evidence: typeof f.evidence === 'string' ? [f.evidence] : f.evidence,
          advice: f.advice,
        })),
      };
    case 'chart':
      return { kind: 'chart', chart: block.chart, summary: describeChart(block.chart) };
  }
}

function documentData(doc: ReportDocument): unknown {
  return {
    title: doc.title,
    subtitle: doc.subtitle,
    generatedAt: isoOf(doc.generatedAt),
    sections: doc.sections.map((s) => ({ heading: s.heading, text: s.text, blocks: s.blocks.map(blockData) })),
  };
}

// Dates arrive here already as ISO strings (JSON.stringify calls toJSON first); the rest JSON cannot hold natively.
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}

/**
 * Renders a report document, or any result data, as JSON. A document becomes plain data: `generatedAt` in ISO
 * 8601, each table's `highlightRow` applied as `highlightedRows` (row indices), each named cell format kept by name,
 * each chart with a text `summary`. Any other value is serialised with dates as ISO strings, bigints as decimal
 * strings, Maps as objects, Sets as arrays, and non-finite numbers as `null`. Ends with a newline.
 *
 * @throws InvalidInputError when the value contains a circular reference.
 * @example
 * ```ts
 * await writeFile('report.json', renderJsonReport(doc));
 * await writeFile('raw.json', renderJsonReport({ memorySizes: [512, 1024], measuredAt: new Date() }));
 * ```
 */
export function renderJsonReport(value: unknown, options: JsonReportOptions = {}): string {
  const indent = options.indent ?? 2;
  if (!Number.isInteger(indent) || indent < 0 || indent > 10) {
    throw new InvalidInputError('options.indent', `must be an integer from 0 to 10, got ${String(indent)}`);
  }
  const data = isReportDocument(value) ? documentData(value) : value;
  try {
    return `${JSON.stringify(data, replacer, indent) ?? 'null'}\n`;
  } catch (err) {
    throw new InvalidInputError('value', `cannot be written as JSON: ${(err as Error).message}`, { cause: err });
  }
}
