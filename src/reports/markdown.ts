/**
 * Markdown output (GitHub Flavored Markdown): tables with alignment, findings as nested lists, charts as a text
 * summary.
 *
 * @module
 */
import { describeChart } from './describe.js';
import { formatCell, formatUtc, isNumericColumn, safeHref } from './format.js';
import type { ReportBlock, ReportDocument, ReportTable } from './types.js';

/** Options of {@link renderMarkdownReport}. */
export interface MarkdownReportOptions {
  /**
   * Charts as a one-paragraph text summary of their data, or a one-line note that the chart is in the HTML report.
   * @default 'summary'
   */
  readonly charts?: 'summary' | 'omit';
}

/**
 * Text that Markdown shows as written: every ASCII punctuation character that could start markup is
 * backslash-escaped (CommonMark allows escaping any of them), so `<script>` stays text and `|` cannot end a cell.
 * Line breaks become spaces.
 *
 * @example
 * ```ts
 * escapeMarkdown('<b>p50|p99</b>'); // '\\<b\\>p50\\|p99\\</b\\>'
 * ```
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*_[\]<>|#~&!]/g, (c) => `\\${c}`);
}

/** A paragraph line that cannot start a list, heading underline or quote. */
function escapeLine(line: string): string {
  return escapeMarkdown(line).replace(/^(\s*)([-+=]|\d+[.)])/, (_m, space: string, mark: string) => `${space}${mark.replace(/([-+=.)])$/, '\\$1')}`);
}

function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.split(/\r?\n/).map(escapeLine).join('\n').trim())
    .filter((p) => p !== '');
}

function table(block: ReportTable): string {
  const aligns = block.columns.map((c) => c.align ?? (isNumericColumn(block.rows, c.key) ? 'right' : 'left'));
  const header = `| ${block.columns.map((c) => escapeMarkdown(c.label) || ' ').join(' | ')} |`;
  const rule = `| ${aligns.map((a) => (a === 'right' ? '---:' : a === 'center' ? ':---:' : ':---')).join(' | ')} |`;
  const rows = block.rows.map((row) => {
    const strong = block.highlightRow?.(row) === true;
    const cells = block.columns.map((c) => {
      const cell = escapeMarkdown(formatCell(row[c.key], row, c.format));
      return strong && cell !== '' ? `**${cell}**` : cell;
    });
    return `| ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}

function block(b: ReportBlock, options: MarkdownReportOptions): string[] {
  const out: string[] = [];
  if (b.kind !== 'chart' && b.caption !== undefined) out.push(`**${escapeMarkdown(b.caption)}**`);
  switch (b.kind) {
    case 'table':
      out.push(b.rows.length === 0 && b.columns.length === 0 ? '_(empty table)_' : table(b));
      break;
    case 'keyValue':
      out.push(
        b.entries
          .map((e) => {
            const href = safeHref(e.href);
            const text = escapeMarkdown(formatCell(e.value, {}, e.format));
            // An autolink keeps the URL exactly (no escapes inside `<…>`); other text links to it.
            const shown = href === undefined ? text : href === formatCell(e.value, {}, e.format) ? `<${href}>` : `[${text}](<${href}>)`;
            return `- **${escapeMarkdown(e.label)}:** ${shown}`;
          })
          .join('\n'),
      );
      break;
    case 'findings':
      out.push(
        b.findings.length === 0
          ? '_No findings._'
          : b.findings
              .map((f) => {
                const evidence = typeof f.evidence === 'string' ? [f.evidence] : f.evidence;
                const lines = [`- **${f.severity.toUpperCase()}: ${escapeMarkdown(f.title)}**`];
                if (evidence.length > 0) lines.push('  - Evidence:', ...evidence.map((e) => `    - ${escapeMarkdown(e)}`));
                if (f.advice.length > 0) lines.push('  - Advice:', ...f.advice.map((a) => `    - ${escapeMarkdown(a)}`));
                return lines.join('\n');
              })
              .join('\n'),
      );
      break;
    case 'chart': {
      const title = escapeMarkdown(b.chart.title);
      if (options.charts === 'omit') {
        out.push(`_Chart omitted: ${title} (see the HTML report)._`);
      } else {
        const description = b.chart.description === undefined ? '' : `${escapeMarkdown(b.chart.description)} `;
        out.push(`**Chart: ${title}** (${b.chart.type}). ${description}${escapeMarkdown(describeChart(b.chart))}`);
      }
      break;
    }
  }
  return out;
}

/**
 * Renders a report document as GitHub Flavored Markdown: `#` title, `##` sections, tables with column alignment
 * (numbers right-aligned by default) and highlighted rows in bold, key-value lists and findings as lists, and each
 * chart as a text summary of its data (or a note, with `charts: 'omit'`). All text is escaped.
 *
 * @example
 * ```ts
 * await writeFile('report.md', renderMarkdownReport(doc));
 * // In a GitHub Actions job summary:
 * await appendFile(process.env.GITHUB_STEP_SUMMARY!, renderMarkdownReport(doc, { charts: 'omit' }));
 * ```
 */
export function renderMarkdownReport(doc: ReportDocument, options: MarkdownReportOptions = {}): string {
  const out: string[] = [`# ${escapeMarkdown(doc.title)}`];
  if (doc.subtitle !== undefined && doc.subtitle !== '') out.push(escapeMarkdown(doc.subtitle));
  out.push(`_Generated ${formatUtc(doc.generatedAt)}_`);
  for (const section of doc.sections) {
    out.push(`## ${escapeMarkdown(section.heading)}`);
    if (section.text !== undefined) out.push(...paragraphs(section.text));
    for (const b of section.blocks) out.push(...block(b, options));
  }
  return `${out.join('\n\n')}\n`;
}
