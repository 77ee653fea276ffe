/**
 * The demo's real report as a reader sees it: runDemo with three memory sizes, then its HTML opened in headless
 * Chromium. Every expected text comes from the demo's own result (which size wins depends on the machine and its
 * load); the result's invariants are checked by test/demo.test.ts in the unit suite.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/index.js';
import { expectReadableChart, openReport, requireChromium } from './browser.js';
import type { PageGlobals } from './browser.js';

const SIZES = [128, 1024, 1769];
const work = mkdtempSync(path.join(tmpdir(), 'lambda-meter-demo-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the demo's HTML report in headless Chromium", () => {
  it('shows every chart readable, each recommendation, the frontier and the finding, with the recommended rows highlighted', { timeout: 240_000 }, async () => {
    // Before the demo's minute of measuring: without Chromium, fail at once with how to install it.
    requireChromium();
    const outFile = path.join(work, 'report.html');
    const result = await runDemo({ outFile, memorySizes: SIZES, log: () => {} });
    const recommended = result.functions.map((f) => f.tune.recommendation?.memorySizeMB ?? 0);
    expect(recommended.every((mb) => SIZES.includes(mb))).toBe(true);
    const finding = result.diagnosis.findings[0]?.code;
    const charts = [...readFileSync(outFile, 'utf8').matchAll(/<figure class="chart" data-chart="([a-z-]+)"/g)].map((m) => m[1]);

    const report = await openReport(outFile);
    try {
      const { page, probes, problems, requests, visibleText } = report;
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(outFile).href]);
      // Every chart of the page, in order, probed and readable.
      expect(probes.map((p) => p.type)).toEqual(charts);
      expect(new Set(charts)).toEqual(new Set(['bar', 'scatter', 'grouped-bar', 'cdf', 'histogram', 'line']));
      for (const p of probes) expectReadableChart(p);
      const titles = probes.map((p) => p.title);

      // Each function's recommendation, its frontier, and the diagnosis's finding are on the page.
      for (const [i, f] of result.functions.entries()) {
        const mb = recommended[i] ?? 0;
        expect(titles).toContain(`Duration histogram at the recommended ${mb} MB (${f.name})`);
        expect(visibleText).toContain(
          `Power tuning: ${f.name} (cost strategy · ${SIZES.length} memory sizes · ${f.tune.invocations} invocations · recommended ${mb} MB)`,
        );
      }
      const asShown = recommended.map((mb) => `${mb.toLocaleString('en-US')} MB`);
      expect([...visibleText.matchAll(/Recommended memory\s+(.+)/g)].map((m) => m[1])).toEqual(asShown);
      expect(visibleText).toContain('Pareto frontier');
      expect(result.diagnosis.findings).toHaveLength(1);
      expect(visibleText).toContain(`(${finding})`);
      expect(await page.locator('li.finding').count()).toBe(1);

      // The recommended rows are highlighted, in a colour of their own.
      expect(await page.locator('tr.highlight').count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('tr.highlight > td:first-child').allInnerTexts()).toEqual(asShown);
      const backgrounds = await page.evaluate(() => {
        const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
        const first = (selector: string): string => {
          const cell = document.querySelector(selector);
          return cell === null ? 'missing' : getComputedStyle(cell).backgroundColor;
        };
        return { highlighted: first('tr.highlight > td'), plain: first('tbody tr:not(.highlight) > td') };
      });
      expect(backgrounds.highlighted).not.toBe('missing');
      expect(backgrounds.plain).not.toBe('missing');
      expect(backgrounds.highlighted).not.toBe(backgrounds.plain);
    } finally {
      await report.close();
    }
    expect(result.processesLeft).toBe(0);
  });
});
