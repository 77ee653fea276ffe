/**
 * HTML output: one self-contained page (inline CSS, inline SVG charts, no scripts, no external requests).
 *
 * @module
 */
import { renderChartSvg } from './charts.js';
import { escapeXml, formatCell, formatUtc, isNumericColumn, safeHref, slugify } from './format.js';
import type { ReportBlock, ReportDocument, ReportFinding, ReportTable } from './types.js';

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /**
   * Show a table of contents linking to the sections.
   * @default true when the document has 3 or more sections
   */
  readonly tableOfContents?: boolean;
  /**
   * Language of the page (`<html lang>`).
   * @default 'en'
   */
  readonly lang?: string;
}

// Light, readable, print-friendly; only local system fonts, so the page never fetches anything.
const CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --accent: #0072b2; --mark: #d55e00; }
* { box-sizing: border-box; }
html { background: #ffffff; }
body { margin: 0; color: var(--ink); background: #ffffff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main.report { max-width: 1040px; margin: 0 auto; padding: 32px 24px 48px; }
header.report-header { border-bottom: 2px solid var(--ink); margin-bottom: 24px; padding-bottom: 12px; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 6px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.subtitle { font-size: 17px; margin: 0 0 4px; color: var(--ink); }
.generated { margin: 0; color: var(--muted); font-size: 13px; }
p { margin: 8px 0 12px; max-width: 80ch; }
nav.toc { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 18px; margin-bottom: 8px; }
nav.toc h2 { font-size: 14px; margin: 0 0 4px; border: 0; padding: 0; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
nav.toc ol { margin: 0; padding-left: 20px; }
a { color: var(--accent); }
.block-caption { font-weight: 600; margin: 18px 0 6px; }
.table-wrap { overflow-x: auto; margin: 6px 0 18px; }
caption { text-align: left; font-weight: 600; font-size: 15px; padding: 12px 0 6px; }
table { border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; min-width: 50%; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); text-align: left; font-weight: 600; border-bottom: 2px solid var(--line); }
td { white-space: nowrap; }
.align-right { text-align: right; }
.align-center { text-align: center; }
.align-left { text-align: left; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
tbody tr.highlight td { background: #fdf0e8; font-weight: 600; }
tbody tr.highlight td:first-child { box-shadow: inset 4px 0 0 var(--mark); }
dl.kv { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 20px; margin: 6px 0 18px; font-size: 14px; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
ul.findings { list-style: none; padding: 0; margin: 6px 0 18px; }
li.finding { border: 1px solid var(--line); border-left-width: 5px; border-radius: 6px; padding: 10px 14px; margin-bottom: 10px; }
li.finding.severity-info { border-left-color: #0072b2; }
li.finding.severity-warning { border-left-color: #e69f00; }
li.finding.severity-critical { border-left-color: #c0392b; }
.finding-title { font-weight: 600; margin: 0 0 6px; }
.badge { display: inline-block; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; padding: 1px 7px; border-radius: 10px; margin-right: 8px; vertical-align: 1px; }
.severity-info .badge { background: #e1eff8; color: #004f7c; }
.severity-warning .badge { background: #fcefd4; color: #7a5200; }
.severity-critical .badge { background: #f9dedb; color: #8e2418; }
.finding h3 { font-size: 12px; margin: 8px 0 2px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.finding ul { margin: 0; padding-left: 20px; }
figure.chart { display: inline-block; vertical-align: top; margin: 12px 12px 20px 0; padding: 8px; border: 1px solid var(--line); border-radius: 6px; background: #ffffff; max-width: 100%; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { color: var(--muted); font-size: 13px; margin: 6px 8px 2px; max-width: 70ch; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  @page { margin: 14mm; }
  body { font-size: 11pt; }
  main.report { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  figure.chart, li.finding, tr, dl.kv { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
`.trim();

function paragraphs(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${escapeXml(p)}</p>`)
    .join('\n');
}

function caption(text: string | undefined): string {
  return text === undefined ? '' : `<p class="block-caption">${escapeXml(text)}</p>\n`;
}

function table(block: ReportTable): string {
  const aligns = block.columns.map((c) => c.align ?? (isNumericColumn(block.rows, c.key) ? 'right' : 'left'));
  const head = block.columns.map((c, i) => `<th scope="col" class="align-${aligns[i]}">${escapeXml(c.label)}</th>`).join('');
  const body = block.rows
    .map((row) => {
      const hl = block.highlightRow?.(row) === true;
      const cells = block.columns
        .map((c, i) => `<td class="align-${aligns[i]}">${escapeXml(formatCell(row[c.key], row, c.format))}</td>`)
        .join('');
      return hl ? `<tr class="highlight" data-highlight="true">${cells}</tr>` : `<tr>${cells}</tr>`;
    })
    .join('\n');
  const cap = block.caption === undefined ? '' : `<caption>${escapeXml(block.caption)}</caption>`;
  return `<div class="table-wrap"><table>${cap}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

function finding(f: ReportFinding): string {
  const evidence = typeof f.evidence === 'string' ? [f.evidence] : f.evidence;
  const list = (items: readonly string[]): string => `<ul>${items.map((i) => `<li>${escapeXml(i)}</li>`).join('')}</ul>`;
  return (
    `<li class="finding severity-${escapeXml(f.severity)}" data-severity="${escapeXml(f.severity)}">` +
    `<p class="finding-title"><span class="badge">${escapeXml(f.severity)}</span>${escapeXml(f.title)}</p>` +
    (evidence.length > 0 ? `<h3>Evidence</h3>${list(evidence)}` : '') +
    (f.advice.length > 0 ? `<h3>What to do</h3>${list(f.advice)}` : '') +
    '</li>'
  );
}

function block(b: ReportBlock): string {
  switch (b.kind) {
    case 'table':
      return table(b);
    case 'keyValue':
      return (
        caption(b.caption) +
        `<dl class="kv">${b.entries
          .map((e) => {
            const text = escapeXml(formatCell(e.value, {}, e.format));
            const href = safeHref(e.href);
            return `<dt>${escapeXml(e.label)}</dt><dd>${href === undefined ? text : `<a href="${escapeXml(href)}" rel="noopener noreferrer">${text}</a>`}</dd>`;
          })
          .join('')}</dl>`
      );
    case 'findings':
      return (
        caption(b.caption) +
        (b.findings.length === 0 ? '<p class="no-findings">No findings.</p>' : `<ul class="findings">\n${b.findings.map(finding).join('\n')}\n</ul>`)
      );
    case 'chart':
      return (
        `<figure class="chart" data-chart="${escapeXml(b.chart.type)}">` +
        renderChartSvg(b.chart) +
        (b.chart.description === undefined ? '' : `<figcaption>${escapeXml(b.chart.description)}</figcaption>`) +
        '</figure>'
      );
  }
}

/**
 * Renders a report document as one self-contained HTML page: inline CSS (light theme, print-friendly), charts as
 * inline SVG, no scripts and no external requests of any kind — a Content-Security-Policy meta tag forbids them —
 * so the file opens offline, attaches to a ticket and prints as is. All text is escaped.
 *
 * @example
 * ```ts
 * import { renderHtmlReport } from 'lambda-meter/reports';
 *
 * await writeFile('report.html', renderHtmlReport({
 *   title: 'Power tuning: resize',
 *   generatedAt: new Date(),
 *   sections: [{ heading: 'Results', blocks: [table, chart] }],
 * }));
 * ```
 */
export function renderHtmlReport(doc: ReportDocument, options: HtmlReportOptions = {}): string {
  const ids = doc.sections.map((s, i) => `s${i + 1}-${slugify(s.heading, 'section')}`);
  const toc = options.tableOfContents ?? doc.sections.length >= 3;
  const generated = typeof doc.generatedAt === 'number' ? new Date(doc.generatedAt) : doc.generatedAt;
  const iso = Number.isNaN(generated.getTime()) ? '' : generated.toISOString();
  const parts: string[] = [
    '<!doctype html>',
    `<html lang="${escapeXml(options.lang ?? 'en')}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="generator" content="lambda-meter">',
    `<title>${escapeXml(doc.title)}</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
    '<main class="report">',
    '<header class="report-header">',
    `<h1>${escapeXml(doc.title)}</h1>`,
  ];
  if (doc.subtitle !== undefined && doc.subtitle !== '') parts.push(`<p class="subtitle">${escapeXml(doc.subtitle)}</p>`);
  parts.push(`<p class="generated">Generated <time datetime="${iso}">${escapeXml(formatUtc(generated))}</time></p>`, '</header>');
  if (toc && doc.sections.length > 0) {
    parts.push(
      `<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>${doc.sections
        .map((s, i) => `<li><a href="#${ids[i]}">${escapeXml(s.heading)}</a></li>`)
        .join('')}</ol></nav>`,
    );
  }
  doc.sections.forEach((s, i) => {
    parts.push(`<section id="${ids[i]}">`, `<h2>${escapeXml(s.heading)}</h2>`);
    if (s.text !== undefined) parts.push(paragraphs(s.text));
    for (const b of s.blocks) parts.push(block(b));
    parts.push('</section>');
  });
  parts.push('<footer>Made with lambda-meter.</footer>', '</main>', '</body>', '</html>');
  return `${parts.join('\n')}\n`;
}
