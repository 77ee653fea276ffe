/**
 * The browser check of an HTML report: the file opened in headless Chromium (through `playwright-core`), with what a
 * person looking at it would notice collected: console errors and warnings, page errors, every request the page
 * made, its visible text, and a probe of each chart (`svg.lm-chart`) for size, labels and visible marks.
 *
 * Chromium is the binary named by LAMBDA_METER_CHROMIUM or CHROME_PATH, else the first of `chromium`,
 * `chromium-browser`, `google-chrome` and `google-chrome-stable` on PATH; never a fixed path.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** Environment variables that name a Chromium (or Chrome) binary, in the order they are read. */
export const CHROMIUM_VARIABLES = ['LAMBDA_METER_CHROMIUM', 'CHROME_PATH'] as const;
/** Commands looked up on PATH when no variable is set, in order. */
export const CHROMIUM_COMMANDS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

const INSTALL_ADVICE =
  'Install it with `sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core` (Debian; the font gives ' +
  'chart labels glyphs to measure), or set LAMBDA_METER_CHROMIUM (or CHROME_PATH) to a Chromium or Chrome binary.';

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium binary: LAMBDA_METER_CHROMIUM, else CHROME_PATH, else the first of {@link CHROMIUM_COMMANDS} on PATH;
 * undefined when none is found. A variable that is set must name an executable file (it is not passed over).
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): { readonly path: string | undefined; readonly problem: string } {
  for (const name of CHROMIUM_VARIABLES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (isExecutableFile(value)) return { path: value, problem: '' };
    return { path: undefined, problem: `${name} is set to ${value}, which is no executable file.` };
  }
  const dirs = (env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '');
  for (const command of CHROMIUM_COMMANDS) {
    for (const dir of dirs) {
      const candidate = path.join(dir, command);
      if (isExecutableFile(candidate)) return { path: candidate, problem: '' };
    }
  }
  return {
    path: undefined,
    problem: `None of ${CHROMIUM_COMMANDS.join(', ')} is on PATH, and neither ${CHROMIUM_VARIABLES.join(' nor ')} is set.`,
  };
}

/** The Chromium binary ({@link findChromium}); throws a clear error saying how to install one when there is none. */
export function requireChromium(): string {
  const found = findChromium();
  if (found.path === undefined) {
    throw new Error(`Chromium is needed for the browser checks of the HTML reports (npm run test:e2e) and was not found. ${found.problem} ${INSTALL_ADVICE}`);
  }
  return found.path;
}

/**
 * The little of the DOM the page callbacks use. The project's tsconfig has no DOM lib (it is a Node library), so
 * the callbacks reach the page's globals through these types; the casts vanish when the callbacks are serialised.
 */
export interface DomElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { readonly width: number; readonly height: number };
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
}
export interface PageGlobals {
  readonly document: DomElement & { readonly body: { readonly innerText: string } };
  readonly DOMParser: new () => { parseFromString(text: string, type: string): DomElement };
  getComputedStyle(element: DomElement): { readonly backgroundColor: string };
  readonly alerted?: boolean;
}

/** What the page reports about one chart. */
export interface ChartProbe {
  type: string;
  width: number;
  height: number;
  title: string;
  ariaLabel: string;
  /**
   * Marks that stand for a value: bars, bins and segments not of zero, scatter points, CDF lines, and time series
   * with at least one value.
   */
  marks: number;
  /** Of those, the ones drawn: with a non-zero size; a time series as a line with length, or as dots when no two of its values are adjacent. */
  visibleMarks: number;
  texts: number;
  /** Non-empty `<text>` elements drawn with no size. */
  emptyTexts: number;
  legendItems: number;
  /** Tick labels drawn with a size. */
  tickLabels: number;
}

/** Probes every `svg.lm-chart` of the page. */
export async function probeCharts(page: Page): Promise<ChartProbe[]> {
  return page.evaluate((): ChartProbe[] => {
    const marksOf: Record<string, string> = {
      bar: '.bar',
      'grouped-bar': '.bar',
      line: 'g.series',
      scatter: 'g.point circle:not(.highlight-ring)',
      histogram: '.bin',
      cdf: '.series-line',
      'stacked-bar': '.segment',
    };
    const { document } = globalThis as unknown as PageGlobals;
    return [...document.querySelectorAll('svg.lm-chart')].map((svg) => {
      const type = svg.getAttribute('data-chart') ?? '';
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll(marksOf[type] ?? '.none')];
      const sized = (el: DomElement): boolean => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
      };
      // A time series (`g.series`) is a line through its values and, up to 60 values, a dot on each. A value with no
      // neighbour has no segment (its path is only `M x y`, `M0 0` when the series has no value), so the dot alone
      // shows it. The line is drawn when it has length: Chromium gives a flat line, 2 px wide, a height of 0.
      const segmentOf = (series: DomElement): DomElement | undefined => {
        const line = series.querySelector('.series-line');
        return line !== null && /L/.test(line.getAttribute('d') ?? '') ? line : undefined;
      };
      const dotsOf = (series: DomElement): DomElement[] => [...series.querySelectorAll('.point')];
      const drawn = (m: DomElement): boolean => {
        if (type !== 'line') return sized(m);
        const line = segmentOf(m);
        if (line === undefined) return dotsOf(m).every(sized);
        const r = line.getBoundingClientRect();
        return r.width > 0 || r.height > 0;
      };
      const texts = [...svg.querySelectorAll('text')];
      // A zero-length bar, bin or segment (0 ms of DNS on a reused connection) legitimately has no size, and a time
      // series with no value in the window has nothing to draw.
      const isZero = (el: DomElement): boolean =>
        type === 'line'
          ? segmentOf(el) === undefined && dotsOf(el).length === 0
          : (el.getAttribute('data-value') ?? el.getAttribute('data-count')) === '0';
      return {
        type,
        width: box.width,
        height: box.height,
        title: svg.querySelector(':scope > title')?.textContent ?? '',
        ariaLabel: svg.getAttribute('aria-label') ?? '',
        marks: marks.filter((m) => !isZero(m)).length,
        visibleMarks: marks.filter((m) => !isZero(m) && drawn(m)).length,
        texts: texts.length,
        emptyTexts: texts.filter((t) => (t.textContent ?? '').trim() !== '' && !sized(t)).length,
        legendItems: svg.querySelectorAll('.legend-item').length,
        tickLabels: [...svg.querySelectorAll('.tick-label')].filter(sized).length,
      };
    });
  });
}

/** The page's visible text (`document.body.innerText`). */
export async function visibleTextOf(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).document.body.innerText);
}

/** Options of {@link openReport}. */
export interface OpenReportOptions {
  /** @default 1100 × 900 */
  readonly viewport?: { readonly width: number; readonly height: number };
}

/** A report open in headless Chromium, and what it showed on load. */
export interface OpenedReport {
  /** The page, for further checks; {@link OpenedReport.close} ends it. */
  readonly page: Page;
  /** Every chart of the page, in document order. */
  readonly probes: ChartProbe[];
  /** Console errors and warnings, and page errors, up to the probe. */
  readonly problems: string[];
  /** The URL of every request the page made, up to the probe. */
  readonly requests: string[];
  /** `document.body.innerText`. */
  readonly visibleText: string;
  /** The URL the page was opened at. */
  readonly url: string;
  /** Closes the browser. */
  close(): Promise<void>;
}

/**
 * Opens `htmlFile` in headless Chromium (no sandbox, no GPU, no background networking), waits for `load`, probes
 * its charts and reads its visible text. The browser stays open for further checks on `page`: call `close()` in a
 * `finally`. When opening or probing fails, the browser is closed before the error is rethrown.
 */
export async function openReport(htmlFile: string, options: OpenReportOptions = {}): Promise<OpenedReport> {
  const executablePath = requireChromium();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1100, height: 900 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const url = pathToFileURL(htmlFile).href;
    await page.goto(url, { waitUntil: 'load' });
    const probes = await probeCharts(page);
    const visibleText = await visibleTextOf(page);
    return {
      page,
      probes,
      problems: [...problems],
      requests: [...requests],
      visibleText,
      url,
      close: () => browser.close(),
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

/**
 * Asserts what a reader needs of one chart: larger than 300 × 150 px, a title that is also its accessible name,
 * marks that are all drawn, no text drawn with no size, three or more visible tick labels, and (unless `legend` is
 * false) a legend.
 */
export function expectReadableChart(p: ChartProbe, options: { readonly legend?: boolean } = {}): void {
  const name = p.title === '' ? p.type : `${p.type}: ${p.title}`;
  expect(p.width, name).toBeGreaterThan(300);
  expect(p.height, name).toBeGreaterThan(150);
  expect(p.title, name).not.toBe('');
  expect(p.ariaLabel, name).toBe(p.title);
  expect(p.marks, name).toBeGreaterThan(0);
  expect(p.visibleMarks, name).toBe(p.marks);
  expect(p.emptyTexts, name).toBe(0);
  if (options.legend !== false) expect(p.legendItems, name).toBeGreaterThan(0);
  expect(p.tickLabels, name).toBeGreaterThanOrEqual(3);
}
