/**
 * The demo pipeline end to end on lambda-meter/local, with three memory sizes instead of six: the CPU-bound
 * function must get a larger recommendation than the I/O-bound one, the HTML report must hold every chart and read
 * well in headless Chromium, and no function process may be left. Assertions are orderings and counts, never
 * stopwatch readings.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { demoFunctionsDirectory, runDemo } from '../src/demo/index.js';
import { InvalidInputError } from '../src/errors.js';
import { expectReadableChart, openReport } from './helpers/browser.js';
import type { PageGlobals } from './helpers/browser.js';

const work = mkdtempSync(path.join(tmpdir(), 'lambda-meter-demo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('runDemo', () => {
  it('finds the example functions next to the sources and in a build layout', () => {
    expect(demoFunctionsDirectory()).toBe(path.resolve('examples', 'functions'));
    expect(demoFunctionsDirectory(path.resolve('src', 'demo'))).toBe(path.resolve('examples', 'functions'));
    // The build: tsup's onSuccess copies them to dist/demo/functions; chunks sit in dist/ or in an entry's folder.
    const dist = path.join(work, 'pkg', 'dist');
    mkdirSync(path.join(dist, 'demo', 'functions'), { recursive: true });
    writeFileSync(path.join(dist, 'demo', 'functions', 'cpu.mjs'), '');
    for (const from of [dist, path.join(dist, 'cli'), path.join(dist, 'demo')]) {
      expect(demoFunctionsDirectory(from)).toBe(path.join(dist, 'demo', 'functions'));
    }
  });

  it('refuses bad options before starting anything', async () => {
    await expect(runDemo({ memorySizes: [512] })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(runDemo({ outFile: '' })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('tunes both functions to different sizes, writes the report with its charts, and leaves no process', { timeout: 180_000 }, async () => {
    const outFile = path.join(work, 'nested', 'report.html');
    const lines: string[] = [];
    const result = await runDemo({ outFile, memorySizes: [128, 1024, 1769], log: (line) => lines.push(line) });

    const [cpu, io] = result.functions;
    expect(cpu?.name).toBe('cpu');
    expect(io?.name).toBe('io');
    const cpuMB = cpu?.tune.recommendation?.memorySizeMB ?? 0;
    const ioMB = io?.tune.recommendation?.memorySizeMB ?? 0;
    // Memory buys CPU: the CPU-bound function is cheapest at a larger size, the I/O-bound one at the smallest.
    expect(ioMB).toBe(128);
    expect(cpuMB).toBeGreaterThan(ioMB);
    expect(cpu?.recommendations.cost?.memorySizeMB).toBe(cpuMB);
    for (const f of result.functions) {
      expect(f.tune.cleanup.restored).toBe(true);
      expect(f.coldStarts.cold.count).toBeGreaterThan(0);
      expect(f.coldStarts.cleanup.environmentRestored).toBe(true);
    }
    expect(io?.coldStarts.idleProbe?.map((g) => g.coldShare)).toEqual([0, 1]);
    expect(result.diagnosis.findings.map((f) => f.code)).toEqual(['concurrency-throttling']);

    expect(result.outFile).toBe(outFile);
    expect(existsSync(outFile)).toBe(true);
    const html = readFileSync(outFile, 'utf8');
    const charts = [...html.matchAll(/<figure class="chart" data-chart="([a-z-]+)"/g)].map((m) => m[1]);
    expect(new Set(charts)).toEqual(new Set(['bar', 'scatter', 'grouped-bar', 'cdf', 'histogram', 'line']));
    expect(charts.filter((c) => c === 'scatter')).toHaveLength(2);
    expect(charts.filter((c) => c === 'histogram')).toHaveLength(2);
    expect(html.match(/<tr class="highlight"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('lambda-power-tuning.show');

    // The report as a reader sees it, in headless Chromium.
    const report = await openReport(outFile);
    try {
      const { page, probes, problems, requests, visibleText } = report;
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(outFile).href]);
      expect(probes.map((p) => p.type)).toEqual(charts);
      for (const p of probes) expectReadableChart(p);
      const titles = probes.map((p) => p.title);
      expect(titles).toContain(`Duration histogram at the recommended ${cpuMB} MB (cpu)`);
      expect(titles).toContain('Duration histogram at the recommended 128 MB (io)');

      // Each function's recommendation, its frontier, and the diagnosis's finding are on the page.
      expect(visibleText).toContain(`Power tuning: cpu (cost strategy · 3 memory sizes · ${cpu?.tune.invocations} invocations · recommended ${cpuMB} MB)`);
      expect(visibleText).toContain(`Power tuning: io (cost strategy · 3 memory sizes · ${io?.tune.invocations} invocations · recommended 128 MB)`);
      expect([...visibleText.matchAll(/Recommended memory\s+(.+)/g)].map((m) => m[1])).toEqual([`${cpuMB.toLocaleString('en-US')} MB`, '128 MB']);
      expect(visibleText).toContain('Pareto frontier');
      expect(visibleText).toContain('(concurrency-throttling)');
      expect(await page.locator('li.finding').count()).toBe(1);

      // The recommended rows are highlighted, in a colour of their own.
      expect(await page.locator('tr.highlight').count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('tr.highlight > td:first-child').allInnerTexts()).toEqual([`${cpuMB.toLocaleString('en-US')} MB`, '128 MB']);
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

    const text = lines.join('\n');
    expect(text).toMatch(/Recommendations/);
    expect(text).toMatch(new RegExp(`cpu \\(cpu-bound\\): ${cpuMB} MB`));
    expect(text).toMatch(/io \(io-bound\): 128 MB/);

    expect(result.processesStarted).toBeGreaterThan(0);
    expect(result.processesLeft).toBe(0);
  });
});
