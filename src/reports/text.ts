/**
 * Plain-text output for terminals: aligned tables, lists, chart summaries. No colours or control characters.
 *
 * @module
 */
import { describeChart } from './describe.js';
import { formatCell, formatUtc, isNumericColumn } from './format.js';
import type { ReportBlock, ReportDocument, ReportTable } from './types.js';

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: 'left' | 'right' | 'center'): string {
  const gap = Math.max(0, size - width(text));
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(Math.ceil(gap / 2));
  return text + ' '.repeat(gap);
}

/** One line: control characters (escape sequences included) and line breaks become spaces. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

function table(block: ReportTable): string[] {
  const aligns = block.columns.map((c) => c.align ?? (isNumericColumn(block.rows, c.key) ? 'right' : 'left'));
  const header = block.columns.map((c) => clean(c.label));
  const marks = block.rows.map((row) => block.highlightRow?.(row) === true);
  const cells = block.rows.map((row) => block.columns.map((c) => clean(formatCell(row[c.key], row, c.format))));
  const sizes = header.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]!))));
  const line = (values: readonly string[], mark: boolean): string =>
    `${mark ? '* ' : '  '}${values.map((v, i) => pad(v, sizes[i]!, aligns[i]!)).join('  ')}`.trimEnd();
  const out = [line(header, false), `  ${sizes.map((s) => '-'.repeat(s)).join('  ')}`, ...cells.map((r, i) => line(r, marks[i]!))];
  if (marks.some(Boolean)) out.push('  (* highlighted)');
  return out;
}

function block(b: ReportBlock): string[] {
  const out: string[] = [];
  if (b.kind !== 'chart' && b.caption !== undefined) out.push(clean(b.caption));
  switch (b.kind) {
    case 'table':
      out.push(...table(b));
      break;
    case 'keyValue': {
      const size = Math.max(0, ...b.entries.map((e) => width(clean(e.label))));
      out.push(...b.entries.map((e) => `  ${pad(`${clean(e.label)}:`, size + 1, 'left')}  ${clean(formatCell(e.value, {}, e.format))}`));
      break;
    }
    case 'findings':
      if (b.findings.length === 0) out.push('  No findings.');
      for (const f of b.findings) {
        out.push(`  [${f.severity.toUpperCase()}] ${clean(f.title)}`);
        for (const e of typeof f.evidence === 'string' ? [f.evidence] : f.evidence) out.push(`      evidence: ${clean(e)}`);
        for (const a of f.advice) out.push(`      advice:   ${clean(a)}`);
      }
      break;
    case 'chart':
      out.push(`Chart: ${clean(b.chart.title)} (${b.chart.type})`, `  ${clean(describeChart(b.chart))}`);
      break;
  }
  return out;
}

/**
 * Renders a report document as plain text for a terminal: the title underlined, each section with its paragraph,
 * tables as aligned columns (numbers right-aligned, highlighted rows marked `*`), key-values and findings as
 * indented lists, charts as a text summary of their data. Control characters in the input are replaced by spaces,
 * so a label cannot move the cursor or change colours.
 *
 * @example
 * ```ts
 * process.stdout.write(renderTextReport(doc));
 * ```
 */
export function renderTextReport(doc: ReportDocument): string {
  const title = clean(doc.title);
  const out: string[] = [title, '='.repeat(width(title))];
  if (doc.subtitle !== undefined && doc.subtitle !== '') out.push(clean(doc.subtitle));
  out.push(`Generated ${formatUtc(doc.generatedAt)}`);
  for (const section of doc.sections) {
    const heading = clean(section.heading);
    out.push('', heading, '-'.repeat(width(heading)));
    if (section.text !== undefined) {
      for (const p of section.text.split(/\r?\n\s*\r?\n/)) if (p.trim() !== '') out.push(clean(p.trim()));
    }
    for (const b of section.blocks) out.push('', ...block(b));
  }
  return `${out.join('\n')}\n`;
}
