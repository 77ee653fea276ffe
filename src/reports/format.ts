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
  const decimals = Math.max(0, digits - 1 - magnitude);
  // toFixed stops at 20 decimals; smaller magnitudes are written out from their digits, still without an exponent.
  if (decimals > 20) return `${value < 0 ? '-' : ''}${roundDecimalText(toPlainDecimal(Math.abs(value)), decimals).replace(/\.?0+$/, '')}`;
  const text = formatFixed(value, decimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * Rounds a plain decimal string (`'0.000001033335'`, `'-16.8667'`) to `decimals` decimals, half away from zero,
 * exactly (no binary floating point), keeping trailing zeros.
 */
function roundDecimalText(text: string, decimals: number): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (m === null) return text;
  const [, sign = '', whole = '', fraction = ''] = m;
  const digits = `${whole || '0'}${fraction.padEnd(decimals + 1, '0')}`;
  const keep = digits.length - (fraction.padEnd(decimals + 1, '0').length - decimals);
  let kept = digits.slice(0, keep);
  if (Number(digits.charAt(keep)) >= 5) {
    // Add one to the last kept digit, carrying leftwards.
    const out = kept.split('');
    let i = out.length - 1;
    for (; i >= 0; i--) {
      if (out[i] === '9') out[i] = '0';
      else {
        out[i] = String(Number(out[i]) + 1);
        break;
      }
    }
    kept = `${i < 0 ? '1' : ''}${out.join('')}`;
  }
  const intPart = kept.slice(0, kept.length - decimals).replace(/^0+(?=\d)/, '') || '0';
  const fracPart = decimals > 0 ? kept.slice(kept.length - decimals) : '';
  const negative = sign === '-' && /[1-9]/.test(kept);
  return `${negative ? '-' : ''}${intPart}${fracPart === '' ? '' : `.${fracPart}`}`;
}

/** True for a plain decimal number written out, such as the cost module's exact `totalUSDExact` strings. */
export function isDecimalText(value: string): boolean {
  return /^-?(\d+\.?\d*|\.\d+)$/.test(value.trim());
}

/**
 * A price in US dollars, the one money format of the CLI, the reports and the demo: 2 decimals from $1 up, with
 * thousands separators (`$103.13`, `$1,234.50`); below $1 every significant digit a tiny per-invocation amount needs,
 * with no exponent (`$0.000000384`), and at least 2 decimals (`$0.50`). An exact decimal string (the cost module's
 * `totalUSDExact`) keeps all its digits below $1 unless `significantDigits` is given; a number (binary floating
 * point) is rounded to `significantDigits` (default 4) significant digits. Rounding is exact, half away from zero.
 *
 * @example
 * ```ts
 * formatUsd(103.1274); // '$103.13'
 * formatUsd('0.000000384'); // '$0.000000384'
 * formatUsd('0.000001033335'); // '$0.000001033335'
 * formatUsd(0.0000010333350001); // '$0.000001033'
 * ```
 */
export function formatUsd(value: number | string, significantDigits?: number): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = typeof value === 'number' ? toPlainDecimal(value) : value.trim();
  if (!isDecimalText(text)) return text;
  const digits = significantDigits ?? (typeof value === 'number' ? 4 : Number.POSITIVE_INFINITY);
  const negative = text.startsWith('-');
  const abs = negative ? text.slice(1) : text;
  const whole = abs.split('.')[0] ?? '';
  let out: string;
  if (/[1-9]/.test(whole) || !/[1-9]/.test(abs)) {
    out = roundDecimalText(abs, 2);
  } else {
    // Below $1: the leading zeros after the point, then the significant digits.
    const fraction = abs.split('.')[1] ?? '';
    const zeros = fraction.length - fraction.replace(/^0+/, '').length;
    const decimals = Number.isFinite(digits) ? zeros + Math.max(1, Math.floor(digits)) : fraction.length;
    out = roundDecimalText(abs, decimals);
    out = out.includes('.') ? out.replace(/0+$/, '').replace(/\.$/, '') : out;
    if (/^1(\.0*)?$/.test(out)) out = '1.00'; // 0.99999 rounds up to a dollar
    else if ((out.split('.')[1] ?? '').length < 2) out = roundDecimalText(out, 2);
  }
  const [intPart = '0', fracPart] = out.split('.');
  const grouped = `${groupThousands(intPart)}${fracPart === undefined ? '' : `.${fracPart}`}`;
  return `${negative && /[1-9]/.test(out) ? '-' : ''}$${grouped}`;
}

/** A number written without an exponent, with every digit JavaScript's shortest round-trip form has. */
function toPlainDecimal(value: number): string {
  const text = String(value);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (m === null) return text;
  const [, sign = '', lead = '', rest = '', exp = '0'] = m;
  const digits = `${lead}${rest}`;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits.padEnd(point, '0')}${digits.length > point ? `.${digits.slice(point)}` : ''}`;
}

/**
 * A count with `,` thousands separators (`1,000,000`), rounded to a whole number.
 *
 * @example
 * ```ts
 * formatCount(1000000); // '1,000,000'
 * ```
 */
export function formatCount(value: number | bigint): string {
  return typeof value === 'bigint' ? groupThousands(value.toString()) : formatFixed(value, 0);
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
  if (typeof value === 'string' && format === 'usd') return formatUsd(value);
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

/**
 * A link target a report may carry: an absolute http(s) URL; anything else (javascript:, data:, relative) is dropped.
 *
 * @example
 * ```ts
 * safeHref('https://lambda-power-tuning.show/#AAE='); // 'https://lambda-power-tuning.show/#AAE='
 * safeHref('javascript:alert(1)'); // undefined
 * ```
 */
export function safeHref(href: string | undefined): string | undefined {
  if (typeof href !== 'string') return undefined;
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
