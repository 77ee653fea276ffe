/**
 * Text helpers shared by the renderers: escaping, locale-independent number formatting, cell formats, UTC dates.
 * Nothing here reads the locale or the clock, so every renderer's output depends on its input only.
 *
 * @module
 */
import type { CellFormatName, CellFormatter, CellValue, ReportRow } from './types.js';

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for XML/HTML content and attribute values; drops control characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `value` with exactly `decimals` decimals and `,` thousands separators (`-0` prints as `0`). */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = Math.abs(value).toFixed(Math.min(Math.max(0, decimals), 20));
  const [whole = '0', fraction] = text.split('.');
  const negative = value < 0 && /[1-9]/.test(text);
  return `${negative ? '-' : ''}${groupThousands(whole)}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** `value` with up to `digits` significant digits (whole-number digits are all kept), trailing zeros removed, thousands separated. */
export function formatSignificant(value: number, digits = 6): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  if (magnitude < -12) return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  const decimals = Math.max(0, digits - 1 - magnitude);
  const text = formatFixed(value, decimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A price: 2 decimals from $1 up, else 4 significant digits (`$0.000003683`). */
export function formatUsd(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs >= 1 || abs === 0) return `${sign}$${formatFixed(abs, 2)}`;
  const text = formatSignificant(abs, 4);
  return `${sign}$${text.includes('.') && text.split('.')[1]!.length === 1 ? `${text}0` : text}`;
}

/** A value with its unit: `$` before USD amounts, `%` glued, other units after a space. */
export function formatWithUnit(value: number, unit: string | undefined, digits = 4): string {
  if (unit === 'USD') return formatUsd(value);
  const text = formatSignificant(value, digits);
  if (unit === undefined || unit === '' || unit === 'count') return text;
  return unit === '%' ? `${text}%` : `${text} ${unit}`;
}

/** An instant as `2026-11-30 07:10:00 UTC`. */
export function formatUtc(time: Date | number): string {
  const date = typeof time === 'number' ? new Date(time) : time;
  if (Number.isNaN(date.getTime())) return 'invalid date';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const NAMED_FORMATS: Readonly<Record<CellFormatName, (value: number) => string>> = {
  ms: (v) => `${formatFixed(v, 2)} ms`,
  usd: formatUsd,
  percent: (v) => `${formatSignificant(v * 100, 3)}%`,
  mb: (v) => `${formatFixed(v, 0)} MB`,
  integer: (v) => formatFixed(v, 0),
  number: (v) => formatSignificant(v, 6),
};

/**
 * The text of a cell: through the column's format when given (named formats apply to numbers only), else numbers
 * with up to 6 significant digits, `yes`/`no`, dates in UTC, and `—` for null or undefined.
 */
export function formatCell(value: CellValue, row: ReportRow, format?: CellFormatName | CellFormatter): string {
  if (typeof format === 'function') return format(value, row);
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '—';
    return (NAMED_FORMATS[format ?? 'number'] ?? NAMED_FORMATS.number)(value);
  }
  if (typeof value === 'bigint') return groupThousands(value.toString());
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value instanceof Date) return formatUtc(value);
  return value;
}

/** True when every non-empty cell of the column is a number (such columns are right-aligned by default). */
export function isNumericColumn(rows: readonly ReportRow[], key: string): boolean {
  let numbers = 0;
  for (const row of rows) {
    const v = row[key];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' && typeof v !== 'bigint') return false;
    numbers++;
  }
  return numbers > 0;
}

/** A lower-case ASCII slug for ids and file names (`Power tuning: results` → `power-tuning-results`). */
export function slugify(text: string, fallback = 'item'): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? fallback : slug;
}
