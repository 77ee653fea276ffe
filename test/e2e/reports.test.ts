/**
 * The browser check of the HTML report renderer: the full sample document (every block and chart kind) and a hostile
 * document opened in headless Chromium. The structural checks of the same documents run in the unit suite
 * (test/reports.test.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHART_TYPES, renderChartSvg, renderHtmlReport } from '../../src/reports/index.js';
import { sampleDocument } from '../fixtures/reports/sample-document.js';
import { HOSTILE, charts, hostileDocument } from '../fixtures/reports/charts.js';
import { expectReadableChart, openReport, requireChromium } from './browser.js';
import type { OpenedReport, PageGlobals } from './browser.js';

// Screenshots and the sample page are kept here for a person to look at.
const OUT_DIR = process.env.LAMBDA_METER_REPORT_OUT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.tmp', 'reports');

describe('HTML report in headless Chromium', () => {
  it('renders every chart kind with visible, labelled elements, and saves a screenshot', async () => {
    requireChromium();
    mkdirSync(OUT_DIR, { recursive: true });
    const work = mkdtempSync(join(tmpdir(), 'lambda-meter-reports-'));
    const htmlFile = join(work, 'report.html');
    const hostileFile = join(work, 'hostile.html');
    writeFileSync(htmlFile, renderHtmlReport(sampleDocument));
    writeFileSync(hostileFile, renderHtmlReport(hostileDocument()));
    writeFileSync(join(OUT_DIR, 'report-sample.html'), renderHtmlReport(sampleDocument));

    let report: OpenedReport | undefined;
    try {
      report = await openReport(htmlFile);
      const { page, probes, problems, requests, visibleText } = report;

      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(htmlFile).href]);
      expect([...new Set(probes.map((p) => p.type))].sort()).toEqual([...CHART_TYPES].sort());
      for (const p of probes) expectReadableChart(p);
      const byTitle = Object.fromEntries(probes.map((p) => [p.title, p]));
      expect(byTitle['Warm duration p50 by memory size']?.marks).toBe(8);
      expect(byTitle['Cost vs speed per memory size']?.marks).toBe(8);
      expect(byTitle['Async events, throttles and drops']?.marks).toBe(3);
      expect(byTitle['Request phases (p50)']?.marks).toBe(7);

      // Labels are on the page as text, and the highlighted bar is drawn in its own colour.
      for (const label of ['recommended', 'Pareto frontier', '1024 MB', 'time (UTC)', 'AsyncEventsDropped', 'keep-alive', 'p99', 'SLO 200 ms']) {
        expect(visibleText).toContain(label);
      }
      const highlightFill = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).document.querySelector('svg[data-chart="bar"] .bar[data-highlight="true"]')?.getAttribute('fill'),
      );
      const plainFill = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).document.querySelector('svg[data-chart="bar"] .bar:not([data-highlight])')?.getAttribute('fill'),
      );
      expect(highlightFill).not.toBe(plainFill);
      expect(await page.locator('tr.highlight').count()).toBe(2);
      expect(await page.locator('li.finding').count()).toBe(3);

      // Each standalone SVG is well-formed XML.
      const svgs = Object.values(charts).map((c) => renderChartSvg(c));
      const parseErrors = await page.evaluate(
        (list) => {
          const { DOMParser } = globalThis as unknown as PageGlobals;
          return list.map((s) => new DOMParser().parseFromString(s, 'image/svg+xml').querySelector('parsererror')?.textContent ?? null);
        },
        svgs,
      );
      expect(parseErrors).toEqual(svgs.map(() => null));

      const fullPng = join(OUT_DIR, 'report-sample-full.png');
      const topPng = join(OUT_DIR, 'report-sample.png');
      await page.screenshot({ path: fullPng, fullPage: true });
      await page.screenshot({ path: topPng, fullPage: true, clip: { x: 0, y: 0, width: 1100, height: 2260 } });
      for (const file of [fullPng, topPng]) expect(statSync(file).size).toBeGreaterThan(20_000);

      // A hostile document: markup in every field stays text; nothing runs.
      await page.goto(pathToFileURL(hostileFile).href, { waitUntil: 'load' });
      const hostile = await page.evaluate(() => {
        const { document, alerted } = globalThis as unknown as PageGlobals;
        return {
          scripts: document.querySelectorAll('script').length,
          images: document.querySelectorAll('img').length,
          h1: document.querySelector('h1')?.textContent,
          alerted: alerted === true,
        };
      });
      expect(hostile).toEqual({ scripts: 0, images: 0, h1: HOSTILE, alerted: false });
    } finally {
      await report?.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
