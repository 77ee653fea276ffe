/**
 * Several report documents merged into one, for one page (e.g. tuning, cold starts and a diagnosis together).
 *
 * @module
 */
import type { ReportDocument, ReportSection } from '../types.js';

/** Options of {@link combinedReportDocument}. */
export interface CombinedReportOptions {
  /** The line under the title. */
  readonly subtitle?: string;
  /**
   * When the report was made.
   * @default the latest `generatedAt` of the documents (now when there are none)
   */
  readonly generatedAt?: Date | number;
  /**
   * A paragraph for the first section, before the documents' own sections (e.g. how the numbers were measured).
   * @default none
   */
  readonly introduction?: string;
}

const timeOf = (t: Date | number): number => (typeof t === 'number' ? t : t.getTime());

/**
 * Merges documents into one: their sections in order, each document's first section carrying the document's title
 * and subtitle as a paragraph, so each part still says what it is. Section headings are kept (the result mappers
 * already name the function in each one).
 *
 * @example
 * ```ts
 * const doc = combinedReportDocument('lambda-meter demo', [tuneReportDocument(cpu), tuneReportDocument(io)]);
 * await writeFile('report.html', renderHtmlReport(doc));
 * ```
 */
export function combinedReportDocument(title: string, documents: readonly ReportDocument[], options: CombinedReportOptions = {}): ReportDocument {
  const sections: ReportSection[] = [];
  if (options.introduction !== undefined) {
    sections.push({ heading: 'About this report', text: options.introduction, blocks: [] });
  }
  for (const doc of documents) {
    doc.sections.forEach((section, i) => {
      if (i > 0) {
        sections.push(section);
        return;
      }
      const lead = [doc.subtitle === undefined || doc.subtitle === '' ? doc.title : `${doc.title} (${doc.subtitle})`, section.text]
        .filter((p): p is string => p !== undefined && p !== '')
        .join('\n\n');
      sections.push({ ...section, text: lead });
    });
  }
  const latest = documents.length === 0 ? Date.now() : Math.max(...documents.map((d) => timeOf(d.generatedAt)));
  return {
    title,
    ...(options.subtitle === undefined ? {} : { subtitle: options.subtitle }),
    generatedAt: options.generatedAt ?? new Date(latest),
    sections,
  };
}
