/**
 * CSV output (RFC 4180): one CSV per table.
 *
 * @module
 */
import { formatCell, slugify } from './format.js';
import type { CellValue, ReportDocument, ReportTable } from './types.js';

/** Options of {@link renderCsvTable} and {@link renderCsvReport}. */
export interface CsvOptions {
  /**
   * Header row: the columns' labels, their keys, or none.
   * @default 'label'
   */
  readonly header?: 'label' | 'key' | 'none';
  /**
   * Write cells as shown in the report (`812.34 ms`, `$0.000003683`) instead of raw values (`812.34`, `0.000003683`).
   * @default false
   */
  readonly formatted?: boolean;
  /**
   * Record separator; RFC 4180 says CRLF.
   * @default '\r\n'
   */
  readonly newline?: '\r\n' | '\n';
}

/** One CSV of a document. */
export interface CsvFile {
  /** A file name made of the position, the section heading and the caption: `01-power-tuning-results.csv`. */
  readonly fileName: string;
  /** The section heading the table is under. */
  readonly section: string;
  /** The table's caption, if any. */
  readonly caption: string | undefined;
  /** The CSV text. */
  readonly csv: string;
}

function rawText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return String(value);
}

/** A field quoted as RFC 4180 requires: in double quotes, quotes doubled, when it holds `"`, `,`, CR or LF. */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Renders one table as CSV (RFC 4180): a header row, then one record per row; fields with commas, quotes or line
 * breaks are quoted. Cells hold raw values by default (numbers unformatted, dates in ISO 8601, empty for
 * null/undefined), so spreadsheets and scripts read numbers as numbers.
 *
 * @example
 * ```ts
 * renderCsvTable({
 *   kind: 'table',
 *   columns: [{ key: 'memoryMB', label: 'memory (MB)' }, { key: 'p50', label: 'p50, ms' }],
 *   rows: [{ memoryMB: 512, p50: 424.91 }, { memoryMB: 1024, p50: 212.4 }],
 * });
 * // 'memory (MB),"p50, ms"\r\n512,424.91\r\n1024,212.4\r\n'
 * ```
 */
export function renderCsvTable(table: ReportTable, options: CsvOptions = {}): string {
  const newline = options.newline ?? '\r\n';
  const header = options.header ?? 'label';
  const records: string[] = [];
  if (header !== 'none') records.push(table.columns.map((c) => field(header === 'key' ? c.key : c.label)).join(','));
  for (const row of table.rows) {
    records.push(
      table.columns
        .map((c) => {
          const value = row[c.key];
          return field(options.formatted === true ? formatCell(value, row, c.format) : rawText(value));
        })
        .join(','),
    );
  }
  return records.map((r) => r + newline).join('');
}

/**
 * Renders every table of a document as CSV, in document order, each with a file name that is unique within the
 * document.
 *
 * @example
 * ```ts
 * for (const file of renderCsvReport(doc)) await writeFile(join(outDir, file.fileName), file.csv);
 * ```
 */
export function renderCsvReport(doc: ReportDocument, options: CsvOptions = {}): CsvFile[] {
  const files: CsvFile[] = [];
  for (const section of doc.sections) {
    for (const block of section.blocks) {
      if (block.kind !== 'table') continue;
      const n = String(files.length + 1).padStart(2, '0');
      const name = [slugify(section.heading, 'section'), block.caption === undefined ? undefined : slugify(block.caption, 'table')]
        .filter((p) => p !== undefined)
        .join('-');
      files.push({ fileName: `${n}-${name}.csv`, section: section.heading, caption: block.caption, csv: renderCsvTable(block, options) });
    }
  }
  return files;
}
